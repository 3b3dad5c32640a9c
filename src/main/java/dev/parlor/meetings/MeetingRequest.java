package dev.parlor.meetings;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A validated {@code POST /v1/meetings} body.
 *
 * @param roomNamePrefix normalized: no slash, lower case, no whitespace
 * @param optionsJson the validated recording / streaming / liveTranscription settings
 */
public record MeetingRequest(
    Instant endDate,
    String roomNamePrefix,
    RoomNames.Pattern roomNamePattern,
    Meeting.RoomMode roomMode,
    boolean locked,
    Optional<String> templateType,
    Set<Field> fields,
    String optionsJson) {

  /** The optional URLs a response can carry. */
  public enum Field {
    HOST_ROOM_URL("hostRoomUrl"),
    VIEWER_ROOM_URL("viewerRoomUrl");

    private final String wire;

    Field(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }

    public static Optional<Field> fromWire(String s) {
      for (Field f : values()) {
        if (f.wire.equals(s)) {
          return Optional.of(f);
        }
      }
      return Optional.empty();
    }
  }
}
