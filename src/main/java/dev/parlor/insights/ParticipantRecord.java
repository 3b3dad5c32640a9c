package dev.parlor.insights;

/**
 * A participant of a session: one participant id, whatever its number of connections. The
 * descriptive fields are its latest connection's; {@code leftAt} is null while any of its
 * connections is in the session.
 */
public record ParticipantRecord(
    long id,
    long sessionId,
    long meetingId,
    long organizationId,
    String roomSessionId,
    String participantId,
    String deviceId,
    String roleName,
    String displayName,
    String externalId,
    long joinedAt,
    Long leftAt) {}
