package dev.parlor.themes;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Stored themes: colors and images by owner, a room (its meeting) or an organization. */
public interface ThemeStore {

  /** Whose theme: a room, by its meeting's id, or an organization's defaults. */
  record Owner(Kind kind, long id) {
    public enum Kind {
      ROOM("room"),
      ORGANIZATION("organization");

      private final String wire;

      Kind(String wire) {
        this.wire = wire;
      }

      public String wire() {
        return wire;
      }
    }

    public static Owner room(long meetingId) {
      return new Owner(Kind.ROOM, meetingId);
    }

    public static Owner organization(long organizationId) {
      return new Owner(Kind.ORGANIZATION, organizationId);
    }
  }

  Optional<Colors> colors(Owner owner);

  /** Replaces the owner's colors. */
  void putColors(Owner owner, Colors colors, Instant at);

  /** False when the owner had none. */
  boolean deleteColors(Owner owner);

  Optional<ThemeImage> image(Owner owner, ImageSlot slot);

  Map<ImageSlot, ThemeImage> images(Owner owner);

  /** Fills the slot, replacing what was there. */
  void putImage(Owner owner, ImageSlot slot, ThemeImage image, Instant at);

  /** Empties the slot; returns what was in it. */
  Optional<ThemeImage> deleteImage(Owner owner, ImageSlot slot);

  /** Whether the owner has any colors or images stored. */
  boolean hasAny(Owner owner);

  /** Deletes the owner's colors and images; returns the images that were removed. */
  List<ThemeImage> deleteAll(Owner owner);

  /** Meeting ids with a stored room theme but no meeting row (left by a crash); at most max. */
  List<Long> orphanedRooms(int max);
}
