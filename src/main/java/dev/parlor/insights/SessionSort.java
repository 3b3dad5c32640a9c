package dev.parlor.insights;

import java.util.List;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * The fields {@code GET /v1/insights/room-sessions} sorts by. {@code createdAt} is another name of
 * {@code startedAt} and {@code endAt} of {@code endedAt}, as the results carry both.
 */
public enum SessionSort {
  STARTED_AT(List.of("startedAt", "createdAt"), SessionRecord::startedAt),
  ENDED_AT(List.of("endedAt", "endAt"), s -> RoomSort.orLast(s.endedAt())),
  TOTAL_PARTICIPANT_MINUTES(
      List.of("totalParticipantMinutes"), s -> s.totals().participantMinutes()),
  TOTAL_RECORDER_MINUTES(List.of("totalRecorderMinutes"), s -> s.totals().recorderMinutes()),
  TOTAL_STREAMER_MINUTES(List.of("totalStreamerMinutes"), s -> s.totals().streamerMinutes()),
  TOTAL_UNIQUE_PARTICIPANTS(
      List.of("totalUniqueParticipants"), s -> s.totals().uniqueParticipants()),
  TOTAL_UNIQUE_RECORDERS(List.of("totalUniqueRecorders"), s -> s.totals().uniqueRecorders()),
  TOTAL_UNIQUE_STREAMERS(List.of("totalUniqueStreamers"), s -> s.totals().uniqueStreamers());

  private final List<String> names;
  private final ToLongFunction<SessionRecord> key;

  SessionSort(List<String> names, ToLongFunction<SessionRecord> key) {
    this.names = names;
    this.key = key;
  }

  /** Every name this field is sorted by, the canonical one first. */
  public List<String> wireNames() {
    return names;
  }

  public String wireName() {
    return names.get(0);
  }

  public long keyOf(SessionRecord s) {
    return key.applyAsLong(s);
  }

  public static Optional<SessionSort> fromWire(String s) {
    for (SessionSort f : values()) {
      if (f.names.contains(s)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
