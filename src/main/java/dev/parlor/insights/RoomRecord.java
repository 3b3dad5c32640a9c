package dev.parlor.insights;

/**
 * A room's insights: the meeting it belongs to and its aggregates over all its sessions. Times are
 * epoch milliseconds; the session dates are null while the room has had no session.
 */
public record RoomRecord(
    long meetingId,
    long organizationId,
    String roomName,
    long createdAt,
    long endAt,
    Long firstSessionStartedAt,
    Long lastSessionStartedAt,
    Totals totals,
    long sessions) {

  /** A room that has had no session yet. */
  public static RoomRecord empty(
      long meetingId, long organizationId, String roomName, long createdAt, long endAt) {
    return new RoomRecord(
        meetingId, organizationId, roomName, createdAt, endAt, null, null, Totals.ZERO, 0);
  }
}
