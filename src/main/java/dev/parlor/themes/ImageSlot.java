package dev.parlor.themes;

import java.util.Optional;

/** The three images of a theme, with their names on the wire and their upload limits. */
public enum ImageSlot {
  /** At most 1 MB. */
  LOGO("logo", "logo", 1024 * 1024),
  /** At most 600 KB, the hosted API's limit. */
  ROOM_BACKGROUND("room-background", "roomBackground", 600 * 1024),
  /** At most 600 KB, the hosted API's limit. */
  KNOCK_PAGE_BACKGROUND("room-knock-page-background", "roomKnockPageBackground", 600 * 1024);

  private final String wire;
  private final String jsonName;
  private final int maxBytes;

  ImageSlot(String wire, String jsonName, int maxBytes) {
    this.wire = wire;
    this.jsonName = jsonName;
    this.maxBytes = maxBytes;
  }

  /** The path segment of its endpoint, and the start of its image file names. */
  public String wire() {
    return wire;
  }

  /** Its member in {@code theme.json}. */
  public String jsonName() {
    return jsonName;
  }

  public int maxBytes() {
    return maxBytes;
  }

  /** The limit as people write it: "1 MB", "600 KB". */
  public String limitText() {
    return maxBytes % (1024 * 1024) == 0
        ? maxBytes / (1024 * 1024) + " MB"
        : maxBytes / 1024 + " KB";
  }

  public boolean isBackground() {
    return this != LOGO;
  }

  public static Optional<ImageSlot> fromWire(String s) {
    for (ImageSlot slot : values()) {
      if (slot.wire.equals(s)) {
        return Optional.of(slot);
      }
    }
    return Optional.empty();
  }
}
