package dev.parlor.themes;

import dev.parlor.blobs.Blob;
import dev.parlor.blobs.BlobStore;
import dev.parlor.http.ApiException;
import dev.parlor.http.ErrorCode;
import dev.parlor.meetings.Meeting;
import dev.parlor.meetings.MeetingListener;
import dev.parlor.themes.ThemeStore.Owner;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Themes' rules: what a room's theme is made of, how it falls back to its organization's defaults
 * and then to Parlor's, where its images are stored, and that it goes when its meeting goes.
 *
 * <p>A room's colors apply only with {@code tokensPreset: custom} (the contract: {@code default} or
 * none means the organization's defaults); a color the room leaves out comes from the organization,
 * then from {@link Colors#BUILT_IN}. A room's logo falls back to its organization's logo, then to
 * none; its backgrounds to the built-in {@code default} palette and picture.
 */
public final class ThemeService implements MeetingListener {
  private static final Logger log = LoggerFactory.getLogger(ThemeService.class);
  private static final Pattern IMAGE_FILE =
      Pattern.compile(
          "(logo|room-background|room-knock-page-background)-([0-9a-f]{16})\\.(png|jpg|webp)");

  /** Finds the live meeting of a room name (leading slash optional), of any organization. */
  @FunctionalInterface
  public interface RoomLookup {
    Optional<Meeting> findLive(String roomName);
  }

  private final ThemeStore store;
  private final BlobStore blobs;
  private final ThemeImages images;
  private final BuiltInBackgrounds builtIns;
  private final RoomLookup rooms;
  private final Clock clock;

  public ThemeService(
      ThemeStore store,
      BlobStore blobs,
      Path tmpDir,
      BuiltInBackgrounds builtIns,
      RoomLookup rooms,
      Clock clock) {
    this.store = store;
    this.blobs = blobs;
    this.images = new ThemeImages(blobs, tmpDir);
    this.builtIns = builtIns;
    this.rooms = rooms;
    this.clock = clock;
  }

  // ---------------------------------------------------------------- what a theme resolves to

  /** Where an image of a resolved theme comes from. */
  public enum Source {
    ROOM,
    ORGANIZATION,
    BUILT_IN
  }

  /** An image of a resolved theme: its file name (with its hash) and what it is. */
  public record ResolvedImage(
      ImageSlot slot,
      Source source,
      String fileName,
      ImageFormat format,
      int width,
      int height,
      Optional<ThemeImage.BuiltIn> builtIn) {}

  /** A room's theme as its page uses it, every fallback applied. */
  public record ResolvedTheme(
      Meeting meeting, boolean customTokens, Colors colors, Map<ImageSlot, ResolvedImage> images) {}

  // ---------------------------------------------------------------- the room endpoints

  /** The caller's live room; a 404 for one that does not exist, expired or is another's. */
  public Meeting room(long organizationId, String roomName) {
    return rooms
        .findLive(roomName)
        .filter(m -> m.organizationId() == organizationId)
        .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND));
  }

  /** {@code tokensPreset: custom}: the room's own colors (those given; the rest inherited). */
  public void setCustomColors(Meeting room, Colors colors) {
    store.putColors(Owner.room(room.id()), colors, clock.instant());
    afterWrite(room);
  }

  /** {@code tokensPreset: default}: the room follows its organization's colors again. */
  public void useDefaultColors(Meeting room) {
    store.deleteColors(Owner.room(room.id()));
  }

  /** Stores an uploaded image in the room's slot, replacing (and deleting) the previous one. */
  public void upload(Meeting room, ImageSlot slot, InputStream image) {
    Owner owner = Owner.room(room.id());
    ThemeImage.Uploaded stored = images.ingest(image, slot, prefix(owner));
    replace(owner, slot, stored);
    afterWrite(room);
  }

  /** A built-in background in the room's slot; default palette and picture is a reset. */
  public void useBuiltIn(Meeting room, ImageSlot slot, Palette palette, BackgroundTheme theme) {
    Owner owner = Owner.room(room.id());
    if (palette == Palette.DEFAULT && theme == BackgroundTheme.DEFAULT) {
      reset(room, slot);
      return;
    }
    replace(owner, slot, new ThemeImage.BuiltIn(palette, theme));
    afterWrite(room);
  }

  /** Empties the room's slot: the default applies again. */
  public void reset(Meeting room, ImageSlot slot) {
    Owner owner = Owner.room(room.id());
    store.deleteImage(owner, slot).ifPresent(this::deleteBlob);
  }

  private void replace(Owner owner, ImageSlot slot, ThemeImage image) {
    Optional<ThemeImage> old = store.image(owner, slot);
    store.putImage(owner, slot, image, clock.instant());
    old.filter(o -> !o.equals(image) && !sameBlob(o, image)).ifPresent(this::deleteBlob);
  }

  private static boolean sameBlob(ThemeImage a, ThemeImage b) {
    return a instanceof ThemeImage.Uploaded x
        && b instanceof ThemeImage.Uploaded y
        && x.blobKey().equals(y.blobKey());
  }

  /**
   * A meeting deleted while its theme was being written would leave the theme behind: look again
   * and clean up if it went.
   */
  private void afterWrite(Meeting room) {
    Optional<Meeting> still = rooms.findLive(room.roomName());
    if (still.isEmpty() || still.get().id() != room.id()) {
      deleteRoomTheme(room.id());
    }
  }

  // ---------------------------------------------------------------- organization defaults (CLI)

  /** An organization's defaults, as stored. */
  public record OrganizationTheme(Colors colors, Optional<ThemeImage.Uploaded> logo) {}

  public OrganizationTheme organizationTheme(long organizationId) {
    Owner owner = Owner.organization(organizationId);
    Optional<ThemeImage.Uploaded> logo =
        store
            .image(owner, ImageSlot.LOGO)
            .filter(ThemeImage.Uploaded.class::isInstance)
            .map(ThemeImage.Uploaded.class::cast);
    return new OrganizationTheme(store.colors(owner).orElse(Colors.NONE), logo);
  }

  /** Sets the given default colors (the others stay as they were). */
  public void setOrganizationColors(long organizationId, Colors colors) {
    Owner owner = Owner.organization(organizationId);
    Colors merged = colors.over(store.colors(owner).orElse(Colors.NONE));
    store.putColors(owner, merged, clock.instant());
  }

  public void setOrganizationLogo(long organizationId, InputStream image) {
    Owner owner = Owner.organization(organizationId);
    replace(owner, ImageSlot.LOGO, images.ingest(image, ImageSlot.LOGO, prefix(owner)));
  }

  /** Removes the organization's default colors and logo. */
  public void resetOrganization(long organizationId) {
    Owner owner = Owner.organization(organizationId);
    store.deleteAll(owner);
    // By prefix: also what two uploads racing each other may have left behind.
    blobs.deleteByPrefix(prefix(owner));
  }

  // ---------------------------------------------------------------- the public theme

  /** The theme of a live room, whoever asks; empty for an unknown or expired room. */
  public Optional<ResolvedTheme> resolve(String roomName) {
    return rooms.findLive(roomName).map(this::resolve);
  }

  private ResolvedTheme resolve(Meeting m) {
    Owner room = Owner.room(m.id());
    Owner org = Owner.organization(m.organizationId());
    Optional<Colors> own = store.colors(room);
    Colors orgColors = store.colors(org).orElse(Colors.NONE);
    Colors colors = own.orElse(Colors.NONE).over(orgColors).over(Colors.BUILT_IN);
    Map<ImageSlot, ThemeImage> roomImages = store.images(room);
    Map<ImageSlot, ResolvedImage> resolved = new EnumMap<>(ImageSlot.class);
    for (ImageSlot slot : ImageSlot.values()) {
      ThemeImage own2 = roomImages.get(slot);
      if (own2 != null) {
        resolved.put(slot, resolved(slot, Source.ROOM, own2));
      } else if (slot == ImageSlot.LOGO) {
        store
            .image(org, slot)
            .ifPresent(i -> resolved.put(slot, resolved(slot, Source.ORGANIZATION, i)));
      } else {
        resolved.put(
            slot,
            resolved(
                slot,
                Source.BUILT_IN,
                new ThemeImage.BuiltIn(Palette.DEFAULT, BackgroundTheme.DEFAULT)));
      }
    }
    return new ResolvedTheme(m, own.isPresent(), colors, resolved);
  }

  private ResolvedImage resolved(ImageSlot slot, Source source, ThemeImage image) {
    return switch (image) {
      case ThemeImage.Uploaded u ->
          new ResolvedImage(
              slot,
              source,
              fileName(slot, u.sha256(), u.format()),
              u.format(),
              u.width(),
              u.height(),
              Optional.empty());
      case ThemeImage.BuiltIn b -> {
        BuiltInBackgrounds.Image drawn = builtIns.get(b.palette(), b.theme());
        yield new ResolvedImage(
            slot,
            source == Source.ROOM ? Source.ROOM : Source.BUILT_IN,
            fileName(slot, drawn.sha256(), ImageFormat.PNG),
            ImageFormat.PNG,
            drawn.width(),
            drawn.height(),
            Optional.of(b));
      }
    };
  }

  private static String fileName(ImageSlot slot, String sha256, ImageFormat format) {
    return slot.wire() + "-" + sha256.substring(0, 16) + "." + format.extension();
  }

  /** An image to serve: from the blob store or drawn in memory. */
  public sealed interface ImageContent {
    String sha256();

    ImageFormat format();

    /** A stored upload; {@code open} reads it (empty if the blob has gone meanwhile). */
    record Stored(String sha256, ImageFormat format, Supplier<Optional<Blob>> open)
        implements ImageContent {}

    /** A built-in background. */
    record Drawn(byte[] png, String sha256, ImageFormat format) implements ImageContent {}
  }

  /**
   * The image a room's theme names {@code fileName}, if it names it now; empty for an unknown room
   * or a file that is not (any longer) part of its theme.
   */
  public Optional<ImageContent> image(String roomName, String fileName) {
    Matcher match = IMAGE_FILE.matcher(fileName);
    if (!match.matches()) {
      return Optional.empty();
    }
    ImageSlot slot = ImageSlot.fromWire(match.group(1)).orElseThrow();
    Optional<Meeting> m = rooms.findLive(roomName);
    if (m.isEmpty()) {
      return Optional.empty();
    }
    Owner room = Owner.room(m.get().id());
    Optional<ThemeImage> image = store.image(room, slot);
    if (image.isEmpty() && slot == ImageSlot.LOGO) {
      image = store.image(Owner.organization(m.get().organizationId()), slot);
    }
    if (image.isEmpty() && slot.isBackground()) {
      image = Optional.of(new ThemeImage.BuiltIn(Palette.DEFAULT, BackgroundTheme.DEFAULT));
    }
    return image.flatMap(
        i ->
            switch (i) {
              case ThemeImage.Uploaded u -> {
                if (!fileName.equals(fileName(slot, u.sha256(), u.format()))) {
                  yield Optional.empty();
                }
                yield Optional.of(
                    new ImageContent.Stored(u.sha256(), u.format(), () -> blobs.open(u.blobKey())));
              }
              case ThemeImage.BuiltIn b -> {
                BuiltInBackgrounds.Image drawn = builtIns.get(b.palette(), b.theme());
                yield fileName.equals(fileName(slot, drawn.sha256(), ImageFormat.PNG))
                    ? Optional.of(
                        new ImageContent.Drawn(drawn.png(), drawn.sha256(), ImageFormat.PNG))
                    : Optional.empty();
              }
            });
  }

  // ---------------------------------------------------------------- cleanup

  @Override
  public void meetingRemoved(Meeting meeting) {
    deleteRoomTheme(meeting.id());
  }

  /**
   * Deletes a room's theme and its images. The blobs go first: if that fails, the rows stay and
   * {@link #removeOrphans} tries again later.
   */
  public void deleteRoomTheme(long meetingId) {
    Owner owner = Owner.room(meetingId);
    if (!store.hasAny(owner)) {
      return;
    }
    blobs.deleteByPrefix(prefix(owner));
    store.deleteAll(owner);
  }

  /** Deletes the themes of rooms whose meeting is gone (a crash between the two deletes). */
  public int removeOrphans() {
    int n = 0;
    List<Long> orphans;
    do {
      orphans = store.orphanedRooms(100);
      for (long id : orphans) {
        deleteRoomTheme(id);
        n++;
      }
    } while (orphans.size() == 100);
    if (n > 0) {
      log.info("Removed the themes of {} deleted rooms", n);
    }
    return n;
  }

  private void deleteBlob(ThemeImage image) {
    if (image instanceof ThemeImage.Uploaded u) {
      blobs.delete(u.blobKey());
    }
  }

  /** Where an owner's images live in the blob store. */
  static String prefix(Owner owner) {
    return "themes/" + owner.kind().wire() + "/" + owner.id() + "/";
  }
}
