package dev.parlor.insights;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background side of insights: a tick every second (ends sessions whose idle time ran out,
 * writes aged sample chunks) and the retention sweep every sweep interval.
 */
public final class InsightsJobs implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InsightsJobs.class);
  private static final Duration TICK = Duration.ofSeconds(1);

  private final RoomActivity activity;
  private final InsightsService insights;
  private final Duration sweepInterval;
  private volatile Thread ticker;
  private volatile Thread sweeper;

  public InsightsJobs(RoomActivity activity, InsightsService insights, Duration sweepInterval) {
    this.activity = activity;
    this.insights = insights;
    this.sweepInterval = sweepInterval;
  }

  public void start() {
    ticker =
        Thread.ofVirtual().name("parlor-insights-ticker").start(() -> loop(TICK, activity::tick));
    sweeper =
        Thread.ofVirtual()
            .name("parlor-insights-sweeper")
            .start(() -> loop(sweepInterval, insights::sweep));
  }

  private static void loop(Duration every, Runnable job) {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(every);
        job.run();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("Insights job failed; will retry: {}", e.toString());
      }
    }
  }

  @Override
  public void close() {
    for (Thread t : new Thread[] {ticker, sweeper}) {
      if (t != null) {
        t.interrupt();
        try {
          t.join(5_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
