package dev.parlor.meetings;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Meetings by organization. "Live" means {@code endDate > cutoff}, where the caller passes {@code
 * cutoff = now - grace}: a meeting past its grace is invisible at once, before any sweep removes
 * it.
 */
public interface MeetingStore {

  /**
   * Stores a new meeting durably; throws {@link RoomNameTakenException} if its room name is used.
   */
  void insert(Meeting meeting);

  Optional<Meeting> findLive(long organizationId, long meetingId, Instant cutoff);

  /**
   * The live meeting whose room is {@code roomName} (with its leading slash), of any organization.
   */
  Optional<Meeting> findLiveByRoomName(String roomName, Instant cutoff);

  /** Live meetings with an id above {@code afterId}, ascending by id, at most {@code limit}. */
  List<Meeting> listLive(long organizationId, long afterId, int limit, Instant cutoff);

  /** Deletes the meeting if it is this organization's; false when there was none. */
  boolean delete(long organizationId, long meetingId);

  /** Deletes up to {@code max} meetings whose grace ended at or before {@code cutoff}. */
  List<Meeting> deleteExpired(Instant cutoff, int max);

  /** Thrown by {@link #insert} when the room name belongs to another meeting. */
  final class RoomNameTakenException extends RuntimeException {
    public RoomNameTakenException(String roomName) {
      super("room name taken: " + roomName, null, false, false);
    }
  }
}
