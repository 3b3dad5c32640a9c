package dev.parlor.meetings;

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
  private final Duration interval;
  private volatile Thread thread;

  public MeetingSweeper(MeetingService meetings, Duration interval) {
    this.meetings = meetings;
    this.interval = interval;
  }

  public void start() {
    thread = Thread.ofVirtual().name("parlor-meeting-sweeper").start(this::loop);
  }

  private void loop() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(interval);
        sweepAll();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("Meeting sweep failed; will retry: {}", e.toString());
      }
    }
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
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }
}
