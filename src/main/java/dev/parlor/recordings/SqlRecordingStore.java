package dev.parlor.recordings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.parlor.db.WriteBatcher;
import dev.parlor.http.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;

/** {@link RecordingStore} in SQL; writes go through the group-commit writer. */
public final class SqlRecordingStore implements RecordingStore {
  private static final String COLUMNS =
      "id, organization_id, room_name, room_session_id, filename, start_date, end_date,"
          + " size_bytes, content_type, storage, storage_key, destination_json, state, created_at";

  private final Jdbi jdbi;
  private final WriteBatcher writer;

  public SqlRecordingStore(Jdbi jdbi, WriteBatcher writer) {
    this.jdbi = jdbi;
    this.writer = writer;
  }

  @Override
  public void insert(Recording r, WriteBatcher.Work<?> alongside) {
    writer.write(
        h -> {
          insert(h, r);
          return alongside.run(h);
        });
  }

  private static void insert(org.jdbi.v3.core.Handle h, Recording r) {
    h.createUpdate(
            "INSERT INTO recordings ("
                + COLUMNS
                + ", duration_ms) VALUES (:id, :org, :room, :session, :filename, :start,"
                + " :end, :size, :type, :storage, :key, :destination, :state, :created,"
                + " :duration)")
        .bind("id", r.recordingId())
        .bind("org", r.organizationId())
        .bind("room", r.roomName())
        .bind("session", r.roomSessionId())
        .bind("filename", r.filename())
        .bind("start", r.startDate().toEpochMilli())
        .bind("end", r.endDate().toEpochMilli())
        .bind("size", r.sizeBytes())
        .bind("type", r.contentType())
        .bind("storage", r.storage().wire())
        .bind("key", r.storageKey())
        .bind("destination", r.destinationJson().orElse(null))
        .bind("state", r.state().wire())
        .bind("created", r.createdAt().toEpochMilli())
        .bind("duration", r.endDate().toEpochMilli() - r.startDate().toEpochMilli())
        .execute();
  }

  @Override
  public Optional<Recording> find(long organizationId, String recordingId) {
    return jdbi.withHandle(h -> findReady(h, organizationId, recordingId));
  }

  @Override
  public Optional<Recording> findAnyOrganization(String recordingId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT " + COLUMNS + " FROM recordings WHERE id = :id AND state = 'ready'")
                .bind("id", recordingId)
                .map(SqlRecordingStore::recording)
                .findOne());
  }

  private static Optional<Recording> findReady(Handle h, long org, String id) {
    return h.createQuery(
            "SELECT "
                + COLUMNS
                + " FROM recordings WHERE id = :id AND organization_id = :org AND state = 'ready'")
        .bind("id", id)
        .bind("org", org)
        .map(SqlRecordingStore::recording)
        .findOne();
  }

  private static String column(SortField f) {
    return switch (f) {
      case ROOM_NAME -> "room_name";
      case START_DATE -> "start_date";
      case DURATION -> "duration_ms";
      case SIZE -> "size_bytes";
    };
  }

  @Override
  public List<Recording> list(
      long organizationId,
      Optional<String> roomName,
      Sort sort,
      Optional<Position> after,
      int limit) {
    String col = column(sort.field());
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(COLUMNS)
            .append(" FROM recordings WHERE organization_id = :org AND state = 'ready'");
    roomName.ifPresent(r -> sql.append(" AND room_name = :room"));
    if (after.isPresent()) {
      String cmp = sort.descending() ? "<" : ">";
      sql.append(" AND (")
          .append(col)
          .append(' ')
          .append(cmp)
          .append(" :v OR (")
          .append(col)
          .append(" = :v AND id > :afterId))");
    }
    sql.append(" ORDER BY ")
        .append(col)
        .append(sort.descending() ? " DESC" : " ASC")
        .append(", id ASC LIMIT :limit");
    return jdbi.withHandle(
        h -> {
          Query q = h.createQuery(sql.toString()).bind("org", organizationId).bind("limit", limit);
          roomName.ifPresent(r -> q.bind("room", r));
          after.ifPresent(
              p -> {
                if (sort.field() == SortField.ROOM_NAME) {
                  q.bind("v", p.value());
                } else {
                  q.bind("v", Long.parseLong(p.value()));
                }
                q.bind("afterId", p.recordingId());
              });
          return q.map(SqlRecordingStore::recording).list();
        });
  }

  @Override
  public Optional<Recording> markDeleting(long organizationId, String recordingId) {
    return writer.write(
        h -> {
          Optional<Recording> r = findReady(h, organizationId, recordingId);
          if (r.isEmpty()) {
            return Optional.<Recording>empty();
          }
          h.createUpdate("UPDATE recordings SET state = 'deleting' WHERE id = :id")
              .bind("id", recordingId)
              .execute();
          return r;
        });
  }

  @Override
  public List<Recording> deleting(int max) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + COLUMNS
                        + " FROM recordings WHERE state = 'deleting' ORDER BY end_date LIMIT :max")
                .bind("max", max)
                .map(SqlRecordingStore::recording)
                .list());
  }

  @Override
  public void remove(String recordingId) {
    writer.write(
        h ->
            h.createUpdate("DELETE FROM recordings WHERE id = :id")
                .bind("id", recordingId)
                .execute());
  }

  @Override
  public boolean markReady(String recordingId, long sizeBytes, WriteBatcher.Work<?> alongside) {
    return writer.write(
        h -> {
          int n =
              h.createUpdate(
                      "UPDATE recordings SET state = 'ready', size_bytes = :size"
                          + " WHERE id = :id AND state = 'uploading'")
                  .bind("size", sizeBytes)
                  .bind("id", recordingId)
                  .execute();
          if (n == 1) {
            alongside.run(h);
          }
          return n == 1;
        });
  }

  @Override
  public List<Recording> markAbandonedUploadsDeleting(Instant cutoff, int max) {
    return writer.write(
        h -> {
          List<Recording> abandoned =
              h.createQuery(
                      "SELECT "
                          + COLUMNS
                          + " FROM recordings WHERE state = 'uploading' AND created_at < :cutoff"
                          + " ORDER BY created_at LIMIT :max")
                  .bind("cutoff", cutoff.toEpochMilli())
                  .bind("max", max)
                  .map(SqlRecordingStore::recording)
                  .list();
          for (Recording r : abandoned) {
            h.createUpdate("UPDATE recordings SET state = 'deleting' WHERE id = :id")
                .bind("id", r.recordingId())
                .execute();
          }
          return abandoned;
        });
  }

  @Override
  public List<Recording> markExpiredDeleting(Instant cutoff, int max) {
    return writer.write(
        h -> {
          List<Recording> expired =
              h.createQuery(
                      "SELECT "
                          + COLUMNS
                          + " FROM recordings WHERE state = 'ready' AND end_date < :cutoff"
                          + " ORDER BY end_date LIMIT :max")
                  .bind("cutoff", cutoff.toEpochMilli())
                  .bind("max", max)
                  .map(SqlRecordingStore::recording)
                  .list();
          for (Recording r : expired) {
            h.createUpdate("UPDATE recordings SET state = 'deleting' WHERE id = :id")
                .bind("id", r.recordingId())
                .execute();
          }
          return expired;
        });
  }

  @Override
  public void enqueueDeleteJob(DeleteJob job, Instant createdAt) {
    String ids =
        new String(Json.bytes(job.recordingIds()), java.nio.charset.StandardCharsets.UTF_8);
    writer.write(
        h ->
            h.createUpdate(
                    "INSERT INTO recording_delete_jobs (id, organization_id, recording_ids,"
                        + " created_at) VALUES (:id, :org, :ids, :created)")
                .bind("id", job.id())
                .bind("org", job.organizationId())
                .bind("ids", ids)
                .bind("created", createdAt.toEpochMilli())
                .execute());
  }

  @Override
  public List<DeleteJob> pendingDeleteJobs(int max) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT id, organization_id, recording_ids FROM recording_delete_jobs"
                        + " ORDER BY id LIMIT :max")
                .bind("max", max)
                .map(
                    (rs, ctx) ->
                        new DeleteJob(
                            rs.getLong("id"),
                            rs.getLong("organization_id"),
                            ids(rs.getString("recording_ids"))))
                .list());
  }

  private static List<String> ids(String json) {
    try {
      return new ArrayList<>(Json.MAPPER.readValue(json, new TypeReference<List<String>>() {}));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable delete job: " + json, e);
    }
  }

  @Override
  public void finishDeleteJob(long jobId) {
    writer.write(
        h ->
            h.createUpdate("DELETE FROM recording_delete_jobs WHERE id = :id")
                .bind("id", jobId)
                .execute());
  }

  private static Recording recording(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Recording(
        rs.getString("id"),
        rs.getLong("organization_id"),
        rs.getString("room_name"),
        rs.getString("room_session_id"),
        rs.getString("filename"),
        Instant.ofEpochMilli(rs.getLong("start_date")),
        Instant.ofEpochMilli(rs.getLong("end_date")),
        rs.getLong("size_bytes"),
        rs.getString("content_type"),
        Recording.Storage.fromWire(rs.getString("storage")),
        rs.getString("storage_key"),
        Optional.ofNullable(rs.getString("destination_json")),
        Recording.State.fromWire(rs.getString("state")),
        Instant.ofEpochMilli(rs.getLong("created_at")));
  }
}
