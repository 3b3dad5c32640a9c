package dev.parlor.insights;

import static dev.parlor.insights.SqlInsightsStore.CONNECTION_COLUMNS;
import static dev.parlor.insights.SqlInsightsStore.PARTICIPANT_COLUMNS;
import static dev.parlor.insights.SqlInsightsStore.ROOM_COLUMNS;
import static dev.parlor.insights.SqlInsightsStore.SESSION_COLUMNS;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Writes one {@link WriteBatch} of insights in the caller's transaction: new and changed rooms,
 * sessions, participants and connections, sample chunks and media events.
 */
final class SqlInsightsBatches {
  private SqlInsightsBatches() {}

  static void write(Handle h, WriteBatch b) {
    insertRooms(h, b.newRooms);
    removeRooms(h, b.removedRooms);
    insertSessions(h, b.newSessions);
    updateSessions(h, b.changedSessions);
    insertParticipants(h, b.newParticipants);
    updateParticipants(h, b.changedParticipants);
    insertConnections(h, b.newConnections);
    updateConnections(h, b.changedConnections);
    updateRooms(h, b.changedRooms);
    insertChunks(h, b.chunks);
    insertEvents(h, b.events);
  }

  // The ingestion's batches use plain JDBC with positional parameters: JDBI's named binding costs
  // more CPU per row than SQLite's own work, and these run on the one writer thread.

  @FunctionalInterface
  private interface Binder<T> {
    void bind(PreparedStatement ps, T row) throws SQLException;
  }

  private static <T> void batch(Handle h, String sql, List<T> rows, Binder<T> binder) {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = h.getConnection().prepareStatement(sql)) {
      for (T row : rows) {
        binder.bind(ps, row);
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new IllegalStateException("insights write failed: " + sql, e);
    }
  }

  private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, v);
    }
  }

  private static void setString(PreparedStatement ps, int i, String v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.VARCHAR);
    } else {
      ps.setString(i, v);
    }
  }

  /** Binds the six totals from {@code i} on; returns the next index. */
  private static int setTotals(PreparedStatement ps, int i, Totals t) throws SQLException {
    ps.setLong(i++, t.participantMinutes());
    ps.setLong(i++, t.recorderMinutes());
    ps.setLong(i++, t.streamerMinutes());
    ps.setLong(i++, t.uniqueParticipants());
    ps.setLong(i++, t.uniqueRecorders());
    ps.setLong(i++, t.uniqueStreamers());
    return i;
  }

  private static final String TOTALS_SET =
      "total_participant_minutes = ?, total_recorder_minutes = ?, total_streamer_minutes = ?,"
          + " total_unique_participants = ?, total_unique_recorders = ?,"
          + " total_unique_streamers = ?";

  private static void insertRooms(Handle h, List<RoomRecord> rows) {
    batch(
        h,
        "INSERT INTO insights_rooms ("
            + ROOM_COLUMNS
            + ") SELECT ?, ?, ?, ?, ?, NULL, NULL, 0, 0, 0, 0, 0, 0, 0 WHERE NOT EXISTS"
            + " (SELECT 1 FROM insights_rooms WHERE meeting_id = ?)",
        rows,
        (ps, r) -> {
          ps.setLong(1, r.meetingId());
          ps.setLong(2, r.organizationId());
          ps.setString(3, r.roomName());
          ps.setLong(4, r.createdAt());
          ps.setLong(5, r.endAt());
          ps.setLong(6, r.meetingId());
        });
  }

  private static void removeRooms(Handle h, List<WriteBatch.RoomRemoval> rows) {
    batch(
        h,
        "UPDATE insights_rooms SET removed_at = ? WHERE meeting_id = ? AND removed_at IS NULL",
        rows,
        (ps, r) -> {
          ps.setLong(1, r.at());
          ps.setLong(2, r.meetingId());
        });
  }

  private static void insertSessions(Handle h, List<SessionRecord> rows) {
    batch(
        h,
        "INSERT INTO insights_sessions ("
            + SESSION_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
        (ps, s) -> {
          ps.setLong(1, s.id());
          ps.setString(2, s.roomSessionId());
          ps.setLong(3, s.meetingId());
          ps.setLong(4, s.organizationId());
          ps.setString(5, s.roomName());
          ps.setLong(6, s.startedAt());
          setLong(ps, 7, s.endedAt());
          setTotals(ps, 8, s.totals());
        });
  }

  private static void updateSessions(Handle h, List<SessionRecord> rows) {
    batch(
        h,
        "UPDATE insights_sessions SET ended_at = ?, " + TOTALS_SET + " WHERE id = ?",
        rows,
        (ps, s) -> {
          setLong(ps, 1, s.endedAt());
          int i = setTotals(ps, 2, s.totals());
          ps.setLong(i, s.id());
        });
  }

  private static void insertParticipants(Handle h, List<ParticipantRecord> rows) {
    batch(
        h,
        "INSERT INTO insights_participants ("
            + PARTICIPANT_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
        (ps, p) -> {
          ps.setLong(1, p.id());
          ps.setLong(2, p.sessionId());
          ps.setLong(3, p.meetingId());
          ps.setLong(4, p.organizationId());
          ps.setString(5, p.roomSessionId());
          ps.setString(6, p.participantId());
          setString(ps, 7, p.deviceId());
          ps.setString(8, p.roleName());
          setString(ps, 9, p.displayName());
          setString(ps, 10, p.externalId());
          ps.setLong(11, p.joinedAt());
          setLong(ps, 12, p.leftAt());
        });
  }

  private static void updateParticipants(Handle h, List<ParticipantRecord> rows) {
    batch(
        h,
        "UPDATE insights_participants SET device_id = ?, role_name = ?, display_name = ?,"
            + " external_id = ?, joined_at = ?, left_at = ? WHERE id = ?",
        rows,
        (ps, p) -> {
          setString(ps, 1, p.deviceId());
          ps.setString(2, p.roleName());
          setString(ps, 3, p.displayName());
          setString(ps, 4, p.externalId());
          ps.setLong(5, p.joinedAt());
          setLong(ps, 6, p.leftAt());
          ps.setLong(7, p.id());
        });
  }

  private static void insertConnections(Handle h, List<ConnectionRecord> rows) {
    batch(
        h,
        "INSERT INTO insights_connections ("
            + CONNECTION_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
        (ps, c) -> {
          ps.setLong(1, c.id());
          ps.setLong(2, c.connectionId());
          ps.setLong(3, c.sessionId());
          ps.setLong(4, c.meetingId());
          ps.setString(5, c.participantId());
          setString(ps, 6, c.deviceId());
          ps.setString(7, c.roleName());
          setString(ps, 8, c.displayName());
          setString(ps, 9, c.externalId());
          setString(ps, 10, c.userAgent());
          ps.setLong(11, c.connectedAt());
          ps.setLong(12, c.joinedAt());
          setLong(ps, 13, c.leftAt());
        });
  }

  private static void updateConnections(Handle h, List<ConnectionRecord> rows) {
    batch(
        h,
        "UPDATE insights_connections SET left_at = ? WHERE id = ?",
        rows,
        (ps, c) -> {
          setLong(ps, 1, c.leftAt());
          ps.setLong(2, c.id());
        });
  }

  private static void updateRooms(Handle h, List<RoomRecord> rows) {
    batch(
        h,
        "UPDATE insights_rooms SET first_session_started_at = ?, last_session_started_at = ?, "
            + TOTALS_SET
            + ", total_sessions = ? WHERE meeting_id = ?",
        rows,
        (ps, r) -> {
          setLong(ps, 1, r.firstSessionStartedAt());
          setLong(ps, 2, r.lastSessionStartedAt());
          int i = setTotals(ps, 3, r.totals());
          ps.setLong(i++, r.sessions());
          ps.setLong(i, r.meetingId());
        });
  }

  private static void insertChunks(Handle h, List<SampleChunk> rows) {
    batch(
        h,
        "INSERT INTO insights_samples (connection_id, seq, meeting_id, first_at, last_at,"
            + " sample_count, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
        (ps, c) -> {
          ps.setLong(1, c.connectionId());
          ps.setInt(2, c.seq());
          ps.setLong(3, c.meetingId());
          ps.setLong(4, c.firstAt());
          ps.setLong(5, c.lastAt());
          ps.setInt(6, c.count());
          ps.setString(7, c.data());
        });
  }

  private static void insertEvents(Handle h, List<MediaEventRecord> rows) {
    batch(
        h,
        "INSERT INTO insights_media_events (connection_id, seq, meeting_id, occurred_at,"
            + " event_type) VALUES (?, ?, ?, ?, ?)",
        rows,
        (ps, e) -> {
          ps.setLong(1, e.connectionId());
          ps.setInt(2, e.seq());
          ps.setLong(3, e.meetingId());
          ps.setLong(4, e.at());
          ps.setString(5, e.event().wireName());
        });
  }
}
