package dev.parlor.meetings;

import dev.parlor.background.Periodic;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes meetings past their grace in the background. Reads never wait for it: an expired meeting
 * is invisible as soon as its grace ends; the sweep only reclaims storage.
 */
public final class MeetingSweeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MeetingSweeper.class);
  private static final int BATCH = 500;

  private final MeetingService meetings;
  private final Periodic job;

  public MeetingSweeper(MeetingService meetings, Duration interval) {
    this.meetings = meetings;
    this.job = new Periodic("parlor-meeting-sweeper", interval, this::sweepAll);
  }

  public void start() {
    job.start();
  }

  /** Sweeps until nothing expired is left. */
  public int sweepAll() {
    int total = 0;
    int n;
    do {
      n = meetings.sweep(BATCH);
      total += n;
    } while (n == BATCH);
    if (total > 0) {
      log.info("Swept {} expired meetings", total);
    }
    return total;
  }

  @Override
  public void close() {
    job.close();
  }
}
