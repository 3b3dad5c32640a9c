package dev.parlor.insights;

import java.util.Optional;
import java.util.function.ToLongFunction;

/** The fields {@code GET /v1/insights/rooms} sorts by: every numeric and date field. */
public enum RoomSort {
  CREATED_AT("createdAt", RoomRecord::createdAt),
  END_AT("endAt", RoomRecord::endAt),
  FIRST_SESSION_STARTED_AT("firstSessionStartedAt", r -> orLast(r.firstSessionStartedAt())),
  LAST_SESSION_STARTED_AT("lastSessionStartedAt", r -> orLast(r.lastSessionStartedAt())),
  TOTAL_PARTICIPANT_MINUTES("totalParticipantMinutes", r -> r.totals().participantMinutes()),
  TOTAL_RECORDER_MINUTES("totalRecorderMinutes", r -> r.totals().recorderMinutes()),
  TOTAL_STREAMER_MINUTES("totalStreamerMinutes", r -> r.totals().streamerMinutes()),
  TOTAL_UNIQUE_PARTICIPANTS("totalUniqueParticipants", r -> r.totals().uniqueParticipants()),
  TOTAL_UNIQUE_RECORDERS("totalUniqueRecorders", r -> r.totals().uniqueRecorders()),
  TOTAL_UNIQUE_STREAMERS("totalUniqueStreamers", r -> r.totals().uniqueStreamers()),
  TOTAL_SESSIONS("totalSessions", RoomRecord::sessions);

  /**
   * The sort value of a date that has not happened (yet): after every date, as PostgreSQL orders
   * NULLs by default (last ascending, first descending).
   */
  public static final long NOT_YET = Long.MAX_VALUE;

  private final String wire;
  private final ToLongFunction<RoomRecord> key;

  RoomSort(String wire, ToLongFunction<RoomRecord> key) {
    this.wire = wire;
    this.key = key;
  }

  public String wireName() {
    return wire;
  }

  public long keyOf(RoomRecord r) {
    return key.applyAsLong(r);
  }

  static long orLast(Long v) {
    return v == null ? NOT_YET : v;
  }

  public static Optional<RoomSort> fromWire(String s) {
    for (RoomSort f : values()) {
      if (f.wire.equals(s)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
