package dev.parlor.db;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: writes submitted by concurrent requests are run by one writer thread, many to a
 * transaction, and each caller returns only after the transaction holding its write has committed.
 * A commit costs about as much for one row as for hundreds, so under load this multiplies the
 * durable writes per second while every acknowledged write is still committed.
 *
 * <p>If any write in a batch fails, the batch is rolled back and each write is retried in a
 * transaction of its own, so one bad write never fails its neighbours.
 */
public final class WriteBatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WriteBatcher.class);
  private static final int MAX_BATCH = 256;

  /** A unit of work run inside the batch's transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Handle handle);
  }

  private record Task<T>(Work<T> work, CompletableFuture<T> result) {}

  private final Jdbi jdbi;
  private final LinkedBlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean running = true;

  public WriteBatcher(Jdbi jdbi) {
    this(jdbi, "parlor-db-writer");
  }

  /** A writer whose thread has this name (a second writer beside the main one). */
  public WriteBatcher(Jdbi jdbi, String threadName) {
    this.jdbi = jdbi;
    this.writer = Thread.ofPlatform().name(threadName).daemon().start(this::loop);
  }

  /** Runs {@code work} in a committed transaction and returns its result. */
  public <T> T write(Work<T> work) {
    if (!running) {
      throw new IllegalStateException("database writer is closed");
    }
    CompletableFuture<T> f = new CompletableFuture<>();
    Task<T> task = new Task<>(work, f);
    queue.add(task);
    if (!running && queue.remove(task)) {
      // close() ran between the check above and the add: nobody will take this task.
      throw new IllegalStateException("database writer is closed");
    }
    try {
      return f.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  private void loop() {
    List<Task<?>> batch = new ArrayList<>(MAX_BATCH);
    while (running || !queue.isEmpty()) {
      try {
        Task<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        runBatch(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.error("database writer failed a batch", e);
        for (Task<?> t : batch) {
          t.result().completeExceptionally(e);
        }
      } finally {
        batch.clear();
      }
    }
  }

  private void runBatch(List<Task<?>> batch) {
    if (batch.size() > 1) {
      List<Object> results = new ArrayList<>(batch.size());
      try {
        jdbi.useTransaction(
            h -> {
              for (Task<?> t : batch) {
                results.add(t.work().run(h));
              }
              // On PostgreSQL a failed statement aborts the transaction even when the work that
              // ran it caught the error, and COMMIT then rolls back without an exception: every
              // write of the batch would be lost while its caller is told it committed. Any
              // statement fails in an aborted transaction, so this one turns it into an error.
              h.createQuery("SELECT 1").mapTo(Integer.class).one();
            });
      } catch (RuntimeException e) {
        // Fall through and isolate the failing write.
        results.clear();
      }
      if (results.size() == batch.size()) {
        for (int i = 0; i < batch.size(); i++) {
          complete(batch.get(i), results.get(i));
        }
        return;
      }
    }
    for (Task<?> t : batch) {
      runAlone(t);
    }
  }

  private <T> void runAlone(Task<T> t) {
    try {
      T r = jdbi.inTransaction(h -> t.work().run(h));
      t.result().complete(r);
    } catch (RuntimeException e) {
      t.result().completeExceptionally(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(Task<T> t, Object r) {
    t.result().complete((T) r);
  }

  @Override
  public void close() {
    running = false;
    try {
      writer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // A write queued as the loop ended (it checked `running` just before close) must not wait
    // forever: fail it, as a write after close fails.
    Task<?> t;
    while ((t = queue.poll()) != null) {
      t.result().completeExceptionally(new IllegalStateException("database writer is closed"));
    }
  }
}
