package dev.parlor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Fresh, isolated databases for tests.
 *
 * <p>{@link #sqliteUrl()} is a new SQLite file in a new temporary directory. {@link #postgresUrl()}
 * is a new schema with a random name in the database named by {@code PARLOR_TEST_DATABASE_URL},
 * reached through a URL whose {@code currentSchema} is that schema, so no two callers ever see each
 * other's tables. Both are removed by {@link #release} or, at the latest, when the JVM exits. When
 * the variable is unset, {@link #postgresUrl()} skips the calling test through a JUnit assumption,
 * so PostgreSQL tests run in CI and are skipped elsewhere.
 */
public final class TestDatabases {
  /** The variable naming the PostgreSQL database tests may create schemas in. */
  public static final String POSTGRES_ENV = "PARLOR_TEST_DATABASE_URL";

  private static final String SCHEMA_PREFIX = "parlor_test_";
  private static final Pattern CURRENT_SCHEMA = Pattern.compile("(?i)([?&])currentSchema=[^&]*&?");

  /** Everything handed out and not yet released: URL to its SQLite directory or schema name. */
  private static final Map<String, Resource> LIVE = new ConcurrentHashMap<>();

  private sealed interface Resource permits SqliteDir, PgSchema {}

  private record SqliteDir(Path dir) implements Resource {}

  private record PgSchema(String baseUrl, String schema) implements Resource {}

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (String url : LIVE.keySet()) {
                    release(url);
                  }
                },
                "test-databases-cleanup"));
  }

  private TestDatabases() {}

  /** The PostgreSQL base URL from the environment, when one is set. */
  public static Optional<String> postgresBaseUrl() {
    String v = System.getenv(POSTGRES_ENV);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  /** Whether PostgreSQL tests can run here. */
  public static boolean postgresAvailable() {
    return postgresBaseUrl().isPresent();
  }

  /** Skips the calling test (or class, from a {@code @BeforeAll}) when PostgreSQL is not set. */
  public static void assumePostgres() {
    Assumptions.assumeTrue(
        postgresAvailable(), POSTGRES_ENV + " is not set: PostgreSQL tests are skipped");
  }

  /** A JDBC URL of a new SQLite file in a new temporary directory. */
  public static String sqliteUrl() {
    try {
      Path dir = Files.createTempDirectory("parlor-sqlite");
      String url = "jdbc:sqlite:" + dir.resolve("parlor.db");
      LIVE.put(url, new SqliteDir(dir));
      return url;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A JDBC URL of a new, empty schema of the PostgreSQL test database, with {@code currentSchema}
   * set to it. Skips the calling test when {@code PARLOR_TEST_DATABASE_URL} is unset.
   */
  public static String postgresUrl() {
    assumePostgres();
    String base = postgresBaseUrl().orElseThrow();
    String schema =
        SCHEMA_PREFIX + UUID.randomUUID().toString().replace("-", "").toLowerCase(Locale.ROOT);
    execute(base, "CREATE SCHEMA " + schema);
    String url = withCurrentSchema(base, schema);
    LIVE.put(url, new PgSchema(base, schema));
    return url;
  }

  /** The schema a URL from {@link #postgresUrl()} points at. */
  public static String schemaOf(String postgresUrl) {
    if (LIVE.get(postgresUrl) instanceof PgSchema s) {
      return s.schema();
    }
    throw new IllegalArgumentException("not a live test schema: " + postgresUrl);
  }

  /**
   * Drops the schema or deletes the SQLite directory behind a URL from this class. Close every pool
   * on it first. Null, unknown or already released URLs are ignored.
   */
  public static void release(String url) {
    if (url == null) {
      return; // nothing was handed out, e.g. the test was skipped
    }
    Resource r = LIVE.remove(url);
    if (r instanceof SqliteDir d) {
      try (Stream<Path> s = Files.walk(d.dir())) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a temporary directory left behind is harmless
      }
    } else if (r instanceof PgSchema s) {
      try {
        execute(s.baseUrl(), "DROP SCHEMA IF EXISTS " + s.schema() + " CASCADE");
      } catch (IllegalStateException e) {
        // a schema left behind is harmless: its name is random and nothing reads it again
      }
    }
  }

  static String withCurrentSchema(String base, String schema) {
    String url = CURRENT_SCHEMA.matcher(base).replaceAll("$1");
    if (url.endsWith("?") || url.endsWith("&")) {
      url = url.substring(0, url.length() - 1);
    }
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  private static void execute(String url, String sql) {
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " failed on " + POSTGRES_ENV + ": " + e, e);
    }
  }
}
