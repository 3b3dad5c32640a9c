package dev.parlor.recordings;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A recording of a room session. Its file is either in Parlor's blob store ({@link Storage#PARLOR},
 * {@code storageKey} a blob key) or in the customer's S3 bucket named by the meeting's {@code
 * recording.destination} ({@link Storage#S3}, {@code storageKey} the object key, {@code
 * destinationJson} that destination).
 */
public record Recording(
    String recordingId,
    long organizationId,
    String roomName,
    String roomSessionId,
    String filename,
    Instant startDate,
    Instant endDate,
    long sizeBytes,
    String contentType,
    Storage storage,
    String storageKey,
    Optional<String> destinationJson,
    State state,
    Instant createdAt) {

  public Duration duration() {
    return Duration.between(startDate, endDate);
  }

  /** This recording, ready, with its file's final size. */
  public Recording ready(long size) {
    return new Recording(
        recordingId,
        organizationId,
        roomName,
        roomSessionId,
        filename,
        startDate,
        endDate,
        size,
        contentType,
        storage,
        storageKey,
        destinationJson,
        State.READY,
        createdAt);
  }

  /** Where the file is. */
  public enum Storage {
    PARLOR("parlor"),
    S3("s3");

    private final String wire;

    Storage(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }

    public static Storage fromWire(String s) {
      for (Storage v : values()) {
        if (v.wire.equals(s)) {
          return v;
        }
      }
      throw new IllegalArgumentException("unknown recording storage " + s);
    }
  }

  /** {@code READY} recordings are visible; {@code DELETING} ones are being removed. */
  public enum State {
    READY("ready"),
    DELETING("deleting"),
    /** Its file is being written; invisible until it is complete. */
    UPLOADING("uploading");

    private final String wire;

    State(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }

    public static State fromWire(String s) {
      for (State v : values()) {
        if (v.wire.equals(s)) {
          return v;
        }
      }
      throw new IllegalArgumentException("unknown recording state " + s);
    }
  }
}
