package dev.parlor.insights;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Where insights live: rooms, sessions, participants, connections, samples and media events. The
 * ingestion writes through {@link #write}; the API reads through the listing methods, which page by
 * keyset (sort value, id) so a page boundary is stable under every sort order.
 */
public interface InsightsStore {

  /** A position in a listing: the last row's sort value and id. */
  record Keyset(long value, long id) {}

  /** Rooms of one organization; filters combine with AND, room names compare in lower case. */
  record RoomQuery(
      long organizationId,
      Optional<String> nameExact,
      Optional<String> nameStartsWith,
      Optional<String> nameContains,
      OptionalLong createdFrom,
      OptionalLong createdTo,
      RoomSort sort,
      boolean descending,
      Optional<Keyset> after,
      int limit) {}

  /** Sessions of the organization's rooms named {@code roomName}. */
  record SessionQuery(
      long organizationId,
      String roomName,
      Optional<String> roomSessionId,
      SessionSort sort,
      boolean descending,
      Optional<Keyset> after,
      int limit) {}

  /** Participants of one session, or with one external id, or both. */
  record ParticipantQuery(
      long organizationId,
      Optional<String> roomSessionId,
      Optional<String> externalId,
      ParticipantSort sort,
      boolean descending,
      Optional<Keyset> after,
      int limit) {}

  // ------------------------------------------------------------------ rooms' lifecycle

  /** Records a new room; does nothing when the meeting already has one. */
  void insertRoom(RoomRecord room);

  /** Notes when the meeting was deleted or swept (the first time only). */
  void markRoomRemoved(long meetingId, long at);

  Optional<RoomRecord> findRoom(long meetingId);

  // ------------------------------------------------------------------ ingestion

  /** Writes a batch in one transaction. */
  void write(WriteBatch batch);

  /** The participant ids seen in any session of the room, by kind. */
  Map<Role.Kind, Set<String>> identities(long meetingId);

  /** Sessions that have not ended (after a restart: the ones to close). */
  List<SessionRecord> openSessions();

  List<ParticipantRecord> participantsOf(long sessionId);

  List<ConnectionRecord> connectionsOf(long sessionId);

  /** The latest sample or media event time of each connection that has any. */
  Map<Long, Long> lastSeen(Collection<Long> connectionIds);

  // ------------------------------------------------------------------ reads

  List<RoomRecord> rooms(RoomQuery q);

  List<SessionRecord> sessions(SessionQuery q);

  List<ParticipantRecord> participants(ParticipantQuery q);

  /**
   * The connections of a participant in a session of the organization, in join order, each with its
   * samples and events within its time in the session. Empty when there is no such session or
   * participant.
   */
  List<ConnectionDetail> participantConnections(
      long organizationId, String roomSessionId, String participantId);

  // ------------------------------------------------------------------ retention

  /**
   * Deletes the whole history of up to {@code max} rooms whose meeting was removed at or before
   * {@code removedBefore}, or whose meeting ended at or before {@code endedBefore}; returns how
   * many rooms.
   */
  int sweep(long removedBefore, long endedBefore, int max);
}
