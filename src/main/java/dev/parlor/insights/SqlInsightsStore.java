package dev.parlor.insights;

import dev.parlor.db.WriteBatcher;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * {@link InsightsStore} in portable SQL. The ingestion's batches are written here directly (the
 * {@link InsightsWriter} thread batches them), the rooms of new and removed meetings among them;
 * every write runs on the shared group-commit writer's thread, the one writer of the database.
 *
 * <p>Listings page by keyset: {@code (sort expression, id) > (last value, last id)} (or {@code <}
 * descending), a row-value comparison both databases index. Sort expressions of nullable dates
 * replace NULL by the largest BIGINT, so both databases order them alike (after every date).
 */
public final class SqlInsightsStore implements InsightsStore {
  private static final String LAST = "9223372036854775807";

  static final String ROOM_COLUMNS =
      "meeting_id, organization_id, room_name, created_at, end_at, first_session_started_at,"
          + " last_session_started_at, total_participant_minutes, total_recorder_minutes,"
          + " total_streamer_minutes, total_unique_participants, total_unique_recorders,"
          + " total_unique_streamers, total_sessions";

  static final String SESSION_COLUMNS =
      "id, room_session_id, meeting_id, organization_id, room_name, started_at, ended_at,"
          + " total_participant_minutes, total_recorder_minutes, total_streamer_minutes,"
          + " total_unique_participants, total_unique_recorders, total_unique_streamers";

  static final String PARTICIPANT_COLUMNS =
      "id, session_id, meeting_id, organization_id, room_session_id, participant_id, device_id,"
          + " role_name, display_name, external_id, joined_at, left_at";

  static final String CONNECTION_COLUMNS =
      "id, connection_id, session_id, meeting_id, participant_id, device_id, role_name,"
          + " display_name, external_id, user_agent, connected_at, joined_at, left_at";

  private static final List<String> HISTORY_TABLES =
      List.of(
          "insights_samples",
          "insights_media_events",
          "insights_connections",
          "insights_participants",
          "insights_sessions",
          "insights_rooms");

  private final Jdbi jdbi;
  private final WriteBatcher writer;

  public SqlInsightsStore(Jdbi jdbi, WriteBatcher writer) {
    this.jdbi = jdbi;
    this.writer = writer;
  }

  // ------------------------------------------------------------------ rooms' lifecycle

  private static final String INSERT_ROOM =
      "INSERT INTO insights_rooms ("
          + ROOM_COLUMNS
          + ") SELECT :meetingId, :org, :roomName, :createdAt, :endAt, NULL, NULL,"
          + " 0, 0, 0, 0, 0, 0, 0 WHERE NOT EXISTS"
          + " (SELECT 1 FROM insights_rooms WHERE meeting_id = :meetingId)";

  private static final String REMOVE_ROOM =
      "UPDATE insights_rooms SET removed_at = :at WHERE meeting_id = :id AND removed_at IS NULL";

  @Override
  public void insertRoom(RoomRecord r) {
    writer.write(
        h ->
            h.createUpdate(INSERT_ROOM)
                .bind("meetingId", r.meetingId())
                .bind("org", r.organizationId())
                .bind("roomName", r.roomName())
                .bind("createdAt", r.createdAt())
                .bind("endAt", r.endAt())
                .execute());
  }

  @Override
  public void markRoomRemoved(long meetingId, long at) {
    writer.write(h -> h.createUpdate(REMOVE_ROOM).bind("at", at).bind("id", meetingId).execute());
  }

  @Override
  public Optional<RoomRecord> findRoom(long meetingId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT " + ROOM_COLUMNS + " FROM insights_rooms WHERE meeting_id = :id")
                .bind("id", meetingId)
                .map(SqlInsightsStore::room)
                .findOne());
  }

  // ------------------------------------------------------------------ ingestion

  @Override
  public void write(WriteBatch b) {
    if (b.isEmpty()) {
      return;
    }
    // Through the shared writer thread, in its transaction: with SQLite a second writing thread
    // would wait for the file lock in the busy handler's sleeps (tens of milliseconds) and make
    // the meetings' writes wait likewise.
    writer.write(
        h -> {
          SqlInsightsBatches.write(h, b);
          return null;
        });
  }

  @Override
  public Map<Role.Kind, Set<String>> identities(long meetingId) {
    Map<Role.Kind, Set<String>> out = new EnumMap<>(Role.Kind.class);
    jdbi.useHandle(
        h ->
            h.createQuery(
                    "SELECT DISTINCT participant_id, role_name FROM insights_connections"
                        + " WHERE meeting_id = :m")
                .bind("m", meetingId)
                .map(
                    (rs, ctx) -> {
                      Role.Kind k =
                          Role.fromWire(rs.getString("role_name"))
                              .map(Role::kind)
                              .orElse(Role.Kind.PARTICIPANT);
                      out.computeIfAbsent(k, x -> new HashSet<>())
                          .add(rs.getString("participant_id"));
                      return k;
                    })
                .list());
    return out;
  }

  @Override
  public List<SessionRecord> openSessions() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + SESSION_COLUMNS
                        + " FROM insights_sessions WHERE ended_at IS NULL ORDER BY id")
                .map(SqlInsightsStore::session)
                .list());
  }

  @Override
  public List<ParticipantRecord> participantsOf(long sessionId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + PARTICIPANT_COLUMNS
                        + " FROM insights_participants WHERE session_id = :s ORDER BY id")
                .bind("s", sessionId)
                .map(SqlInsightsStore::participant)
                .list());
  }

  @Override
  public List<ConnectionRecord> connectionsOf(long sessionId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + CONNECTION_COLUMNS
                        + " FROM insights_connections WHERE session_id = :s ORDER BY id")
                .bind("s", sessionId)
                .map(SqlInsightsStore::connection)
                .list());
  }

  @Override
  public Map<Long, Long> lastSeen(Collection<Long> connectionIds) {
    Map<Long, Long> out = new HashMap<>();
    if (connectionIds.isEmpty()) {
      return out;
    }
    jdbi.useHandle(
        h -> {
          for (String sql :
              List.of(
                  "SELECT connection_id, MAX(last_at) AS seen FROM insights_samples"
                      + " WHERE connection_id IN (<ids>) GROUP BY connection_id",
                  "SELECT connection_id, MAX(occurred_at) AS seen FROM insights_media_events"
                      + " WHERE connection_id IN (<ids>) GROUP BY connection_id")) {
            h.createQuery(sql)
                .bindList("ids", List.copyOf(connectionIds))
                .map(
                    (rs, ctx) ->
                        out.merge(rs.getLong("connection_id"), rs.getLong("seen"), Math::max))
                .list();
          }
        });
    return out;
  }

  // ------------------------------------------------------------------ reads

  static String expression(RoomSort s) {
    return switch (s) {
      case CREATED_AT -> "created_at";
      case END_AT -> "end_at";
      case FIRST_SESSION_STARTED_AT -> "COALESCE(first_session_started_at, " + LAST + ")";
      case LAST_SESSION_STARTED_AT -> "COALESCE(last_session_started_at, " + LAST + ")";
      case TOTAL_PARTICIPANT_MINUTES -> "total_participant_minutes";
      case TOTAL_RECORDER_MINUTES -> "total_recorder_minutes";
      case TOTAL_STREAMER_MINUTES -> "total_streamer_minutes";
      case TOTAL_UNIQUE_PARTICIPANTS -> "total_unique_participants";
      case TOTAL_UNIQUE_RECORDERS -> "total_unique_recorders";
      case TOTAL_UNIQUE_STREAMERS -> "total_unique_streamers";
      case TOTAL_SESSIONS -> "total_sessions";
    };
  }

  static String expression(SessionSort s) {
    return switch (s) {
      case STARTED_AT -> "started_at";
      case ENDED_AT -> "COALESCE(ended_at, " + LAST + ")";
      case TOTAL_PARTICIPANT_MINUTES -> "total_participant_minutes";
      case TOTAL_RECORDER_MINUTES -> "total_recorder_minutes";
      case TOTAL_STREAMER_MINUTES -> "total_streamer_minutes";
      case TOTAL_UNIQUE_PARTICIPANTS -> "total_unique_participants";
      case TOTAL_UNIQUE_RECORDERS -> "total_unique_recorders";
      case TOTAL_UNIQUE_STREAMERS -> "total_unique_streamers";
    };
  }

  static String expression(ParticipantSort s) {
    return switch (s) {
      case JOINED_AT -> "joined_at";
      case LEFT_AT -> "COALESCE(left_at, " + LAST + ")";
    };
  }

  /** The keyset condition and order for a sort expression and a tie-breaking id column. */
  private static String page(
      StringBuilder where, String expr, String idColumn, boolean desc, boolean hasAfter) {
    if (hasAfter) {
      where
          .append(" AND (")
          .append(expr)
          .append(", ")
          .append(idColumn)
          .append(desc ? ") < (:kv, :kid)" : ") > (:kv, :kid)");
    }
    String dir = desc ? " DESC" : " ASC";
    return where + " ORDER BY " + expr + dir + ", " + idColumn + dir + " LIMIT :limit";
  }

  private static void bindPage(Query q, Optional<Keyset> after, int limit) {
    after.ifPresent(k -> q.bind("kv", k.value()).bind("kid", k.id()));
    q.bind("limit", limit);
  }

  /**
   * A LIKE pattern matching {@code s} literally, with the escape character {@code !} (not a
   * backslash, which JDBI's statement parser reads as an escape inside quotes).
   */
  static String likeLiteral(String s) {
    return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }

  @Override
  public List<RoomRecord> rooms(RoomQuery q) {
    StringBuilder where =
        new StringBuilder(
            "SELECT " + ROOM_COLUMNS + " FROM insights_rooms WHERE organization_id = :org");
    q.nameExact().ifPresent(v -> where.append(" AND room_name = :exact"));
    q.nameStartsWith().ifPresent(v -> where.append(" AND room_name LIKE :sw ESCAPE '!'"));
    q.nameContains().ifPresent(v -> where.append(" AND room_name LIKE :ct ESCAPE '!'"));
    q.createdFrom().ifPresent(v -> where.append(" AND created_at >= :from"));
    q.createdTo().ifPresent(v -> where.append(" AND created_at <= :to"));
    String sql =
        page(where, expression(q.sort()), "meeting_id", q.descending(), q.after().isPresent());
    return jdbi.withHandle(
        h -> {
          Query query = h.createQuery(sql).bind("org", q.organizationId());
          q.nameExact().ifPresent(v -> query.bind("exact", lower(v)));
          q.nameStartsWith().ifPresent(v -> query.bind("sw", likeLiteral(lower(v)) + "%"));
          q.nameContains().ifPresent(v -> query.bind("ct", "%" + likeLiteral(lower(v)) + "%"));
          q.createdFrom().ifPresent(v -> query.bind("from", v));
          q.createdTo().ifPresent(v -> query.bind("to", v));
          bindPage(query, q.after(), q.limit());
          return query.map(SqlInsightsStore::room).list();
        });
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  @Override
  public List<SessionRecord> sessions(SessionQuery q) {
    StringBuilder where =
        new StringBuilder(
            "SELECT "
                + SESSION_COLUMNS
                + " FROM insights_sessions WHERE organization_id = :org AND room_name = :room");
    q.roomSessionId().ifPresent(v -> where.append(" AND room_session_id = :sid"));
    String sql = page(where, expression(q.sort()), "id", q.descending(), q.after().isPresent());
    return jdbi.withHandle(
        h -> {
          Query query =
              h.createQuery(sql).bind("org", q.organizationId()).bind("room", q.roomName());
          q.roomSessionId().ifPresent(v -> query.bind("sid", v));
          bindPage(query, q.after(), q.limit());
          return query.map(SqlInsightsStore::session).list();
        });
  }

  @Override
  public List<ParticipantRecord> participants(ParticipantQuery q) {
    StringBuilder where =
        new StringBuilder(
            "SELECT "
                + PARTICIPANT_COLUMNS
                + " FROM insights_participants WHERE organization_id = :org");
    q.roomSessionId()
        .ifPresent(
            v ->
                where.append(
                    " AND session_id IN (SELECT id FROM insights_sessions"
                        + " WHERE room_session_id = :sid AND organization_id = :org)"));
    q.externalId().ifPresent(v -> where.append(" AND external_id = :ext"));
    String sql = page(where, expression(q.sort()), "id", q.descending(), q.after().isPresent());
    return jdbi.withHandle(
        h -> {
          Query query = h.createQuery(sql).bind("org", q.organizationId());
          q.roomSessionId().ifPresent(v -> query.bind("sid", v));
          q.externalId().ifPresent(v -> query.bind("ext", v));
          bindPage(query, q.after(), q.limit());
          return query.map(SqlInsightsStore::participant).list();
        });
  }

  @Override
  public List<ConnectionDetail> participantConnections(
      long organizationId, String roomSessionId, String participantId) {
    return jdbi.withHandle(
        h -> {
          List<ConnectionRecord> conns =
              h.createQuery(
                      "SELECT "
                          + prefixed("c.", CONNECTION_COLUMNS)
                          + " FROM insights_connections c JOIN insights_sessions s"
                          + " ON s.id = c.session_id WHERE s.room_session_id = :sid"
                          + " AND s.organization_id = :org AND c.participant_id = :pid"
                          + " ORDER BY c.joined_at, c.id")
                  .bind("sid", roomSessionId)
                  .bind("org", organizationId)
                  .bind("pid", participantId)
                  .map(SqlInsightsStore::connection)
                  .list();
          if (conns.isEmpty()) {
            return List.<ConnectionDetail>of();
          }
          List<Long> ids = conns.stream().map(ConnectionRecord::connectionId).distinct().toList();
          Map<Long, List<Sample>> samples = new HashMap<>();
          h.createQuery(
                  "SELECT connection_id, first_at, data FROM insights_samples"
                      + " WHERE connection_id IN (<ids>) ORDER BY connection_id, seq")
              .bindList("ids", ids)
              .map(
                  (rs, ctx) ->
                      samples
                          .computeIfAbsent(rs.getLong("connection_id"), k -> new ArrayList<>())
                          .addAll(SampleCodec.decode(rs.getLong("first_at"), rs.getString("data"))))
              .list();
          Map<Long, List<MediaEventRecord>> events = new HashMap<>();
          h.createQuery(
                  "SELECT connection_id, seq, meeting_id, occurred_at, event_type"
                      + " FROM insights_media_events WHERE connection_id IN (<ids>)"
                      + " ORDER BY connection_id, seq")
              .bindList("ids", ids)
              .map(
                  (rs, ctx) ->
                      events
                          .computeIfAbsent(rs.getLong("connection_id"), k -> new ArrayList<>())
                          .add(
                              new MediaEventRecord(
                                  rs.getLong("connection_id"),
                                  rs.getInt("seq"),
                                  rs.getLong("meeting_id"),
                                  rs.getLong("occurred_at"),
                                  MediaEvent.fromWire(rs.getString("event_type"))
                                      .orElse(MediaEvent.CAMERA_OFF))))
              .list();
          // A connection's time in a session is [joinedAt, leftAt): a sample at the moment a
          // session ended belongs to the next one the connection is part of.
          List<ConnectionDetail> out = new ArrayList<>(conns.size());
          for (ConnectionRecord c : conns) {
            long from = c.joinedAt();
            long to = c.leftAt() == null ? Long.MAX_VALUE : c.leftAt();
            out.add(
                new ConnectionDetail(
                    c,
                    samples.getOrDefault(c.connectionId(), List.of()).stream()
                        .filter(s -> s.at() >= from && s.at() < to)
                        .toList(),
                    events.getOrDefault(c.connectionId(), List.of()).stream()
                        .filter(e -> e.at() >= from && e.at() < to)
                        .toList()));
          }
          return out;
        });
  }

  private static String prefixed(String prefix, String columns) {
    StringBuilder sb = new StringBuilder();
    for (String c : columns.split(",")) {
      if (!sb.isEmpty()) {
        sb.append(", ");
      }
      sb.append(prefix).append(c.trim());
    }
    return sb.toString();
  }

  // ------------------------------------------------------------------ retention

  @Override
  public int sweep(long removedBefore, long endedBefore, int max) {
    return writer.write(
        h -> {
          List<Long> ids =
              new ArrayList<>(
                  h.createQuery(
                          "SELECT meeting_id FROM insights_rooms WHERE removed_at <= :c"
                              + " ORDER BY removed_at, meeting_id LIMIT :max")
                      .bind("c", removedBefore)
                      .bind("max", max)
                      .mapTo(Long.class)
                      .list());
          if (ids.size() < max) {
            for (Long id :
                h.createQuery(
                        "SELECT meeting_id FROM insights_rooms WHERE end_at <= :c"
                            + " ORDER BY end_at, meeting_id LIMIT :max")
                    .bind("c", endedBefore)
                    .bind("max", max)
                    .mapTo(Long.class)
                    .list()) {
              if (ids.size() < max && !ids.contains(id)) {
                ids.add(id);
              }
            }
          }
          if (ids.isEmpty()) {
            return 0;
          }
          for (String table : HISTORY_TABLES) {
            h.createUpdate("DELETE FROM " + table + " WHERE meeting_id IN (<ids>)")
                .bindList("ids", ids)
                .execute();
          }
          return ids.size();
        });
  }

  // ------------------------------------------------------------------ mapping

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private static Totals totals(ResultSet rs) throws SQLException {
    return new Totals(
        rs.getLong("total_participant_minutes"),
        rs.getLong("total_recorder_minutes"),
        rs.getLong("total_streamer_minutes"),
        rs.getLong("total_unique_participants"),
        rs.getLong("total_unique_recorders"),
        rs.getLong("total_unique_streamers"));
  }

  static RoomRecord room(ResultSet rs, StatementContext ctx) throws SQLException {
    return new RoomRecord(
        rs.getLong("meeting_id"),
        rs.getLong("organization_id"),
        rs.getString("room_name"),
        rs.getLong("created_at"),
        rs.getLong("end_at"),
        nullableLong(rs, "first_session_started_at"),
        nullableLong(rs, "last_session_started_at"),
        totals(rs),
        rs.getLong("total_sessions"));
  }

  static SessionRecord session(ResultSet rs, StatementContext ctx) throws SQLException {
    return new SessionRecord(
        rs.getLong("id"),
        rs.getString("room_session_id"),
        rs.getLong("meeting_id"),
        rs.getLong("organization_id"),
        rs.getString("room_name"),
        rs.getLong("started_at"),
        nullableLong(rs, "ended_at"),
        totals(rs));
  }

  static ParticipantRecord participant(ResultSet rs, StatementContext ctx) throws SQLException {
    return new ParticipantRecord(
        rs.getLong("id"),
        rs.getLong("session_id"),
        rs.getLong("meeting_id"),
        rs.getLong("organization_id"),
        rs.getString("room_session_id"),
        rs.getString("participant_id"),
        rs.getString("device_id"),
        rs.getString("role_name"),
        rs.getString("display_name"),
        rs.getString("external_id"),
        rs.getLong("joined_at"),
        nullableLong(rs, "left_at"));
  }

  static ConnectionRecord connection(ResultSet rs, StatementContext ctx) throws SQLException {
    return new ConnectionRecord(
        rs.getLong("id"),
        rs.getLong("connection_id"),
        rs.getLong("session_id"),
        rs.getLong("meeting_id"),
        rs.getString("participant_id"),
        rs.getString("device_id"),
        rs.getString("role_name"),
        rs.getString("display_name"),
        rs.getString("external_id"),
        rs.getString("user_agent"),
        rs.getLong("connected_at"),
        rs.getLong("joined_at"),
        nullableLong(rs, "left_at"));
  }
}
