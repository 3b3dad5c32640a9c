package dev.parlor.insights;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what the ingestion records in the background, many rows to a transaction: the room
 * server's calls only queue immutable row images and never wait for the database (unless the queue
 * is full, which slows them down to what the database takes).
 *
 * <p>Every {@link #FLUSH_INTERVAL_MS} (or as soon as {@link #MAX_PENDING} rows are pending) the
 * writer thread writes the pending rows, {@link #ROWS_PER_TRANSACTION} to a transaction. Successive
 * images of one row (a session's aggregates after each join and leave, say) collapse into the
 * latest, so a busy room costs one update per flush rather than one per event. A failed flush is
 * retried; a batch that keeps failing is written row by row and the rows that still fail are
 * dropped and logged, so one bad row cannot stop the ingestion.
 */
public final class InsightsWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InsightsWriter.class);

  static final long FLUSH_INTERVAL_MS = 250;
  static final int MAX_PENDING = 20_000;

  /**
   * Rows per transaction: small enough that SQLite's write lock (shared with the meetings' writer)
   * is never held for long, large enough that a commit is shared by hundreds of rows.
   */
  static final int ROWS_PER_TRANSACTION = 500;

  private static final int QUEUE_CAPACITY = 200_000;
  private static final int ATTEMPTS = 3;

  private enum Table {
    SESSION,
    PARTICIPANT,
    CONNECTION,
    ROOM
  }

  private record Key(Table table, long id) {}

  /** An image of a row; {@code isNew} when it is the row's first. */
  private record Put(Key key, Object row, boolean isNew, long seq) {}

  private record Append(Object row, long seq) {}

  private record Barrier(CompletableFuture<Void> done) {}

  private final InsightsStore store;
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
  private final AtomicLong submitted = new AtomicLong();
  private volatile long durable;
  private volatile boolean running = true;
  private final Thread thread;

  // Owned by the writer thread.
  private final Map<Key, Put> pending = new LinkedHashMap<>();
  private final List<Object> appends = new ArrayList<>();
  private final List<CompletableFuture<Void>> barriers = new ArrayList<>();
  private long pendingSeq;

  public InsightsWriter(InsightsStore store) {
    this.store = store;
    this.thread = Thread.ofPlatform().name("parlor-insights-writer").daemon().start(this::loop);
  }

  long putSession(SessionRecord s, boolean isNew) {
    return put(new Key(Table.SESSION, s.id()), s, isNew);
  }

  long putParticipant(ParticipantRecord p, boolean isNew) {
    return put(new Key(Table.PARTICIPANT, p.id()), p, isNew);
  }

  long putConnection(ConnectionRecord c, boolean isNew) {
    return put(new Key(Table.CONNECTION, c.id()), c, isNew);
  }

  long putRoom(RoomRecord r) {
    return put(new Key(Table.ROOM, r.meetingId()), r, false);
  }

  /** The room of a new meeting (inserted unless there is one), in order with what follows. */
  void appendNewRoom(RoomRecord room) {
    enqueue(new Append(room, submitted.incrementAndGet()));
  }

  void appendRemoval(long meetingId, long at) {
    enqueue(new Append(new WriteBatch.RoomRemoval(meetingId, at), submitted.incrementAndGet()));
  }

  void append(SampleChunk chunk) {
    enqueue(new Append(chunk, submitted.incrementAndGet()));
  }

  void append(MediaEventRecord event) {
    enqueue(new Append(event, submitted.incrementAndGet()));
  }

  private long put(Key key, Object row, boolean isNew) {
    long seq = submitted.incrementAndGet();
    enqueue(new Put(key, row, isNew, seq));
    return seq;
  }

  private void enqueue(Object op) {
    if (!running) {
      throw new IllegalStateException("insights writer is closed");
    }
    try {
      queue.put(op);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while queueing insights", e);
    }
  }

  /** The sequence number of the latest row image that is committed. */
  long durableSeq() {
    return durable;
  }

  /** Writes everything queued before this call and waits for the commit. */
  void flush() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    enqueue(new Barrier(done));
    while (true) {
      try {
        done.get(1, TimeUnit.SECONDS);
        return;
      } catch (java.util.concurrent.TimeoutException e) {
        if (!thread.isAlive()) {
          // close() ended the writer between the check in enqueue and the barrier's arrival.
          throw new IllegalStateException("insights writer is closed");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while flushing insights", e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("insights flush failed", e.getCause());
      }
    }
  }

  private void loop() {
    List<Object> drained = new ArrayList<>();
    long lastWrite = System.nanoTime();
    while (true) {
      long waitMs =
          Math.max(
              1, FLUSH_INTERVAL_MS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastWrite));
      Object first;
      try {
        first = queue.poll(waitMs, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        first = null;
        running = false;
      }
      if (first != null) {
        drained.add(first);
        queue.drainTo(drained, MAX_PENDING);
      }
      for (Object op : drained) {
        switch (op) {
          case Put p -> merge(p);
          case Append a -> {
            appends.add(a.row());
            pendingSeq = Math.max(pendingSeq, a.seq());
          }
          case Barrier b -> barriers.add(b.done());
          default -> throw new IllegalStateException("unknown op " + op);
        }
      }
      drained.clear();
      boolean due =
          !barriers.isEmpty()
              || pending.size() + appends.size() >= MAX_PENDING
              || System.nanoTime() - lastWrite >= TimeUnit.MILLISECONDS.toNanos(FLUSH_INTERVAL_MS)
              || !running;
      if (due) {
        boolean written = writePending();
        lastWrite = System.nanoTime();
        if (written) {
          barriers.forEach(b -> b.complete(null));
          barriers.clear();
        }
      }
      if (!running && queue.isEmpty() && pending.isEmpty() && appends.isEmpty()) {
        return;
      }
    }
  }

  private void merge(Put p) {
    Put before = pending.get(p.key());
    boolean isNew = p.isNew() || (before != null && before.isNew());
    pending.put(p.key(), new Put(p.key(), p.row(), isNew, p.seq()));
    pendingSeq = Math.max(pendingSeq, p.seq());
  }

  /**
   * Writes the pending rows, {@link #ROWS_PER_TRANSACTION} to a transaction; false when nothing
   * could be written (the database is unreachable), in which case what is left stays pending for
   * the next attempt. Rooms of new meetings (and removals) go first, so a room's row exists before
   * its aggregates are updated.
   */
  private boolean writePending() {
    if (pending.isEmpty() && appends.isEmpty()) {
      durable = Math.max(durable, pendingSeq);
      return true;
    }
    List<Object> ops = new ArrayList<>(pending.size() + appends.size());
    List<Object> rest = new ArrayList<>();
    for (Object a : appends) {
      (a instanceof RoomRecord || a instanceof WriteBatch.RoomRemoval ? ops : rest).add(a);
    }
    ops.addAll(pending.values());
    ops.addAll(rest);
    for (int done = 0; done < ops.size(); done += ROWS_PER_TRANSACTION) {
      List<Object> slice = ops.subList(done, Math.min(ops.size(), done + ROWS_PER_TRANSACTION));
      if (!writeSlice(slice)) {
        keep(ops.subList(done, ops.size()));
        return false;
      }
    }
    pending.clear();
    appends.clear();
    durable = Math.max(durable, pendingSeq);
    return true;
  }

  private void keep(List<Object> unwritten) {
    List<Object> left = new ArrayList<>(unwritten);
    pending.clear();
    appends.clear();
    for (Object o : left) {
      if (o instanceof Put p) {
        pending.put(p.key(), p);
      } else {
        appends.add(o);
      }
    }
  }

  private boolean writeSlice(List<Object> slice) {
    WriteBatch batch = batchOf(slice);
    for (int attempt = 1; ; attempt++) {
      try {
        store.write(batch);
        return true;
      } catch (RuntimeException e) {
        if (attempt < ATTEMPTS) {
          log.warn("Insights batch of {} rows failed; will retry: {}", batch.size(), e.toString());
          sleepQuietly(200L * attempt);
          continue;
        }
        log.error(
            "Insights batch of {} rows failed {} times; writing it row by row",
            batch.size(),
            attempt,
            e);
        if (!writeOneByOne(slice)) {
          log.error("No insights row could be written; keeping {} rows for later", batch.size());
          sleepQuietly(1_000);
          return false;
        }
        return true;
      }
    }
  }

  /** Writes each row alone, dropping those that fail; false when every row failed. */
  private boolean writeOneByOne(List<Object> slice) {
    List<RuntimeException> failures = new ArrayList<>();
    for (Object op : slice) {
      try {
        store.write(batchOf(List.of(op)));
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    if (failures.size() == slice.size()) {
      return false;
    }
    for (RuntimeException e : failures) {
      log.error("Dropped an insights row that cannot be written", e);
    }
    return true;
  }

  /** A batch of row images ({@link Put}s) and appended rows. */
  private static WriteBatch batchOf(List<Object> ops) {
    WriteBatch b = new WriteBatch();
    for (Object op : ops) {
      if (op instanceof Put p) {
        switch (p.row()) {
          case SessionRecord s -> (p.isNew() ? b.newSessions : b.changedSessions).add(s);
          case ParticipantRecord r ->
              (p.isNew() ? b.newParticipants : b.changedParticipants).add(r);
          case ConnectionRecord c -> (p.isNew() ? b.newConnections : b.changedConnections).add(c);
          case RoomRecord r -> b.changedRooms.add(r);
          default -> throw new IllegalStateException("unknown row " + p.row());
        }
      } else {
        switch (op) {
          case RoomRecord r -> b.newRooms.add(r);
          case WriteBatch.RoomRemoval r -> b.removedRooms.add(r);
          case SampleChunk c -> b.chunks.add(c);
          case MediaEventRecord e -> b.events.add(e);
          default -> throw new IllegalStateException("unknown row " + op);
        }
      }
    }
    return b;
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Writes what is queued, then stops the writer thread. */
  @Override
  public void close() {
    if (!running) {
      return;
    }
    running = false;
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
