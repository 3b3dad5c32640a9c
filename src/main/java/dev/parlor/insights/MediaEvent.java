package dev.parlor.insights;

import java.util.Locale;
import java.util.Optional;

/** A switch of a connection's camera, microphone or screenshare. */
public enum MediaEvent {
  CAMERA_ON,
  CAMERA_OFF,
  MICROPHONE_ON,
  MICROPHONE_OFF,
  SCREENSHARE_ON,
  SCREENSHARE_OFF;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<MediaEvent> fromWire(String s) {
    for (MediaEvent e : values()) {
      if (e.wireName().equals(s)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }
}
