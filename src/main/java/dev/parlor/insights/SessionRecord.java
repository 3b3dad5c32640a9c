package dev.parlor.insights;

/** A room session and its aggregates; {@code endedAt} is null while it runs. */
public record SessionRecord(
    long id,
    String roomSessionId,
    long meetingId,
    long organizationId,
    String roomName,
    long startedAt,
    Long endedAt,
    Totals totals) {}
