package dev.parlor.recordings;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Recordings by organization, and the queue of accepted bulk deletes. Only {@link
 * Recording.State#READY} recordings are ever found or listed.
 */
public interface RecordingStore {

  /** The orders a list can be asked for; every one is broken by {@code recordingId} ascending. */
  enum SortField {
    ROOM_NAME("roomName"),
    START_DATE("startDate"),
    DURATION("duration"),
    SIZE("sizeInMegaBytes");

    private final String wire;

    SortField(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }

    public static Optional<SortField> fromWire(String s) {
      for (SortField f : values()) {
        if (f.wire.equals(s)) {
          return Optional.of(f);
        }
      }
      return Optional.empty();
    }
  }

  /** A sort: a field and a direction. */
  record Sort(SortField field, boolean descending) {}

  /**
   * Where the previous page ended: the sort value of its last recording (a string for {@code
   * ROOM_NAME}, a number otherwise) and that recording's id.
   */
  record Position(String value, String recordingId) {}

  /** A bulk delete accepted and not carried out yet. */
  record DeleteJob(long id, long organizationId, List<String> recordingIds) {}

  default void insert(Recording recording) {
    insert(recording, h -> null);
  }

  /**
   * Makes an {@link Recording.State#UPLOADING} recording ready with its final size, running {@code
   * alongside} in the same transaction; false (and nothing run) if it is no longer uploading.
   */
  boolean markReady(
      String recordingId, long sizeBytes, dev.parlor.db.WriteBatcher.Work<?> alongside);

  /**
   * Marks recordings still uploading since before {@code cutoff} (the process writing them stopped)
   * as deleting, so their partial files are removed; returns them.
   */
  List<Recording> markAbandonedUploadsDeleting(Instant cutoff, int max);

  /** Inserts the recording and runs {@code alongside} in the same transaction. */
  void insert(Recording recording, dev.parlor.db.WriteBatcher.Work<?> alongside);

  Optional<Recording> find(long organizationId, String recordingId);

  /** A ready recording of any organization (for access links, which carry no key). */
  Optional<Recording> findAnyOrganization(String recordingId);

  /**
   * Up to {@code limit} ready recordings of the organization (of one room when {@code roomName} is
   * present) in {@code sort} order, after {@code after} when present.
   */
  List<Recording> list(
      long organizationId,
      Optional<String> roomName,
      Sort sort,
      Optional<Position> after,
      int limit);

  /**
   * Marks the recording {@code DELETING} (so it is invisible at once) and returns it, when it is a
   * ready recording of the organization.
   */
  Optional<Recording> markDeleting(long organizationId, String recordingId);

  /** Recordings marked deleting (whose file may still be there), at most {@code max}. */
  List<Recording> deleting(int max);

  /** Removes the row for good, once its file is gone. */
  void remove(String recordingId);

  /** Marks up to {@code max} ready recordings that ended before {@code cutoff} deleting. */
  List<Recording> markExpiredDeleting(Instant cutoff, int max);

  void enqueueDeleteJob(DeleteJob job, Instant createdAt);

  /** The oldest accepted bulk deletes, at most {@code max}. */
  List<DeleteJob> pendingDeleteJobs(int max);

  void finishDeleteJob(long jobId);
}
