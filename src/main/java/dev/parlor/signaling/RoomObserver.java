package dev.parlor.signaling;

import dev.parlor.meetings.Meeting;
import java.time.Instant;
import java.util.Map;

/**
 * Told about what happens in rooms, so insights and webhooks can follow real sessions without the
 * signaling package knowing about them.
 *
 * <p>Joins, leaves and knocks are reported inside the room's lock, before anyone (the participant
 * or the others in the room) is told of the change: an observer that stores something durably
 * before returning (a webhook event in the outbox) has stored it before the change is acknowledged,
 * and calls for one room arrive in the order the changes happened. Such an observer delays only
 * that room. Samples and media changes are reported after the lock is released. Implementations
 * must not call back into the signaling; a thrown exception is logged and ignored.
 */
public interface RoomObserver {

  /** An admitted participant, or one who just left. */
  record Participant(
      Meeting meeting,
      String connectionId,
      String participantId,
      String deviceId,
      String roleName,
      String displayName,
      String externalId,
      String metadata,
      String userAgent) {}

  /** A visitor waiting at a locked room's door; {@code knockId} is its connection's id. */
  record Knocker(
      Meeting meeting, String knockId, String displayName, String externalId, String metadata) {}

  /**
   * A connection was admitted to the room (after any knock) with its role; {@code present} counts
   * the room's admitted connections by role name, this one included.
   */
  void connected(Participant p, Map<String, Integer> present, Instant time);

  /**
   * An admitted connection left, was removed, or its meeting ended; {@code present} counts the
   * connections still in the room by role name.
   */
  void disconnected(Participant p, Map<String, Integer> present, Instant time);

  /**
   * A two-second {@code getStats} report: packet loss in percent, bitrate in bit/s (send summed
   * over every outgoing stream, receive over every incoming one).
   */
  default void sample(
      String connectionId,
      double packetLossSendPct,
      double packetLossRecvPct,
      double bitrateSendBps,
      double bitrateRecvBps,
      Instant time) {}

  /**
   * A media change of the participant: {@code audio_on}, {@code audio_off}, {@code video_on},
   * {@code video_off}, {@code screenshare_on}, {@code screenshare_off}.
   */
  default void mediaEvent(String connectionId, String type, Instant time) {}

  /** A visitor knocked at a locked room. */
  default void knocked(Knocker k, Instant time) {}

  /** A knocking visitor went away before a host answered. */
  default void knockCancelled(Knocker k, Instant time) {}

  /** Observes nothing. */
  RoomObserver NONE =
      new RoomObserver() {
        @Override
        public void connected(Participant p, Map<String, Integer> present, Instant time) {}

        @Override
        public void disconnected(Participant p, Map<String, Integer> present, Instant time) {}
      };
}
