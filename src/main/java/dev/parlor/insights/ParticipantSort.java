package dev.parlor.insights;

import java.util.Optional;
import java.util.function.ToLongFunction;

/** The fields {@code GET /v1/insights/participants} sorts by. */
public enum ParticipantSort {
  JOINED_AT("joinedAt", ParticipantRecord::joinedAt),
  LEFT_AT("leftAt", p -> RoomSort.orLast(p.leftAt()));

  private final String wire;
  private final ToLongFunction<ParticipantRecord> key;

  ParticipantSort(String wire, ToLongFunction<ParticipantRecord> key) {
    this.wire = wire;
    this.key = key;
  }

  public String wireName() {
    return wire;
  }

  public long keyOf(ParticipantRecord p) {
    return key.applyAsLong(p);
  }

  public static Optional<ParticipantSort> fromWire(String s) {
    for (ParticipantSort f : values()) {
      if (f.wire.equals(s)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
