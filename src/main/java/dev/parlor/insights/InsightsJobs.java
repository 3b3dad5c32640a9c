package dev.parlor.insights;

import dev.parlor.background.Periodic;
import java.time.Duration;

/**
 * The background side of insights: a tick every second (ends sessions whose idle time ran out,
 * writes aged sample chunks) and the retention sweep every sweep interval.
 */
public final class InsightsJobs implements AutoCloseable {
  private static final Duration TICK = Duration.ofSeconds(1);

  private final Periodic ticker;
  private final Periodic sweeper;

  public InsightsJobs(RoomActivity activity, InsightsService insights, Duration sweepInterval) {
    this.ticker = new Periodic("parlor-insights-ticker", TICK, activity::tick);
    this.sweeper = new Periodic("parlor-insights-sweeper", sweepInterval, insights::sweep);
  }

  public void start() {
    ticker.start();
    sweeper.start();
  }

  @Override
  public void close() {
    ticker.close();
    sweeper.close();
  }
}
