package dev.parlor.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parlor.db.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestDatabasesTest {
  private static final List<String> TABLES =
      List.of(
          "api_keys",
          "flyway_schema_history",
          "id_sequences",
          "insights_connections",
          "insights_media_events",
          "insights_participants",
          "insights_rooms",
          "insights_samples",
          "insights_sessions",
          "meetings",
          "organizations",
          "recording_delete_jobs",
          "recordings",
          "theme_colors",
          "theme_images",
          "webhook_deliveries",
          "webhook_endpoints",
          "webhook_events");

  @Test
  void aSqliteUrlIsAFreshFileThatReleaseDeletes() {
    String url = TestDatabases.sqliteUrl();
    Path file = Path.of(url.substring("jdbc:sqlite:".length()));
    assertThat(file).doesNotExist();
    assertThat(TestDatabases.sqliteUrl()).isNotEqualTo(url);
    try (Database db = Database.open(url, 2)) {
      assertThat(tableCount(db, "organizations")).isZero();
    }
    assertThat(file).exists();
    TestDatabases.release(url);
    assertThat(Files.exists(file.getParent())).isFalse();
  }

  @Test
  void theCurrentSchemaParameterIsAddedOrReplaced() {
    assertThat(TestDatabases.withCurrentSchema("jdbc:postgresql://h/db", "s"))
        .isEqualTo("jdbc:postgresql://h/db?currentSchema=s");
    assertThat(TestDatabases.withCurrentSchema("jdbc:postgresql://h/db?user=u", "s"))
        .isEqualTo("jdbc:postgresql://h/db?user=u&currentSchema=s");
    assertThat(
            TestDatabases.withCurrentSchema("jdbc:postgresql://h/db?currentSchema=x&user=u", "s"))
        .isEqualTo("jdbc:postgresql://h/db?user=u&currentSchema=s");
    assertThat(
            TestDatabases.withCurrentSchema("jdbc:postgresql://h/db?user=u&currentSchema=x", "s"))
        .isEqualTo("jdbc:postgresql://h/db?user=u&currentSchema=s");
  }

  @Test
  void flywayMigratesIntoThePostgresqlTestSchemaAndNowhereElse() {
    String url = TestDatabases.postgresUrl();
    String schema = TestDatabases.schemaOf(url);
    assertThat(url).endsWith("currentSchema=" + schema);
    try (Database db = Database.open(url, 2)) {
      assertThat(db.kind()).isEqualTo(Database.Kind.POSTGRESQL);
      assertThat(scalar(db, "SELECT current_schema()", String.class)).isEqualTo(schema);
      assertThat(tablesIn(db, schema)).containsExactlyElementsOf(TABLES);
      assertThat(tablesIn(db, "public")).doesNotContainAnyElementsOf(TABLES);
      assertThat(scalar(db, "SELECT COUNT(*) FROM flyway_schema_history", Long.class)).isPositive();
      assertThat(
              scalar(
                  db, "SELECT COUNT(*) FROM flyway_schema_history WHERE NOT success", Long.class))
          .isZero();
    }
    // Opening again finds the schema up to date.
    try (Database db = Database.open(url, 2)) {
      assertThat(tablesIn(db, schema)).containsExactlyElementsOf(TABLES);
    }
    TestDatabases.release(url);
    try (Database other = Database.open(TestDatabases.postgresUrl(), 2)) {
      assertThat(tablesIn(other, schema)).isEmpty();
    }
  }

  @Test
  void twoPostgresqlSchemasDoNotSeeEachOthersRows() {
    String a = TestDatabases.postgresUrl();
    String b = TestDatabases.postgresUrl();
    try (Database da = Database.open(a, 2);
        Database db = Database.open(b, 2)) {
      da.jdbi()
          .useHandle(
              h ->
                  h.execute(
                      "INSERT INTO organizations (id, name, points_per_minute, created_at)"
                          + " VALUES (1, 'only-in-a', NULL, 0)"));
      assertThat(tableCount(da, "organizations")).isEqualTo(1);
      assertThat(tableCount(db, "organizations")).isZero();
    } finally {
      TestDatabases.release(a);
      TestDatabases.release(b);
    }
  }

  private static long tableCount(Database db, String table) {
    return scalar(db, "SELECT COUNT(*) FROM " + table, Long.class);
  }

  private static <T> T scalar(Database db, String sql, Class<T> type) {
    return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(type).one());
  }

  private static List<String> tablesIn(Database db, String schema) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT table_name FROM information_schema.tables"
                            + " WHERE table_schema = :s ORDER BY table_name")
                    .bind("s", schema)
                    .mapTo(String.class)
                    .list());
  }
}
