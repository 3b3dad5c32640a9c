package dev.parlor.signaling;

import java.time.Instant;

/**
 * Told about every room connection, so insights can record real sessions without the signaling
 * package knowing about them. Called on signaling threads, never while a room's lock is held;
 * implementations should be quick (they delay that connection's next message) and must not throw (a
 * thrown exception is logged and ignored).
 */
public interface RoomObserver {

  /** A connection was admitted to the room (after any knock) with its role. */
  void connected(
      String meetingId,
      String roomName,
      String connectionId,
      String participantId,
      String deviceId,
      String roleName,
      String displayName,
      String externalId,
      String userAgent,
      Instant time);

  /** An admitted connection left, was removed, or its meeting ended. */
  void disconnected(
      String meetingId, String roomName, String connectionId, String participantId, Instant time);

  /**
   * A two-second {@code getStats} report: packet loss in percent, bitrate in bit/s (send summed
   * over every outgoing stream, receive over every incoming one).
   */
  void sample(
      String connectionId,
      double packetLossSendPct,
      double packetLossRecvPct,
      double bitrateSendBps,
      double bitrateRecvBps,
      Instant time);

  /**
   * A media change of the participant: {@code audio_on}, {@code audio_off}, {@code video_on},
   * {@code video_off}, {@code screenshare_on}, {@code screenshare_off}.
   */
  void mediaEvent(String connectionId, String type, Instant time);

  /** Observes nothing. */
  RoomObserver NONE =
      new RoomObserver() {
        @Override
        public void connected(
            String meetingId,
            String roomName,
            String connectionId,
            String participantId,
            String deviceId,
            String roleName,
            String displayName,
            String externalId,
            String userAgent,
            Instant time) {}

        @Override
        public void disconnected(
            String meetingId,
            String roomName,
            String connectionId,
            String participantId,
            Instant time) {}

        @Override
        public void sample(
            String connectionId,
            double packetLossSendPct,
            double packetLossRecvPct,
            double bitrateSendBps,
            double bitrateRecvBps,
            Instant time) {}

        @Override
        public void mediaEvent(String connectionId, String type, Instant time) {}
      };
}
