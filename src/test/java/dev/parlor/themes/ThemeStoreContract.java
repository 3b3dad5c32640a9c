package dev.parlor.themes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parlor.db.Database;
import dev.parlor.db.WriteBatcher;
import dev.parlor.meetings.Meeting;
import dev.parlor.meetings.SqlMeetingStore;
import dev.parlor.orgs.Organization;
import dev.parlor.orgs.SqlOrganizationStore;
import dev.parlor.testing.TestDatabases;
import dev.parlor.themes.ThemeStore.Owner;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ThemeStore} must do, whatever the database; each test gets a new one. */
public abstract class ThemeStoreContract {
  static final Instant NOW = Instant.parse("2030-01-02T03:04:05.678Z");

  private String url;
  private Database db;
  private WriteBatcher writer;
  protected ThemeStore store;

  protected abstract String newDatabaseUrl();

  @BeforeEach
  void open() {
    url = newDatabaseUrl();
    db = Database.open(url, 4);
    writer = new WriteBatcher(db.jdbi());
    store = new SqlThemeStore(db.jdbi());
    new SqlOrganizationStore(db.jdbi()).insert(new Organization(1, "a", OptionalLong.empty(), NOW));
  }

  @AfterEach
  void close() {
    if (writer != null) {
      writer.close();
    }
    if (db != null) {
      db.close();
    }
    TestDatabases.release(url);
  }

  static Colors colors(String p, String s, String f) {
    return new Colors(Optional.ofNullable(p), Optional.ofNullable(s), Optional.ofNullable(f));
  }

  static ThemeImage.Uploaded upload(String key, ImageFormat f) {
    return new ThemeImage.Uploaded(key, "ab".repeat(32), f, 12345, 400, 100);
  }

  private void meeting(long id) {
    new SqlMeetingStore(db.jdbi(), writer)
        .insert(
            new Meeting(
                id,
                1,
                "/room-" + id,
                NOW,
                NOW.plusSeconds(3600),
                Meeting.RoomMode.NORMAL,
                false,
                Optional.empty(),
                "{}"));
  }

  @Test
  void colorsAreStoredReplacedAndDeletedPerOwner() {
    Owner room = Owner.room(7);
    Owner org = Owner.organization(7);
    assertThat(store.colors(room)).isEmpty();

    store.putColors(room, colors("#111111", null, "#333333"), NOW);
    store.putColors(org, colors("#aaaaaa", "#bbbbbb", "#cccccc"), NOW);

    assertThat(store.colors(room)).contains(colors("#111111", null, "#333333"));
    assertThat(store.colors(org))
        .as("a room and an organization of the same id are distinct")
        .contains(colors("#aaaaaa", "#bbbbbb", "#cccccc"));
    store.putColors(room, colors(null, "#222222", null), NOW.plusSeconds(1));
    assertThat(store.colors(room)).contains(colors(null, "#222222", null));
    assertThat(store.deleteColors(room)).isTrue();
    assertThat(store.deleteColors(room)).isFalse();
    assertThat(store.colors(room)).isEmpty();
    assertThat(store.colors(org)).isPresent();
  }

  @Test
  void emptyColorsAreStillARowThatMeansCustom() {
    Owner room = Owner.room(8);

    store.putColors(room, Colors.NONE, NOW);

    assertThat(store.colors(room)).contains(Colors.NONE);
    assertThat(store.hasAny(room)).isTrue();
  }

  @Test
  void imagesAreStoredPerSlotAndReplacedWithEveryField() {
    Owner room = Owner.room(9);
    ThemeImage.Uploaded logo = upload("themes/room/9/logo-0123456789abcdef.png", ImageFormat.PNG);
    ThemeImage.BuiltIn rocks = new ThemeImage.BuiltIn(Palette.GREY, BackgroundTheme.ROCKS);
    ThemeImage.Uploaded knock = upload("themes/room/9/knock.webp", ImageFormat.WEBP);

    store.putImage(room, ImageSlot.LOGO, logo, NOW);
    store.putImage(room, ImageSlot.ROOM_BACKGROUND, rocks, NOW);
    store.putImage(room, ImageSlot.KNOCK_PAGE_BACKGROUND, knock, NOW);

    assertThat(store.image(room, ImageSlot.LOGO)).contains(logo);
    assertThat(store.images(room))
        .isEqualTo(
            Map.of(
                ImageSlot.LOGO, logo,
                ImageSlot.ROOM_BACKGROUND, rocks,
                ImageSlot.KNOCK_PAGE_BACKGROUND, knock));
    ThemeImage.Uploaded jpeg = upload("themes/room/9/room-background-x.jpg", ImageFormat.JPEG);
    store.putImage(room, ImageSlot.ROOM_BACKGROUND, jpeg, NOW);
    assertThat(store.image(room, ImageSlot.ROOM_BACKGROUND)).contains(jpeg);
    store.putImage(room, ImageSlot.LOGO, rocks, NOW);
    assertThat(store.image(room, ImageSlot.LOGO)).contains(rocks);
    assertThat(store.images(Owner.room(10))).isEmpty();
  }

  @Test
  void deletingAnImageReturnsWhatWasThere() {
    Owner org = Owner.organization(1);
    ThemeImage.Uploaded logo = upload("themes/organization/1/logo.png", ImageFormat.PNG);
    store.putImage(org, ImageSlot.LOGO, logo, NOW);

    assertThat(store.deleteImage(org, ImageSlot.LOGO)).contains(logo);
    assertThat(store.deleteImage(org, ImageSlot.LOGO)).isEmpty();
    assertThat(store.image(org, ImageSlot.LOGO)).isEmpty();
  }

  @Test
  void deletingAllOfAnOwnerReturnsItsImagesAndLeavesOthersAlone() {
    Owner room = Owner.room(11);
    Owner other = Owner.room(12);
    ThemeImage.Uploaded logo = upload("themes/room/11/logo.png", ImageFormat.PNG);
    ThemeImage.BuiltIn bg = new ThemeImage.BuiltIn(Palette.PURPLE, BackgroundTheme.MOUNTAINS);
    store.putColors(room, colors("#010101", null, null), NOW);
    store.putImage(room, ImageSlot.LOGO, logo, NOW);
    store.putImage(room, ImageSlot.ROOM_BACKGROUND, bg, NOW);
    store.putColors(other, colors("#020202", null, null), NOW);

    assertThat(store.deleteAll(room)).containsExactlyInAnyOrder(logo, bg);

    assertThat(store.hasAny(room)).isFalse();
    assertThat(store.colors(room)).isEmpty();
    assertThat(store.images(room)).isEmpty();
    assertThat(store.hasAny(other)).isTrue();
    assertThat(store.deleteAll(room)).isEmpty();
  }

  @Test
  void orphanedRoomsAreThoseWithAThemeAndNoMeetingNeverOrganizations() {
    meeting(100);
    store.putColors(Owner.room(100), Colors.NONE, NOW);
    store.putColors(Owner.room(200), Colors.NONE, NOW);
    store.putImage(
        Owner.room(200), ImageSlot.LOGO, upload("themes/room/200/l.png", ImageFormat.PNG), NOW);
    store.putImage(
        Owner.room(300), ImageSlot.LOGO, upload("themes/room/300/l.png", ImageFormat.PNG), NOW);
    store.putColors(Owner.organization(400), Colors.NONE, NOW);

    assertThat(store.orphanedRooms(10)).containsExactly(200L, 300L);
    assertThat(store.orphanedRooms(1)).containsExactly(200L);
  }
}
