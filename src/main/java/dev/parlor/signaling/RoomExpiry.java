package dev.parlor.signaling;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends rooms when their meeting expires (its end plus the grace period), every few seconds, so
 * nobody stays in an expired room until the next sweep deletes the meeting.
 */
public final class RoomExpiry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RoomExpiry.class);

  private final SignalingService signaling;
  private final Duration every;
  private volatile Thread loop;

  public RoomExpiry(SignalingService signaling, Duration every) {
    this.signaling = signaling;
    this.every = every;
  }

  public void start() {
    loop = Thread.ofVirtual().name("parlor-room-expiry").start(this::run);
  }

  private void run() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(every);
        int n = signaling.endExpiredRooms();
        if (n > 0) {
          log.info("Ended {} rooms whose meeting expired", n);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("Ending expired rooms failed; will retry: {}", e.toString());
      }
    }
  }

  @Override
  public void close() {
    Thread t = loop;
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
