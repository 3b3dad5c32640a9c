package dev.parlor.signaling;

import dev.parlor.background.Periodic;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends rooms when their meeting expires (its end plus the grace period), every few seconds, so
 * nobody stays in an expired room until the next sweep deletes the meeting.
 */
public final class RoomExpiry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RoomExpiry.class);

  private final Periodic job;

  public RoomExpiry(SignalingService signaling, Duration every) {
    this.job =
        new Periodic(
            "parlor-room-expiry",
            every,
            () -> {
              int n = signaling.endExpiredRooms();
              if (n > 0) {
                log.info("Ended {} rooms whose meeting expired", n);
              }
            });
  }

  public void start() {
    job.start();
  }

  @Override
  public void close() {
    job.close();
  }
}
