package dev.parlor.insights;

import java.time.Instant;

/**
 * Told when a room session starts and ends, by the rule insights use (two participants start it; it
 * ends once fewer than two have been there for the idle time, at the moment the dip began). Called
 * on the thread that reported the change, after the room's insights state is updated and before
 * that call returns, so a listener that stores something durably has stored it before the join or
 * leave that caused it is acknowledged. Must not throw; must not call back into insights.
 */
public interface SessionListener {

  void sessionStarted(long meetingId, String roomName, String roomSessionId, Instant startedAt);

  void sessionEnded(
      long meetingId, String roomName, String roomSessionId, Instant startedAt, Instant endedAt);

  SessionListener NONE =
      new SessionListener() {
        @Override
        public void sessionStarted(
            long meetingId, String roomName, String roomSessionId, Instant startedAt) {}

        @Override
        public void sessionEnded(
            long meetingId,
            String roomName,
            String roomSessionId,
            Instant startedAt,
            Instant endedAt) {}
      };
}
