package dev.parlor.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.parlor.testing.TestDatabases;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The migrations bring a database made by an earlier version up to date, keeping its rows. */
class MigrationTest {

  abstract static class Cases {
    private String url;

    abstract String newDatabaseUrl();

    @BeforeEach
    void createDatabase() {
      url = newDatabaseUrl();
    }

    @AfterEach
    void dropDatabase() {
      TestDatabases.release(url);
    }

    @Test
    void aVersionOneDatabaseIsUpgradedWithItsMeetingsKept() {
      try (HikariDataSource ds = new HikariDataSource()) {
        ds.setJdbcUrl(url);
        Flyway.configure()
            .dataSource(ds)
            .locations("classpath:db/migration")
            .target("1")
            .load()
            .migrate();
        Jdbi.create(ds)
            .useHandle(
                h -> {
                  h.execute(
                      "INSERT INTO organizations (id, name, points_per_minute, created_at)"
                          + " VALUES (1, 'o', 100, 0)");
                  h.execute(
                      "INSERT INTO meetings (id, organization_id, room_name, start_date, end_date,"
                          + " room_mode, is_locked, template_type, options_json)"
                          + " VALUES (7, 1, '/kept', 1, 2, 'group', TRUE, 'viewerMode', '{}')");
                });
      }

      try (Database db = Database.open(url, 2)) {
        List<String> rows =
            db.jdbi()
                .withHandle(
                    h ->
                        h.createQuery(
                                "SELECT id, room_name, is_locked, template_type FROM meetings")
                            .map(
                                (rs, ctx) ->
                                    rs.getLong(1)
                                        + " "
                                        + rs.getString(2)
                                        + " "
                                        + rs.getBoolean(3)
                                        + " "
                                        + rs.getString(4))
                            .list());
        assertThat(rows).containsExactly("7 /kept true viewerMode");
        String longName = "/" + "a".repeat(39) + "0".repeat(36);
        db.jdbi()
            .useHandle(
                h ->
                    h.createUpdate(
                            "INSERT INTO meetings (id, organization_id, room_name, start_date,"
                                + " end_date, room_mode, is_locked, options_json)"
                                + " VALUES (8, 1, :room, 1, 2, 'normal', FALSE, '{}')")
                        .bind("room", longName)
                        .execute());
        String stored =
            db.jdbi()
                .withHandle(
                    h ->
                        h.createQuery("SELECT room_name FROM meetings WHERE id = 8")
                            .mapTo(String.class)
                            .one());
        assertThat(stored).isEqualTo(longName);
      }
    }
  }

  @Nested
  class OnSqlite extends Cases {
    @Override
    String newDatabaseUrl() {
      return TestDatabases.sqliteUrl();
    }
  }

  @Nested
  class OnPostgresql extends Cases {
    @Override
    String newDatabaseUrl() {
      return TestDatabases.postgresUrl();
    }
  }
}
