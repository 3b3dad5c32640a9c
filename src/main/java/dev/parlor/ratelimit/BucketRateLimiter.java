package dev.parlor.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-process rate limiter: one Bucket4j bucket per key, refilled all at once every minute (an
 * interval refill, so the budget is a fixed window, as the hosted API's is). Buckets are lock-free
 * and safe under any concurrency; a key whose plan changes gets a fresh bucket.
 */
public final class BucketRateLimiter implements RateLimiter {
  private static final Duration WINDOW = Duration.ofMinutes(1);

  /** Above this many keys (client addresses, say), full buckets are dropped: see {@link #prune}. */
  static final int PRUNE_ABOVE = 10_000;

  private final Clock clock;
  private final TimeMeter timeMeter;
  private final ConcurrentHashMap<String, Entry> buckets = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong prunedAt =
      new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE / 2);

  private record Entry(long limit, Bucket bucket) {}

  public BucketRateLimiter(Clock clock) {
    this.clock = clock;
    this.timeMeter =
        new TimeMeter() {
          @Override
          public long currentTimeNanos() {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
          }

          @Override
          public boolean isWallClockBased() {
            return true;
          }
        };
  }

  @Override
  public Decision tryConsume(String key, long pointsPerMinute, long cost) {
    if (buckets.size() > PRUNE_ABOVE) {
      prune();
    }
    Entry e =
        buckets.compute(
            key,
            (k, old) ->
                old != null && old.limit() == pointsPerMinute ? old : newEntry(pointsPerMinute));
    ConsumptionProbe p = e.bucket().tryConsumeAndReturnRemaining(cost);
    Instant now = clock.instant();
    long resetNanos = p.getNanosToWaitForReset();
    Instant resetAt = now.plusNanos(resetNanos > 0 ? resetNanos : WINDOW.toNanos());
    if (p.isConsumed()) {
      return new Decision(true, pointsPerMinute, p.getRemainingTokens(), resetAt, 0);
    }
    // A cost above the whole budget can never be met: Bucket4j says Long.MAX_VALUE, which would
    // overflow here. No wait in this limiter is longer than one window.
    long waitNanos = Math.min(p.getNanosToWaitForRefill(), WINDOW.toNanos());
    long waitMs = Math.max(1, (waitNanos + 999_999) / 1_000_000);
    return new Decision(false, pointsPerMinute, p.getRemainingTokens(), resetAt, waitMs);
  }

  /**
   * Keys are per organization and per client address, so without this the map would grow with every
   * address ever seen. A full bucket is indistinguishable from a new one, so dropping it changes no
   * decision; at most once a second.
   */
  private void prune() {
    long now = clock.millis();
    long last = prunedAt.get();
    if (now - last < 1_000 || !prunedAt.compareAndSet(last, now)) {
      return;
    }
    buckets.values().removeIf(e -> e.bucket().getAvailableTokens() >= e.limit());
  }

  /** Keys held now (for tests). */
  int size() {
    return buckets.size();
  }

  private Entry newEntry(long pointsPerMinute) {
    Bucket b =
        Bucket.builder()
            .addLimit(
                Bandwidth.builder()
                    .capacity(pointsPerMinute)
                    .refillIntervally(pointsPerMinute, WINDOW)
                    .build())
            .withCustomTimePrecision(timeMeter)
            .build();
    return new Entry(pointsPerMinute, b);
  }
}
