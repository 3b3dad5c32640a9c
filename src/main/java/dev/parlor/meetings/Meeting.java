package dev.parlor.meetings;

import java.time.Instant;
import java.util.Optional;

/**
 * A meeting and its transient room. {@code optionsJson} holds the validated {@code recording},
 * {@code streaming} and {@code liveTranscription} settings, kept for the issues that act on them.
 */
public record Meeting(
    long id,
    long organizationId,
    String roomName,
    Instant startDate,
    Instant endDate,
    RoomMode roomMode,
    boolean locked,
    Optional<String> templateType,
    String optionsJson) {

  public String meetingId() {
    return Long.toString(id);
  }

  public boolean isViewerMode() {
    return templateType.filter("viewerMode"::equals).isPresent();
  }

  /** The room's mode: {@code normal} (up to 4 people) or {@code group}. */
  public enum RoomMode {
    NORMAL("normal"),
    GROUP("group");

    private final String wire;

    RoomMode(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }

    public static RoomMode fromWire(String s) {
      for (RoomMode m : values()) {
        if (m.wire.equals(s)) {
          return m;
        }
      }
      throw new IllegalArgumentException("unknown room mode " + s);
    }
  }
}
