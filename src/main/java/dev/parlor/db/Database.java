package dev.parlor.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool, JDBI and the schema. One schema serves SQLite and PostgreSQL: the migrations
 * use portable SQL only.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  public enum Kind {
    SQLITE,
    POSTGRESQL
  }

  private final HikariDataSource dataSource;
  private final Jdbi jdbi;
  private final Kind kind;

  private Database(HikariDataSource dataSource, Kind kind) {
    this.dataSource = dataSource;
    this.kind = kind;
    this.jdbi = Jdbi.create(dataSource);
  }

  /** Opens the pool and brings the schema up to date. */
  public static Database open(String jdbcUrl, int poolSize) {
    Kind kind = jdbcUrl.startsWith("jdbc:sqlite:") ? Kind.SQLITE : Kind.POSTGRESQL;
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(jdbcUrl);
    hc.setPoolName("parlor-db");
    hc.setMaximumPoolSize(poolSize);
    hc.setMinimumIdle(Math.min(2, poolSize));
    hc.setConnectionTimeout(10_000);
    if (kind == Kind.SQLITE) {
      createParentDirectory(jdbcUrl);
      // WAL lets readers run beside the single writer. synchronous=NORMAL: a commit is written to
      // the WAL before it returns (so it survives the process being killed), but not fsynced; a
      // power loss can roll back the last transactions, never corrupt the file.
      hc.addDataSourceProperty("journal_mode", "WAL");
      hc.addDataSourceProperty("synchronous", "NORMAL");
      hc.addDataSourceProperty("busy_timeout", "10000");
      hc.addDataSourceProperty("foreign_keys", "true");
      // Every transaction here writes. BEGIN IMMEDIATE takes the write lock at the start (waiting
      // up to busy_timeout); a deferred one that reads first fails at once with
      // SQLITE_BUSY_SNAPSHOT when another connection (the CLI, the id allocator) commits before
      // its first write.
      hc.addDataSourceProperty("transaction_mode", "IMMEDIATE");
      hc.setDriverClassName("org.sqlite.JDBC");
    } else {
      hc.setDriverClassName("org.postgresql.Driver");
    }
    HikariDataSource ds = new HikariDataSource(hc);
    try {
      Flyway.configure()
          .dataSource(ds)
          .locations("classpath:db/migration")
          .loggers("slf4j")
          .load()
          .migrate();
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
    log.info("Database ready ({})", kind == Kind.SQLITE ? "SQLite" : "PostgreSQL");
    return new Database(ds, kind);
  }

  private static void createParentDirectory(String jdbcUrl) {
    String path = jdbcUrl.substring("jdbc:sqlite:".length());
    int q = path.indexOf('?');
    if (q >= 0) {
      path = path.substring(0, q);
    }
    if (path.isEmpty() || path.equals(":memory:") || path.startsWith("file:")) {
      return;
    }
    Path parent = Path.of(path).toAbsolutePath().getParent();
    try {
      Files.createDirectories(parent);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot create database directory " + parent, e);
    }
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  public Kind kind() {
    return kind;
  }

  /** True when a trivial query answers: what {@code /readyz} reports. */
  public boolean isReachable() {
    try {
      return jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
