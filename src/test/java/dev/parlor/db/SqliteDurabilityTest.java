package dev.parlor.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parlor.meetings.Meeting;
import dev.parlor.meetings.SqlMeetingStore;
import dev.parlor.orgs.ApiKey;
import dev.parlor.orgs.ApiKeys;
import dev.parlor.orgs.Organization;
import dev.parlor.orgs.SqlOrganizationStore;
import dev.parlor.testing.TestDatabases;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How SQLite is opened, and what a write that has been acknowledged can survive. */
class SqliteDurabilityTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  private String url;

  @BeforeEach
  void newFile() {
    url = TestDatabases.sqliteUrl();
  }

  @AfterEach
  void deleteFile() {
    TestDatabases.release(url);
  }

  @Test
  void everyPooledConnectionRunsInWalModeWithSynchronousNormal() {
    try (Database db = Database.open(url, 4)) {
      List<Handle> handles = new ArrayList<>();
      try {
        // Four at once, so they are four different connections of the pool.
        for (int i = 0; i < 4; i++) {
          handles.add(db.jdbi().open());
        }
        for (Handle h : handles) {
          assertThat(pragma(h, "journal_mode")).isEqualToIgnoringCase("wal");
          assertThat(pragma(h, "synchronous")).isEqualTo("1"); // NORMAL
          assertThat(pragma(h, "foreign_keys")).isEqualTo("1");
          assertThat(pragma(h, "busy_timeout")).isEqualTo("10000");
        }
      } finally {
        handles.forEach(Handle::close);
      }
    }
  }

  @Test
  void theFileItselfStaysInWalModeForAnyOtherConnection() throws Exception {
    try (Database db = Database.open(url, 2)) {
      assertThat(db.isReachable()).isTrue();
    }
    // A bare connection with no settings at all, as any other tool would open the file.
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
    }
  }

  @Test
  void aSecondDatabaseOnTheSameFileSeesCommittedWritesAtOnce() {
    // The server and the CLI: two pools on one file.
    try (Database server = Database.open(url, 4);
        Database cli = Database.open(url, 2);
        WriteBatcher writer = new WriteBatcher(server.jdbi());
        WriteBatcher cliWriter = new WriteBatcher(cli.jdbi())) {
      SqlOrganizationStore serverOrgs = new SqlOrganizationStore(server.jdbi());
      SqlOrganizationStore cliOrgs = new SqlOrganizationStore(cli.jdbi());
      SqlMeetingStore serverMeetings = new SqlMeetingStore(server.jdbi(), writer);
      SqlMeetingStore cliMeetings = new SqlMeetingStore(cli.jdbi(), cliWriter);

      Organization org = new Organization(1, "acme", OptionalLong.empty(), NOW);
      assertThat(cliOrgs.insert(org)).isTrue();
      ApiKey key =
          new ApiKey(
              2, 1, ApiKeys.hash("k"), null, ApiKey.Source.CLI, NOW, Optional.<Instant>empty());
      cliOrgs.insertKey(key);
      assertThat(serverOrgs.findActiveKeyByHash(key.keyHash())).isPresent();

      Meeting m =
          new Meeting(
              3,
              1,
              "/room",
              NOW,
              NOW.plusSeconds(3600),
              Meeting.RoomMode.NORMAL,
              false,
              Optional.empty(),
              "{}");
      serverMeetings.insert(m);
      assertThat(cliMeetings.findLive(1, 3, NOW)).contains(m);

      assertThat(cliOrgs.revokeKey(key.id(), NOW)).isTrue();
      assertThat(serverOrgs.findActiveKeyByHash(key.keyHash())).isEmpty();

      assertThat(serverMeetings.delete(1, 3)).isTrue();
      assertThat(cliMeetings.findLive(1, 3, NOW)).isEmpty();
    }
  }

  @Test
  void aTransactionThatReadsBeforeItWritesIsNotRefusedWhenAnotherConnectionWritesMeanwhile()
      throws Exception {
    // What the sweep does (select the expired, then delete them) while the CLI or the id
    // allocator writes on another connection. In WAL mode a deferred transaction that has read
    // cannot write once another connection has committed (SQLITE_BUSY_SNAPSHOT, no waiting);
    // a transaction must take the write lock when it begins, so the other writer waits instead.
    try (Database a = Database.open(url, 2);
        Database b = Database.open(url, 2)) {
      CountDownLatch readDone = new CountDownLatch(1);
      Thread other =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      readDone.await();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      return;
                    }
                    b.jdbi().useHandle(h -> h.execute("UPDATE id_sequences SET next_value = 500"));
                  });
      a.jdbi()
          .useTransaction(
              h -> {
                h.createQuery("SELECT COUNT(*) FROM meetings").mapTo(Long.class).one();
                readDone.countDown();
                Thread.sleep(300); // the other connection's write is now committed or waiting
                h.execute("DELETE FROM meetings WHERE id = 1");
                h.execute("UPDATE id_sequences SET next_value = 100 WHERE name = 'meeting'");
              });
      other.join(30_000);
      assertThat(other.isAlive()).isFalse();
      long next =
          a.jdbi()
              .withHandle(
                  h ->
                      h.createQuery("SELECT next_value FROM id_sequences WHERE name = 'meeting'")
                          .mapTo(Long.class)
                          .one());
      assertThat(next).as("the other connection's write came second").isEqualTo(500);
    }
  }

  @Test
  void anAcknowledgedWriteSurvivesTheProcessBeingKilled() throws Exception {
    try (Database db = Database.open(url, 2)) {
      new SqlOrganizationStore(db.jdbi())
          .insert(new Organization(1, "acme", OptionalLong.empty(), NOW));
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                KilledWriter.class.getName(),
                url)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    List<Long> acknowledged = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.equals("done")) {
        acknowledged.add(Long.parseLong(line));
      }
    } finally {
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no checkpoint
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(acknowledged).hasSize(KilledWriter.WRITES);
    // Nothing was checkpointed: the rows are in the write-ahead log the killed process left.
    Path file = Path.of(url.substring("jdbc:sqlite:".length()));
    assertThat(file.resolveSibling(file.getFileName() + "-wal")).isNotEmptyFile();

    try (Database db = Database.open(url, 2)) {
      List<Long> stored =
          db.jdbi()
              .withHandle(
                  h ->
                      h.createQuery("SELECT id FROM meetings ORDER BY id")
                          .mapTo(Long.class)
                          .list());
      assertThat(stored).containsExactlyElementsOf(acknowledged);
    }
  }

  private static String pragma(Handle h, String name) {
    return h.createQuery("PRAGMA " + name).mapTo(String.class).one();
  }

  /** Writes meetings through the group-commit writer, prints each id once acknowledged, waits. */
  public static final class KilledWriter {
    static final int WRITES = 50;

    public static void main(String[] args) throws Exception {
      Database db = Database.open(args[0], 2);
      WriteBatcher writer = new WriteBatcher(db.jdbi());
      SqlMeetingStore store = new SqlMeetingStore(db.jdbi(), writer);
      for (long id = 1; id <= WRITES; id++) {
        store.insert(
            new Meeting(
                id,
                1,
                "/killed-" + id,
                NOW,
                NOW.plusSeconds(3600),
                Meeting.RoomMode.NORMAL,
                false,
                Optional.empty(),
                "{}"));
        System.out.println(id);
      }
      System.out.println("done");
      System.out.flush();
      Thread.sleep(60_000); // killed long before this ends
    }
  }
}
