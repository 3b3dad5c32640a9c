package dev.parlor.orgs;

import dev.parlor.db.SqlErrors;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** {@link OrganizationStore} on JDBI with portable SQL (SQLite and PostgreSQL). */
public final class SqlOrganizationStore implements OrganizationStore {
  private static final String ORG_COLUMNS =
      "o.id AS o_id, o.name AS o_name, o.points_per_minute AS o_ppm, o.created_at AS o_created";
  private static final String KEY_COLUMNS =
      "k.id AS k_id, k.organization_id AS k_org, k.key_hash AS k_hash, k.label AS k_label,"
          + " k.source AS k_source, k.created_at AS k_created, k.revoked_at AS k_revoked";

  private final Jdbi jdbi;

  public SqlOrganizationStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public boolean insert(Organization org) {
    // A plain INSERT, with the unique name constraint as the judge: a check before the insert
    // would race with a concurrent insert of the same name (the CLI beside a running server).
    try {
      jdbi.useHandle(
          h ->
              h.createUpdate(
                      "INSERT INTO organizations (id, name, points_per_minute, created_at)"
                          + " VALUES (:id, :name, :ppm, :created)")
                  .bind("id", org.id())
                  .bind("name", org.name())
                  .bind(
                      "ppm",
                      org.pointsPerMinute().isPresent() ? org.pointsPerMinute().getAsLong() : null)
                  .bind("created", org.createdAt().toEpochMilli())
                  .execute());
      return true;
    } catch (RuntimeException e) {
      if (SqlErrors.isUniqueViolation(e) && findByName(org.name()).isPresent()) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public Optional<Organization> find(long id) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT " + ORG_COLUMNS + " FROM organizations o WHERE o.id = :id")
                .bind("id", id)
                .map((rs, ctx) -> org(rs))
                .findOne());
  }

  @Override
  public Optional<Organization> findByName(String name) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT " + ORG_COLUMNS + " FROM organizations o WHERE o.name = :name")
                .bind("name", name)
                .map((rs, ctx) -> org(rs))
                .findOne());
  }

  @Override
  public List<Organization> list() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT " + ORG_COLUMNS + " FROM organizations o ORDER BY o.id")
                .map((rs, ctx) -> org(rs))
                .list());
  }

  @Override
  public void insertKey(ApiKey key) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO api_keys (id, organization_id, key_hash, label, source, created_at)"
                        + " VALUES (:id, :org, :hash, :label, :source, :created)")
                .bind("id", key.id())
                .bind("org", key.organizationId())
                .bind("hash", key.keyHash())
                .bind("label", key.label())
                .bind("source", key.source().name())
                .bind("created", key.createdAt().toEpochMilli())
                .execute());
  }

  @Override
  public List<ApiKey> listKeys(long organizationId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + KEY_COLUMNS
                        + " FROM api_keys k WHERE k.organization_id = :org"
                        + " ORDER BY k.id")
                .bind("org", organizationId)
                .map(SqlOrganizationStore::key)
                .list());
  }

  @Override
  public Optional<ApiKey> findKey(long keyId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT " + KEY_COLUMNS + " FROM api_keys k WHERE k.id = :id")
                .bind("id", keyId)
                .map(SqlOrganizationStore::key)
                .findOne());
  }

  @Override
  public Optional<ActiveKey> findActiveKeyByHash(String keyHash) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + KEY_COLUMNS
                        + ", "
                        + ORG_COLUMNS
                        + " FROM api_keys k JOIN organizations o ON o.id = k.organization_id"
                        + " WHERE k.key_hash = :hash AND k.revoked_at IS NULL")
                .bind("hash", keyHash)
                .map((rs, ctx) -> new ActiveKey(key(rs, ctx), org(rs)))
                .findOne());
  }

  @Override
  public boolean revokeKey(long keyId, Instant at) {
    return jdbi.withHandle(
            h ->
                h.createUpdate(
                        "UPDATE api_keys SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
                    .bind("at", at.toEpochMilli())
                    .bind("id", keyId)
                    .execute())
        == 1;
  }

  @Override
  public boolean reinstateKey(long keyId) {
    return jdbi.withHandle(
            h ->
                h.createUpdate(
                        "UPDATE api_keys SET revoked_at = NULL"
                            + " WHERE id = :id AND revoked_at IS NOT NULL")
                    .bind("id", keyId)
                    .execute())
        == 1;
  }

  private static Organization org(ResultSet rs) throws SQLException {
    long ppm = rs.getLong("o_ppm");
    OptionalLong points = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(ppm);
    return new Organization(
        rs.getLong("o_id"),
        rs.getString("o_name"),
        points,
        Instant.ofEpochMilli(rs.getLong("o_created")));
  }

  private static ApiKey key(ResultSet rs, StatementContext ctx) throws SQLException {
    long revoked = rs.getLong("k_revoked");
    Optional<Instant> revokedAt =
        rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(revoked));
    return new ApiKey(
        rs.getLong("k_id"),
        rs.getLong("k_org"),
        rs.getString("k_hash"),
        rs.getString("k_label"),
        ApiKey.Source.valueOf(rs.getString("k_source")),
        Instant.ofEpochMilli(rs.getLong("k_created")),
        revokedAt);
  }
}
