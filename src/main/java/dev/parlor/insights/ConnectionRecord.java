package dev.parlor.insights;

/**
 * A connection's time in one session. {@code connectionId} names the connection itself (the same in
 * every session it is part of) and keys its samples and events; {@code connectedAt} is when it
 * joined the room, {@code joinedAt} and {@code leftAt} bound its time in this session ({@code
 * leftAt} null while it is in the session).
 */
public record ConnectionRecord(
    long id,
    long connectionId,
    long sessionId,
    long meetingId,
    String participantId,
    String deviceId,
    String roleName,
    String displayName,
    String externalId,
    String userAgent,
    long connectedAt,
    long joinedAt,
    Long leftAt) {}
