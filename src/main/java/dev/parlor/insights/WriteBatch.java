package dev.parlor.insights;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows the ingestion writes in one transaction: new rows to insert, changed rows to update (each
 * the row's latest image), room aggregates, sample chunks and media events to append.
 */
public final class WriteBatch {
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
    return newSessions.size()
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
