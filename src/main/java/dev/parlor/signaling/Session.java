package dev.parlor.signaling;

/**
 * One WebSocket connection as the room logic sees it: its id, what the browser said about itself,
 * and which room it asked for. Touched only by the connection's own reading thread.
 */
public final class Session {
  final String connectionId;
  final String userAgent;
  volatile String roomName; // set by the first join
  String meetingId;
  String participantId;
  String claimedParticipantId; // from a genuine participantToken of this meeting, else null
  String deviceId = "";
  String displayName = "";
  String externalId = "";
  String metadata = "";
  boolean mayKnock; // refused with room_locked as a visitor: may knock now
  volatile boolean closed;
  boolean released; // counted out of the open connections

  // a small token bucket: bursts of 200 messages, 50 a second after that
  private double tokens = 200;
  private long lastRefillNanos = System.nanoTime();

  Session(String connectionId, String userAgent) {
    this.connectionId = connectionId;
    this.userAgent = userAgent == null ? "" : userAgent;
  }

  public String connectionId() {
    return connectionId;
  }

  boolean allowMessage() {
    long now = System.nanoTime();
    tokens = Math.min(200, tokens + (now - lastRefillNanos) / 1e9 * 50);
    lastRefillNanos = now;
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }
}
