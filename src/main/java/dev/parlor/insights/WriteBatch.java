package dev.parlor.insights;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows the ingestion writes in one transaction: rooms of new meetings and removals, new rows to
 * insert, changed rows to update (each the row's latest image), room aggregates, sample chunks and
 * media events to append.
 */
public final class WriteBatch {
  /** A meeting was deleted or swept at {@code at}. */
  public record RoomRemoval(long meetingId, long at) {}

  /** Rooms of new meetings, inserted unless the meeting already has one; written first. */
  public final List<RoomRecord> newRooms = new ArrayList<>();

  public final List<RoomRemoval> removedRooms = new ArrayList<>();
  public final List<SessionRecord> newSessions = new ArrayList<>();
  public final List<SessionRecord> changedSessions = new ArrayList<>();
  public final List<ParticipantRecord> newParticipants = new ArrayList<>();
  public final List<ParticipantRecord> changedParticipants = new ArrayList<>();
  public final List<ConnectionRecord> newConnections = new ArrayList<>();
  public final List<ConnectionRecord> changedConnections = new ArrayList<>();
  public final List<RoomRecord> changedRooms = new ArrayList<>();
  public final List<SampleChunk> chunks = new ArrayList<>();
  public final List<MediaEventRecord> events = new ArrayList<>();

  public boolean isEmpty() {
    return size() == 0;
  }

  public int size() {
    return newRooms.size()
        + removedRooms.size()
        + newSessions.size()
        + changedSessions.size()
        + newParticipants.size()
        + changedParticipants.size()
        + newConnections.size()
        + changedConnections.size()
        + changedRooms.size()
        + chunks.size()
        + events.size();
  }
}
