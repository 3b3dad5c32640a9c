package dev.parlor.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parlor.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link RateLimiterContract} against the in-process Bucket4j limiter. */
class BucketRateLimiterTest extends RateLimiterContract {
  @Override
  protected RateLimiter createLimiter(MutableClock clock) {
    return new BucketRateLimiter(clock);
  }

  @Test
  void bucketsOfManyAddressesAreDroppedOnceFullSoMemoryDoesNotGrowWithEveryAddressSeen() {
    BucketRateLimiter l = (BucketRateLimiter) limiter;
    int keys = BucketRateLimiter.PRUNE_ABOVE + 500;
    for (int i = 0; i < keys; i++) {
      l.tryConsume("ip:10.0." + (i / 256) + "." + (i % 256), 60, 1);
    }
    // still in their window: each bucket holds a used budget, which must be kept
    l.tryConsume("ip:busy", 60, 60);
    assertThat(l.size()).isGreaterThan(BucketRateLimiter.PRUNE_ABOVE);

    clock.advance(Duration.ofSeconds(61)); // every window has refilled: full buckets
    l.tryConsume("ip:again", 60, 1);
    assertThat(l.size()).isLessThan(10);
    // and nothing changed for anyone: a dropped key starts with its full budget, as it would have
    assertThat(l.tryConsume("ip:10.0.0.1", 60, 60).allowed()).isTrue();
  }
}
