package dev.parlor.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parlor.testing.TestDatabases;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Group commit on both databases. Writes go to {@code id_sequences}, a table with nothing but a
 * primary key and a number, so a duplicate name is a real unique violation.
 */
class WriteBatcherTest {

  abstract static class Cases {
    private String url;
    private Database db;
    private WriteBatcher writer;

    abstract String newDatabaseUrl();

    @BeforeEach
    void openDatabase() {
      url = newDatabaseUrl();
      db = Database.open(url, 4);
      writer = new WriteBatcher(db.jdbi());
    }

    @AfterEach
    void closeDatabase() {
      if (writer != null) {
        writer.close();
      }
      if (db != null) {
        db.close();
      }
      TestDatabases.release(url);
    }

    private static int insert(Handle h, String name, long value) {
      return h.createUpdate("INSERT INTO id_sequences (name, next_value) VALUES (:n, :v)")
          .bind("n", name)
          .bind("v", value)
          .execute();
    }

    private List<String> namesLike(String prefix) {
      return db.jdbi()
          .withHandle(
              h ->
                  h.createQuery("SELECT name FROM id_sequences WHERE name LIKE :p ORDER BY name")
                      .bind("p", prefix + "%")
                      .mapTo(String.class)
                      .list());
    }

    @Test
    void aWriteReturnsItsResultAfterItIsCommitted() {
      int n = writer.write(h -> insert(h, "one", 1));

      assertThat(n).isEqualTo(1);
      // Visible at once to another connection: the transaction has committed.
      assertThat(namesLike("one")).containsExactly("one");
    }

    @Test
    void manyConcurrentWritesAllCommit() throws Exception {
      int threads = 64;
      int perThread = 25;
      List<Future<Integer>> futures = new ArrayList<>();
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int t = 0; t < threads; t++) {
          int thread = t;
          futures.add(
              pool.submit(
                  () -> {
                    int done = 0;
                    for (int i = 0; i < perThread; i++) {
                      String name = String.format("w-%02d-%02d", thread, i);
                      done += writer.write(h -> insert(h, name, 0));
                    }
                    return done;
                  }));
        }
      }
      int acknowledged = 0;
      for (Future<Integer> f : futures) {
        acknowledged += f.get();
      }

      assertThat(acknowledged).isEqualTo(threads * perThread);
      assertThat(namesLike("w-")).hasSize(threads * perThread).doesNotHaveDuplicates();
    }

    @Test
    void oneFailingWriteFailsOnlyItsOwnCallerWhileTheRestOfItsBatchCommits() throws Exception {
      writer.write(h -> insert(h, "taken", 0));
      Map<Integer, Handle> firstHandle = new ConcurrentHashMap<>();
      int n = 20;
      int bad = 7;
      List<Future<Integer>> futures = new ArrayList<>(Collections.nCopies(n, null));
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        CountDownLatch writerBusy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // Hold the writer thread so the next writes queue up and run as one batch.
        Future<Integer> blocker =
            pool.submit(
                () ->
                    writer.write(
                        h -> {
                          writerBusy.countDown();
                          await(release);
                          return 0;
                        }));
        writerBusy.await();
        // The good writes first, then the bad one, so it fails after the others ran in its batch.
        for (int i = 0; i < n; i++) {
          if (i != bad) {
            futures.set(i, submitInsert(pool, firstHandle, i, "b-" + i));
          }
        }
        Thread.sleep(200);
        futures.set(bad, submitInsert(pool, firstHandle, bad, "taken"));
        Thread.sleep(300); // let every write reach the queue
        release.countDown();
        blocker.get();
      }

      for (int i = 0; i < n; i++) {
        Future<Integer> f = futures.get(i);
        if (i == bad) {
          assertThatThrownBy(f::get)
              .isInstanceOf(ExecutionException.class)
              .satisfies(e -> assertThat(SqlErrors.isUniqueViolation(e)).isTrue());
        } else {
          assertThat(f.get()).isEqualTo(1);
        }
      }
      assertThat(namesLike("b-")).hasSize(n - 1);
      // They really were one batch: each write first ran in the same transaction.
      assertThat(firstHandle).hasSize(n);
      assertThat(firstHandle.values().stream().distinct()).hasSize(1);
    }

    private Future<Integer> submitInsert(
        ExecutorService pool, Map<Integer, Handle> firstHandle, int index, String name) {
      return pool.submit(
          () ->
              writer.write(
                  h -> {
                    firstHandle.putIfAbsent(index, h);
                    return insert(h, name, index);
                  }));
    }

    @Test
    void aWriteThatHandlesItsOwnFailureCostsTheRestOfItsBatchNothing() throws Exception {
      writer.write(h -> insert(h, "taken", 0));
      int n = 10;
      List<Future<Boolean>> futures = new ArrayList<>();
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        CountDownLatch writerBusy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Integer> blocker =
            pool.submit(
                () ->
                    writer.write(
                        h -> {
                          writerBusy.countDown();
                          await(release);
                          return 0;
                        }));
        writerBusy.await();
        for (int i = 0; i < n; i++) {
          String name = i == n - 1 ? "taken" : "s-" + i;
          futures.add(
              pool.submit(
                  () ->
                      writer.write(
                          h -> {
                            // "Insert if absent" written the tempting way: catch the violation.
                            try {
                              insert(h, name, 0);
                              return true;
                            } catch (RuntimeException e) {
                              if (SqlErrors.isUniqueViolation(e)) {
                                return false;
                              }
                              throw e;
                            }
                          })));
        }
        Thread.sleep(300);
        release.countDown();
        blocker.get();
      }

      for (int i = 0; i < n - 1; i++) {
        assertThat(futures.get(i).get()).isTrue();
      }
      assertThat(futures.get(n - 1).get()).isFalse();
      // Every acknowledged row is there.
      assertThat(namesLike("s-")).hasSize(n - 1);
    }

    @Test
    void anExceptionFromAWriteReachesItsCallerUnchanged() {
      IllegalArgumentException boom = new IllegalArgumentException("boom");

      assertThatThrownBy(
              () ->
                  writer.write(
                      h -> {
                        insert(h, "rolled-back", 0);
                        throw boom;
                      }))
          .isSameAs(boom);
      assertThat(namesLike("rolled-back")).isEmpty();
    }

    @Test
    void writesAfterCloseAreRefused() {
      writer.close();

      assertThatThrownBy(() -> writer.write(h -> insert(h, "late", 0)))
          .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closingWhileWritesArriveLeavesNoCallerWaitingForever() throws Exception {
      java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
      List<Thread> writers = new java.util.ArrayList<>();
      for (int t = 0; t < 8; t++) {
        writers.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      try {
                        while (true) {
                          writer.write(h -> insert(h, "race-" + n.incrementAndGet(), 0));
                        }
                      } catch (IllegalStateException closed) {
                        // the expected way out
                      }
                    }));
      }
      Thread.sleep(200);

      writer.close();

      for (Thread w : writers) {
        assertThat(w.join(java.time.Duration.ofSeconds(10))).as("writer finished").isTrue();
      }
    }

    private static void await(CountDownLatch latch) {
      try {
        if (!latch.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
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
