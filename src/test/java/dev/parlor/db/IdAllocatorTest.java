package dev.parlor.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parlor.testing.TestDatabases;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class IdAllocatorTest {

  abstract static class Cases {
    private String url;
    private Database db;

    abstract String newDatabaseUrl();

    @BeforeEach
    void openDatabase() {
      url = newDatabaseUrl();
      db = Database.open(url, 4);
    }

    @AfterEach
    void closeDatabase() {
      if (db != null) {
        db.close();
      }
      TestDatabases.release(url);
    }

    @Test
    void idsIncreaseFromOneAcrossBlockBoundaries() {
      IdAllocator ids = new IdAllocator(db.jdbi(), 3);
      List<Long> got = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        got.add(ids.next("meeting"));
      }
      assertThat(got).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    }

    @Test
    void sequencesAreIndependent() {
      IdAllocator ids = new IdAllocator(db.jdbi(), 10);
      assertThat(ids.next("meeting")).isEqualTo(1);
      assertThat(ids.next("meeting")).isEqualTo(2);
      assertThat(ids.next("organization")).isEqualTo(1);
      assertThat(ids.next("api_key")).isEqualTo(1);
    }

    @Test
    void anUnknownSequenceIsAnError() {
      IdAllocator ids = new IdAllocator(db.jdbi(), 10);
      assertThatThrownBy(() -> ids.next("nope"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("nope");
    }

    @Test
    void concurrentCallersGetUniqueIdsThatIncreaseForEachCaller() throws Exception {
      IdAllocator ids = new IdAllocator(db.jdbi(), 7);
      List<List<Long>> perThread = draw(List.of(ids), 16, 300);

      Set<Long> all = new HashSet<>();
      for (List<Long> seq : perThread) {
        assertThat(seq).isSorted().doesNotHaveDuplicates();
        all.addAll(seq);
      }
      assertThat(all).hasSize(16 * 300);
    }

    @Test
    void twoAllocatorsOnOneDatabaseNeverHandOutTheSameId() throws Exception {
      // Two pools and two allocators on the same database: what two processes or nodes have.
      try (Database second = Database.open(url, 4)) {
        IdAllocator a = new IdAllocator(db.jdbi(), 5);
        IdAllocator b = new IdAllocator(second.jdbi(), 5);
        List<List<Long>> perThread = draw(List.of(a, b), 16, 200);

        Set<Long> all = new HashSet<>();
        for (List<Long> seq : perThread) {
          assertThat(seq).isSorted();
          all.addAll(seq);
        }
        assertThat(all).hasSize(16 * 200);
      }
    }

    /** {@code threads} threads, alternating between the allocators, each drawing {@code n} ids. */
    private static List<List<Long>> draw(List<IdAllocator> allocators, int threads, int n)
        throws Exception {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<List<Long>>> futures = new ArrayList<>();
      try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
        for (int t = 0; t < threads; t++) {
          IdAllocator ids = allocators.get(t % allocators.size());
          futures.add(
              pool.submit(
                  () -> {
                    go.await();
                    List<Long> seq = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                      seq.add(ids.next("meeting"));
                    }
                    return seq;
                  }));
        }
        go.countDown();
      }
      List<List<Long>> out = new ArrayList<>();
      for (Future<List<Long>> f : futures) {
        out.add(f.get());
      }
      return out;
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
