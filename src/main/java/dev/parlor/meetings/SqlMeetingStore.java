package dev.parlor.meetings;

import dev.parlor.db.SqlErrors;
import dev.parlor.db.WriteBatcher;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** {@link MeetingStore} in SQL; inserts go through the group-commit writer. */
public final class SqlMeetingStore implements MeetingStore {
  private static final String COLUMNS =
      "id, organization_id, room_name, start_date, end_date, room_mode, is_locked, template_type,"
          + " options_json";

  private final Jdbi jdbi;
  private final WriteBatcher writer;

  public SqlMeetingStore(Jdbi jdbi, WriteBatcher writer) {
    this.jdbi = jdbi;
    this.writer = writer;
  }

  @Override
  public void insert(Meeting m) {
    try {
      writer.write(
          h ->
              h.createUpdate(
                      "INSERT INTO meetings ("
                          + COLUMNS
                          + ") VALUES (:id, :org, :room, :start,"
                          + " :end, :mode, :locked, :template, :options)")
                  .bind("id", m.id())
                  .bind("org", m.organizationId())
                  .bind("room", m.roomName())
                  .bind("start", m.startDate().toEpochMilli())
                  .bind("end", m.endDate().toEpochMilli())
                  .bind("mode", m.roomMode().wire())
                  .bind("locked", m.locked())
                  .bind("template", m.templateType().orElse(null))
                  .bind("options", m.optionsJson())
                  .execute());
    } catch (RuntimeException e) {
      if (SqlErrors.isUniqueViolation(e)) {
        throw new RoomNameTakenException(m.roomName());
      }
      throw e;
    }
  }

  @Override
  public Optional<Meeting> findLive(long organizationId, long meetingId, Instant cutoff) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + COLUMNS
                        + " FROM meetings WHERE id = :id AND organization_id = :org"
                        + " AND end_date > :cutoff")
                .bind("id", meetingId)
                .bind("org", organizationId)
                .bind("cutoff", cutoff.toEpochMilli())
                .map(SqlMeetingStore::meeting)
                .findOne());
  }

  @Override
  public Optional<Meeting> findLiveByRoomName(String roomName, Instant cutoff) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + COLUMNS
                        + " FROM meetings WHERE room_name = :room"
                        + " AND end_date > :cutoff")
                .bind("room", roomName)
                .bind("cutoff", cutoff.toEpochMilli())
                .map(SqlMeetingStore::meeting)
                .findOne());
  }

  @Override
  public List<Meeting> listLive(long organizationId, long afterId, int limit, Instant cutoff) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + COLUMNS
                        + " FROM meetings WHERE organization_id = :org"
                        + " AND id > :after AND end_date > :cutoff ORDER BY id LIMIT :limit")
                .bind("org", organizationId)
                .bind("after", afterId)
                .bind("cutoff", cutoff.toEpochMilli())
                .bind("limit", limit)
                .map(SqlMeetingStore::meeting)
                .list());
  }

  @Override
  public boolean delete(long organizationId, long meetingId) {
    return writer.write(
            h ->
                h.createUpdate("DELETE FROM meetings WHERE id = :id AND organization_id = :org")
                    .bind("id", meetingId)
                    .bind("org", organizationId)
                    .execute())
        > 0;
  }

  @Override
  public List<Meeting> deleteExpired(Instant cutoff, int max) {
    return writer.write(
        h -> {
          List<Meeting> expired =
              h.createQuery(
                      "SELECT "
                          + COLUMNS
                          + " FROM meetings WHERE end_date <= :cutoff"
                          + " ORDER BY end_date LIMIT :max")
                  .bind("cutoff", cutoff.toEpochMilli())
                  .bind("max", max)
                  .map(SqlMeetingStore::meeting)
                  .list();
          for (Meeting m : expired) {
            h.createUpdate("DELETE FROM meetings WHERE id = :id").bind("id", m.id()).execute();
          }
          return expired;
        });
  }

  private static Meeting meeting(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Meeting(
        rs.getLong("id"),
        rs.getLong("organization_id"),
        rs.getString("room_name"),
        Instant.ofEpochMilli(rs.getLong("start_date")),
        Instant.ofEpochMilli(rs.getLong("end_date")),
        Meeting.RoomMode.fromWire(rs.getString("room_mode")),
        rs.getBoolean("is_locked"),
        Optional.ofNullable(rs.getString("template_type")),
        rs.getString("options_json"));
  }
}
