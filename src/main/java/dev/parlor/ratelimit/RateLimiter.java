package dev.parlor.ratelimit;

import java.time.Instant;

/**
 * A budget of points per key per one-minute window. Implementations must never grant more than
 * {@code pointsPerMinute} points to a key within one window, whatever the concurrency.
 */
public interface RateLimiter {

  /**
   * Takes {@code cost} points from {@code key}'s budget of {@code pointsPerMinute}, if it has them.
   */
  Decision tryConsume(String key, long pointsPerMinute, long cost);

  /**
   * The outcome of one attempt.
   *
   * @param allowed whether the points were taken
   * @param limit the budget per window
   * @param remaining points left in this window after the attempt
   * @param resetAt when the window resets and the budget is full again
   * @param retryAfterMillis when refused, how long until {@code cost} points are available
   */
  record Decision(
      boolean allowed, long limit, long remaining, Instant resetAt, long retryAfterMillis) {}
}
