package dev.parlor.webhooks;

import dev.parlor.db.WriteBatcher;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** {@link WebhookStore} in SQL; writes go through the group-commit writer. */
public final class SqlWebhookStore implements WebhookStore {
  private static final int MAX_ERROR = 500;
  private static final String ENDPOINT_COLUMNS =
      "id, organization_id, url, events, secret_sealed, created_at, removed_at";

  private final Jdbi jdbi;
  private final WriteBatcher writer;

  public SqlWebhookStore(Jdbi jdbi, WriteBatcher writer) {
    this.jdbi = jdbi;
    this.writer = writer;
  }

  static String eventsColumn(Set<EventType> events) {
    return ","
        + events.stream().map(EventType::wire).sorted().collect(Collectors.joining(","))
        + ",";
  }

  private static StoredEndpoint endpoint(ResultSet rs) throws SQLException {
    Set<EventType> events = EnumSet.noneOf(EventType.class);
    Arrays.stream(rs.getString("events").split(","))
        .filter(s -> !s.isEmpty())
        .forEach(s -> EventType.fromWire(s).ifPresent(events::add));
    long removed = rs.getLong("removed_at");
    Optional<Instant> removedAt =
        rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(removed));
    return new StoredEndpoint(
        new WebhookEndpoint(
            rs.getLong("id"),
            rs.getLong("organization_id"),
            rs.getString("url"),
            Set.copyOf(events),
            Instant.ofEpochMilli(rs.getLong("created_at")),
            removedAt),
        rs.getString("secret_sealed"));
  }

  @Override
  public void insertEndpoint(WebhookEndpoint e, String sealedSecret) {
    writer.write(
        h ->
            h.createUpdate(
                    "INSERT INTO webhook_endpoints (id, organization_id, url, events, secret_sealed,"
                        + " created_at) VALUES (:id, :org, :url, :events, :secret, :created)")
                .bind("id", e.id())
                .bind("org", e.organizationId())
                .bind("url", e.url())
                .bind("events", eventsColumn(e.events()))
                .bind("secret", sealedSecret)
                .bind("created", e.createdAt().toEpochMilli())
                .execute());
  }

  @Override
  public List<StoredEndpoint> endpoints(long organizationId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + ENDPOINT_COLUMNS
                        + " FROM webhook_endpoints WHERE organization_id = :org ORDER BY id")
                .bind("org", organizationId)
                .map((rs, ctx) -> endpoint(rs))
                .list());
  }

  @Override
  public Optional<StoredEndpoint> endpoint(long endpointId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoints WHERE id = :id")
                .bind("id", endpointId)
                .map((rs, ctx) -> endpoint(rs))
                .findOne());
  }

  @Override
  public List<StoredEndpoint> activeEndpoints() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + ENDPOINT_COLUMNS
                        + " FROM webhook_endpoints WHERE removed_at IS NULL ORDER BY id")
                .map((rs, ctx) -> endpoint(rs))
                .list());
  }

  @Override
  public boolean removeEndpoint(long endpointId, Instant at) {
    return writer.write(
        h -> {
          int n =
              h.createUpdate(
                      "UPDATE webhook_endpoints SET removed_at = :at"
                          + " WHERE id = :id AND removed_at IS NULL")
                  .bind("at", at.toEpochMilli())
                  .bind("id", endpointId)
                  .execute();
          if (n > 0) {
            h.createUpdate(
                    "UPDATE webhook_deliveries SET status = 'cancelled'"
                        + " WHERE endpoint_id = :id AND status = 'pending'")
                .bind("id", endpointId)
                .execute();
          }
          return n > 0;
        });
  }

  @Override
  public int stage(Handle h, WebhookEvent event) {
    h.createUpdate(
            "INSERT INTO webhook_events (id, organization_id, type, body, created_at)"
                + " VALUES (:id, :org, :type, :body, :created)")
        .bind("id", event.id())
        .bind("org", event.organizationId())
        .bind("type", event.type().wire())
        .bind("body", event.body())
        .bind("created", event.createdAt().toEpochMilli())
        .execute();
    int n =
        h.createUpdate(
                "INSERT INTO webhook_deliveries (id, event_id, endpoint_id, organization_id,"
                    + " status, attempts, next_attempt_at, created_at)"
                    + " SELECT :event || ':' || CAST(id AS VARCHAR(20)), :event, id,"
                    + " organization_id, 'pending', 0, :now, :now"
                    + " FROM webhook_endpoints WHERE organization_id = :org AND removed_at IS NULL"
                    + " AND events LIKE :pattern")
            .bind("event", event.id())
            .bind("now", event.createdAt().toEpochMilli())
            .bind("org", event.organizationId())
            .bind("pattern", "%," + event.type().wire() + ",%")
            .execute();
    if (n == 0) {
      h.createUpdate("DELETE FROM webhook_events WHERE id = :id").bind("id", event.id()).execute();
    }
    return n;
  }

  /** A delivery's key. */
  static String key(Delivery.Due d) {
    return d.eventId() + ":" + d.endpointId();
  }

  @Override
  public List<Delivery.Due> claimDue(long endpointId, Instant now, Instant leaseUntil, int max) {
    String token = java.util.UUID.randomUUID().toString();
    return writer.write(
        h -> {
          List<String> due =
              h.createQuery(
                      "SELECT id FROM webhook_deliveries WHERE endpoint_id = :endpoint"
                          + " AND status = 'pending' AND next_attempt_at <= :now"
                          + " ORDER BY next_attempt_at LIMIT :max")
                  .bind("endpoint", endpointId)
                  .bind("now", now.toEpochMilli())
                  .bind("max", max)
                  .mapTo(String.class)
                  .list();
          if (due.isEmpty()) {
            return List.<Delivery.Due>of();
          }
          // Leased only if still due: a row another node claimed meanwhile (PostgreSQL re-reads a
          // row it waited for) no longer is, and the token tells whose claim each row is.
          h.createUpdate(
                  "UPDATE webhook_deliveries SET next_attempt_at = :lease, claim_token = :token"
                      + " WHERE id IN (<ids>) AND status = 'pending' AND next_attempt_at <= :now")
              .bindList("ids", due)
              .bind("lease", leaseUntil.toEpochMilli())
              .bind("token", token)
              .bind("now", now.toEpochMilli())
              .execute();
          return h.createQuery(
                  "SELECT d.event_id, d.endpoint_id, d.attempts, e.body"
                      + " FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id"
                      + " WHERE d.id IN (<ids>) AND d.claim_token = :token"
                      + " ORDER BY d.created_at")
              .bindList("ids", due)
              .bind("token", token)
              .map(
                  (rs, ctx) ->
                      new Delivery.Due(
                          rs.getString("event_id"),
                          rs.getLong("endpoint_id"),
                          rs.getInt("attempts"),
                          rs.getString("body")))
              .list();
        });
  }

  @Override
  public void delivered(Delivery.Due d, Instant at, int statusCode) {
    writer.write(
        h ->
            h.createUpdate(
                    "UPDATE webhook_deliveries SET status = 'delivered', attempts = :attempts,"
                        + " last_attempt_at = :at, delivered_at = :at, last_status_code = :code,"
                        + " last_error = NULL WHERE id = :id AND status = 'pending'")
                .bind("attempts", d.attempts() + 1)
                .bind("at", at.toEpochMilli())
                .bind("code", statusCode)
                .bind("id", key(d))
                .execute());
  }

  @Override
  public void attemptFailed(
      Delivery.Due d,
      Instant at,
      OptionalLong statusCode,
      String error,
      Optional<Instant> retryAt) {
    String e = error == null ? "" : error;
    writer.write(
        h ->
            h.createUpdate(
                    "UPDATE webhook_deliveries SET status = :status, attempts = :attempts,"
                        + " last_attempt_at = :at, next_attempt_at = :next,"
                        + " last_status_code = :code, last_error = :error"
                        + " WHERE id = :id AND status = 'pending'")
                .bind("status", retryAt.isPresent() ? "pending" : "failed")
                .bind("attempts", d.attempts() + 1)
                .bind("at", at.toEpochMilli())
                .bind("next", retryAt.orElse(at).toEpochMilli())
                .bind(
                    "code", statusCode.isPresent() ? (Integer) (int) statusCode.getAsLong() : null)
                .bind("error", e.length() <= MAX_ERROR ? e : e.substring(0, MAX_ERROR))
                .bind("id", key(d))
                .execute());
  }

  @Override
  public void release(List<Delivery.Due> claimed, Instant now) {
    if (claimed.isEmpty()) {
      return;
    }
    writer.write(
        h -> {
          for (Delivery.Due d : claimed) {
            h.createUpdate(
                    "UPDATE webhook_deliveries SET next_attempt_at = :now"
                        + " WHERE id = :id AND status = 'pending'")
                .bind("now", now.toEpochMilli())
                .bind("id", key(d))
                .execute();
          }
          return null;
        });
  }

  @Override
  public List<Delivery> deliveries(long organizationId, OptionalLong endpointId, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT d.event_id, d.endpoint_id, d.organization_id, e.type, d.status,"
                        + " d.attempts, d.created_at, d.next_attempt_at, d.last_attempt_at,"
                        + " d.last_status_code, d.last_error, d.delivered_at"
                        + " FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id"
                        + " WHERE d.organization_id = :org"
                        + (endpointId.isPresent() ? " AND d.endpoint_id = :endpoint" : "")
                        + " ORDER BY d.created_at DESC, d.event_id DESC LIMIT :limit")
                .bind("org", organizationId)
                .bind("endpoint", endpointId.orElse(0))
                .bind("limit", limit)
                .map((rs, ctx) -> delivery(rs))
                .list());
  }

  private static Delivery delivery(ResultSet rs) throws SQLException {
    long last = rs.getLong("last_attempt_at");
    Optional<Instant> lastAt =
        rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(last));
    int code = rs.getInt("last_status_code");
    OptionalInt lastCode = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(code);
    long deliveredAt = rs.getLong("delivered_at");
    Optional<Instant> delivered =
        rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(deliveredAt));
    return new Delivery(
        rs.getString("event_id"),
        rs.getLong("endpoint_id"),
        rs.getLong("organization_id"),
        rs.getString("type"),
        Delivery.Status.fromWire(rs.getString("status")),
        rs.getInt("attempts"),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        Instant.ofEpochMilli(rs.getLong("next_attempt_at")),
        lastAt,
        lastCode,
        Optional.ofNullable(rs.getString("last_error")),
        delivered);
  }

  @Override
  public long pendingCount() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'")
                .mapTo(Long.class)
                .one());
  }

  @Override
  public int purgeFinished(Instant cutoff) {
    return writer.write(
        h -> {
          int n =
              h.createUpdate(
                      "DELETE FROM webhook_deliveries WHERE status <> 'pending'"
                          + " AND created_at < :cutoff")
                  .bind("cutoff", cutoff.toEpochMilli())
                  .execute();
          h.createUpdate(
                  "DELETE FROM webhook_events WHERE created_at < :cutoff AND NOT EXISTS"
                      + " (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = webhook_events.id)")
              .bind("cutoff", cutoff.toEpochMilli())
              .execute();
          return n;
        });
  }
}
