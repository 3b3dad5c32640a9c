package dev.parlor.background;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job run every {@code interval} on its own virtual thread, from {@link #start} until {@link
 * #close}. A failed run is logged and the job runs again at the next interval.
 */
public final class Periodic implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Periodic.class);

  private final String name;
  private final Duration interval;
  private final Runnable job;
  private volatile Thread thread;

  /**
   * @param name the thread's name, also used in the log when a run fails
   */
  public Periodic(String name, Duration interval, Runnable job) {
    this.name = name;
    this.interval = interval;
    this.job = job;
  }

  public void start() {
    thread = Thread.ofVirtual().name(name).start(this::loop);
  }

  private void loop() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(interval);
        job.run();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("{} failed; will run again in {}: {}", name, interval, e.toString());
      }
    }
  }

  @Override
  public void close() {
    Thread t = thread;
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
