package dev.parlor.ratelimit;

import dev.parlor.testing.MutableClock;

/** {@link RateLimiterContract} against the in-process Bucket4j limiter. */
class BucketRateLimiterTest extends RateLimiterContract {
  @Override
  protected RateLimiter createLimiter(MutableClock clock) {
    return new BucketRateLimiter(clock);
  }
}
