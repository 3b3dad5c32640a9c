package dev.parlor.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parlor.ratelimit.RateLimiter.Decision;
import dev.parlor.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RateLimiter} must do: a budget of points per key per one-minute window, never
 * exceeded under any concurrency. Subclasses supply the implementation (see {@link
 * BucketRateLimiterTest}); time is a {@link MutableClock}, so no test sleeps.
 */
public abstract class RateLimiterContract {
  protected MutableClock clock;
  protected RateLimiter limiter;

  /** A new limiter that reads time from {@code clock}. */
  protected abstract RateLimiter createLimiter(MutableClock clock);

  @BeforeEach
  void createLimiter() {
    clock = new MutableClock(Instant.parse("2030-01-02T03:04:05Z"));
    limiter = createLimiter(clock);
  }

  @Test
  void eachAllowedAttemptTakesItsCostFromTheBudget() {
    Decision read = limiter.tryConsume("org:1", 100, 1);
    Decision delete = limiter.tryConsume("org:1", 100, 2);
    Decision write = limiter.tryConsume("org:1", 100, 3);

    assertThat(read.allowed()).isTrue();
    assertThat(read.limit()).isEqualTo(100);
    assertThat(read.remaining()).isEqualTo(99);
    assertThat(read.retryAfterMillis()).isZero();
    assertThat(delete.remaining()).isEqualTo(97);
    assertThat(write.allowed()).isTrue();
    assertThat(write.remaining()).isEqualTo(94);
  }

  @Test
  void theWindowResetsAboutOneMinuteAfterItStarted() {
    Instant start = clock.instant();
    Decision first = limiter.tryConsume("org:1", 100, 1);
    clock.advance(Duration.ofSeconds(20));
    Decision later = limiter.tryConsume("org:1", 100, 1);

    assertThat(first.resetAt()).isBetween(start.plusSeconds(59), start.plusSeconds(60));
    assertThat(later.resetAt()).isBetween(start.plusSeconds(59), start.plusSeconds(60));
  }

  @Test
  void anAttemptBeyondTheBudgetIsRefusedWithTheTimeToWait() {
    assertThat(limiter.tryConsume("org:1", 10, 9).allowed()).isTrue();
    clock.advance(Duration.ofSeconds(15));

    Decision refused = limiter.tryConsume("org:1", 10, 3);

    assertThat(refused.allowed()).isFalse();
    assertThat(refused.limit()).isEqualTo(10);
    assertThat(refused.remaining()).isEqualTo(1);
    assertThat(refused.retryAfterMillis()).isPositive().isLessThanOrEqualTo(45_000);
    assertThat(refused.retryAfterMillis()).isGreaterThan(44_000);
    // A refusal costs nothing: what is left can still be spent.
    Decision fits = limiter.tryConsume("org:1", 10, 1);
    assertThat(fits.allowed()).isTrue();
    assertThat(fits.remaining()).isZero();
  }

  @Test
  void aCostAboveTheWholeBudgetIsRefusedWithAWaitOfAtMostOneWindow() {
    Decision d = limiter.tryConsume("org:tiny", 2, 3);

    assertThat(d.allowed()).isFalse();
    assertThat(d.remaining()).isEqualTo(2);
    assertThat(d.retryAfterMillis()).isBetween(1_000L, 60_000L);
  }

  @Test
  void keysHaveSeparateBudgets() {
    assertThat(limiter.tryConsume("org:1", 3, 3).allowed()).isTrue();
    assertThat(limiter.tryConsume("org:1", 3, 1).allowed()).isFalse();

    Decision other = limiter.tryConsume("org:2", 3, 1);

    assertThat(other.allowed()).isTrue();
    assertThat(other.remaining()).isEqualTo(2);
  }

  @Test
  void aPlanChangeGivesAFreshBudgetOfTheNewSize() {
    assertThat(limiter.tryConsume("org:1", 100, 100).allowed()).isTrue();
    assertThat(limiter.tryConsume("org:1", 100, 1).allowed()).isFalse();

    Decision upgraded = limiter.tryConsume("org:1", 1000, 3);

    assertThat(upgraded.allowed()).isTrue();
    assertThat(upgraded.limit()).isEqualTo(1000);
    assertThat(upgraded.remaining()).isEqualTo(997);
  }

  @Test
  void theFullBudgetIsBackAfterTheWindowHasPassed() {
    assertThat(limiter.tryConsume("org:1", 100, 100).allowed()).isTrue();
    assertThat(limiter.tryConsume("org:1", 100, 1).allowed()).isFalse();
    clock.advance(Duration.ofSeconds(30));
    assertThat(limiter.tryConsume("org:1", 100, 1).allowed()).isFalse();

    clock.advance(Duration.ofSeconds(31));
    Decision next = limiter.tryConsume("org:1", 100, 1);

    assertThat(next.allowed()).isTrue();
    assertThat(next.remaining()).isEqualTo(99);
    assertThat(next.resetAt()).isAfter(clock.instant()).isBefore(clock.instant().plusSeconds(61));
  }

  @Test
  void anUnusedBudgetDoesNotAccumulateAcrossWindows() {
    clock.advance(Duration.ofMinutes(10));

    Decision d = limiter.tryConsume("org:1", 100, 100);

    assertThat(d.allowed()).isTrue();
    assertThat(limiter.tryConsume("org:1", 100, 1).allowed()).isFalse();
  }

  @Test
  void concurrentAttemptsAreGrantedExactlyTheBudgetWithinOneWindow() throws Exception {
    int threads = 16;
    int attemptsPerThread = 500;
    long budget = 1000;
    CountDownLatch go = new CountDownLatch(1);
    List<Future<long[]>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int t = 0; t < threads; t++) {
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  long granted = 0;
                  long refused = 0;
                  for (int i = 0; i < attemptsPerThread; i++) {
                    Decision d = limiter.tryConsume("org:busy", budget, 1);
                    if (d.allowed()) {
                      granted++;
                      assertThat(d.remaining()).isBetween(0L, budget - 1);
                    } else {
                      refused++;
                      assertThat(d.retryAfterMillis()).isPositive();
                    }
                  }
                  return new long[] {granted, refused};
                }));
      }
      go.countDown();
    }
    long granted = 0;
    long refused = 0;
    for (Future<long[]> f : results) {
      granted += f.get()[0];
      refused += f.get()[1];
    }

    assertThat(granted).isEqualTo(budget);
    assertThat(refused).isEqualTo((long) threads * attemptsPerThread - budget);
  }

  @Test
  void concurrentAttemptsOfMixedCostsGetExactlyTheBudgetInEachOfSeveralWindows() throws Exception {
    int threads = 16;
    long budget = 300;
    for (int window = 0; window < 3; window++) {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Long>> results = new ArrayList<>();
      try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
        for (int t = 0; t < threads; t++) {
          long cost = 1 + t % 3;
          results.add(
              pool.submit(
                  () -> {
                    go.await();
                    long points = 0;
                    for (int i = 0; i < 200; i++) {
                      if (limiter.tryConsume("org:mixed", budget, cost).allowed()) {
                        points += cost;
                      }
                    }
                    return points;
                  }));
        }
        go.countDown();
      }
      long points = 0;
      for (Future<Long> f : results) {
        points += f.get();
      }
      // The cost-1 threads alone ask for more than the budget and are refused only at zero, so
      // every point is granted, and not one more.
      assertThat(points).as("points granted in window %d", window).isEqualTo(budget);
      clock.advance(Duration.ofSeconds(61));
    }
  }
}
