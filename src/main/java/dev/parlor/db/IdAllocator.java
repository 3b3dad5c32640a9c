package dev.parlor.db;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Jdbi;

/**
 * Hands out increasing numeric ids from blocks reserved in the {@code id_sequences} table (hi/lo),
 * so ids are unique across every process that shares the database and portable across SQLite and
 * PostgreSQL without vendor-specific sequences.
 *
 * <p>Blocks are reserved in their own committed transaction, never inside another write, so that
 * SQLite's single writer can never wait for itself.
 */
public final class IdAllocator {
  private final Jdbi jdbi;
  private final int blockSize;
  private final ConcurrentHashMap<String, Block> blocks = new ConcurrentHashMap<>();

  public IdAllocator(Jdbi jdbi, int blockSize) {
    this.jdbi = jdbi;
    this.blockSize = blockSize;
  }

  public long next(String sequence) {
    Block b = blocks.computeIfAbsent(sequence, s -> new Block());
    b.lock.lock();
    try {
      if (b.next >= b.end) {
        long end = reserve(sequence);
        b.next = end - blockSize;
        b.end = end;
      }
      return b.next++;
    } finally {
      b.lock.unlock();
    }
  }

  private long reserve(String sequence) {
    return jdbi.inTransaction(
        h -> {
          int n =
              h.createUpdate(
                      "UPDATE id_sequences SET next_value = next_value + :size WHERE name = :name")
                  .bind("size", blockSize)
                  .bind("name", sequence)
                  .execute();
          if (n != 1) {
            throw new IllegalStateException("unknown id sequence " + sequence);
          }
          return h.createQuery("SELECT next_value FROM id_sequences WHERE name = :name")
              .bind("name", sequence)
              .mapTo(Long.class)
              .one();
        });
  }

  private static final class Block {
    final ReentrantLock lock = new ReentrantLock();
    long next;
    long end;
  }
}
