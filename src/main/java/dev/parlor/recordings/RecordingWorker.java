package dev.parlor.recordings;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out recordings' background work ({@link RecordingService#processBackgroundWork}): at
 * start (so bulk deletes accepted before a restart are finished), whenever a bulk delete is queued,
 * and every {@code interval} (retention). A failed pass is logged and retried.
 */
public final class RecordingWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RecordingWorker.class);

  private final RecordingService recordings;
  private final Duration interval;
  private final Semaphore wake = new Semaphore(0);
  private volatile boolean paused;
  private volatile Thread thread;

  public RecordingWorker(RecordingService recordings, Duration interval) {
    this.recordings = recordings;
    this.interval = interval;
    recordings.onWorkQueued(wake::release);
  }

  public void start() {
    thread = Thread.ofVirtual().name("parlor-recording-worker").start(this::loop);
  }

  /** Stops carrying out work until {@link #resume} (for tests of work that survives a restart). */
  public void pause() {
    paused = true;
  }

  public void resume() {
    paused = false;
    wake.release();
  }

  private void loop() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        if (!paused) {
          int n = recordings.processBackgroundWork();
          if (n > 0) {
            log.info("Deleted {} recordings", n);
          }
        }
        wake.tryAcquire(interval.toMillis(), TimeUnit.MILLISECONDS);
        wake.drainPermits();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("Recording background work failed; will retry: {}", e.toString());
        try {
          Thread.sleep(Math.min(interval.toMillis(), 1000));
        } catch (InterruptedException ie) {
          return;
        }
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
