package dev.parlor.themes;

import static dev.parlor.themes.ThemeFixture.fetch;
import static dev.parlor.themes.ThemeFixture.meetingIdOf;
import static dev.parlor.themes.ThemeFixture.putJson;
import static dev.parlor.themes.ThemeFixture.putTokens;
import static dev.parlor.themes.ThemeFixture.room;
import static dev.parlor.themes.ThemeFixture.theme;
import static dev.parlor.themes.ThemeFixture.upload;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parlor.testing.ApiClient;
import dev.parlor.testing.MutableClock;
import dev.parlor.testing.S3TestServer;
import dev.parlor.testing.TestImages;
import dev.parlor.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** A room's theme and images go with its meeting: deleted, or expired and swept; on both stores. */
class ThemeCleanupTest {
  static S3TestServer s3;

  @BeforeAll
  static void startS3() {
    s3 = S3TestServer.start();
  }

  @AfterAll
  static void stopS3() {
    s3.close();
  }

  abstract static class Contract {
    static final Duration GRACE = Duration.ofSeconds(2);

    MutableClock clock;
    TestServer server;
    ApiClient api;
    String key;

    /** Extra PARLOR_* variables: which blob store. */
    abstract Map<String, String> blobEnv();

    /** How many blobs the room's meeting has in the store. */
    abstract long blobsOf(String meetingId) throws IOException;

    @BeforeEach
    void start() {
      clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
      Map<String, String> env = new HashMap<>(blobEnv());
      env.put("PARLOR_MEETING_GRACE", "PT2S");
      env.put("PARLOR_SWEEP_INTERVAL", "PT1H");
      server = TestServer.start(env, clock);
      api = server.client();
      key = server.newOrganization("unlimited");
    }

    @AfterEach
    void stop() {
      server.close();
    }

    long rows(String table, String meetingId) {
      return server
          .app()
          .database()
          .jdbi()
          .withHandle(
              h ->
                  h.createQuery(
                          "SELECT COUNT(*) FROM "
                              + table
                              + " WHERE owner_kind = 'room' AND owner_id = :id")
                      .bind("id", Long.parseLong(meetingId))
                      .mapTo(Long.class)
                      .one());
    }

    /** A room with colors, a logo and both backgrounds uploaded; returns its room name. */
    String themedRoom(Instant endDate) {
      String room = room(server, key, endDate);
      assertThat(
              putTokens(
                      api,
                      key,
                      room,
                      "{\"tokensPreset\":\"custom\",\"tokens\":{\"colors\":{\"primary\":\"#123456\"}}}")
                  .status())
          .isEqualTo(204);
      assertThat(upload(api, key, room, "logo", "image/png", TestImages.png(80, 20)).status())
          .isEqualTo(204);
      assertThat(
              upload(api, key, room, "room-background", "image/jpeg", TestImages.jpeg(160, 90))
                  .status())
          .isEqualTo(204);
      assertThat(
              upload(
                      api,
                      key,
                      room,
                      "room-knock-page-background",
                      "image/webp",
                      TestImages.lossyWebp())
                  .status())
          .isEqualTo(204);
      return room;
    }

    @Test
    void deletingTheMeetingDeletesItsThemeRowsAndEveryImageBlob() throws IOException {
      String room = themedRoom(clock.instant().plusSeconds(3600));
      String id = meetingIdOf(server, key, room);
      JsonNode before = theme(api, room);
      assertThat(blobsOf(id)).isEqualTo(3);
      assertThat(rows("theme_images", id)).isEqualTo(3);
      assertThat(rows("theme_colors", id)).isEqualTo(1);

      assertThat(api.delete("/v1/meetings/" + id, key).status()).isEqualTo(204);

      assertThat(blobsOf(id)).isZero();
      assertThat(rows("theme_images", id)).isZero();
      assertThat(rows("theme_colors", id)).isZero();
      assertThat(api.get("/rooms/" + room.substring(1) + "/theme.json", null).status())
          .isEqualTo(404);
      assertThat(fetch(api, before.get("logo")).status()).isEqualTo(404);
    }

    @Test
    void anExpiredRoomsThemeIsGoneAtOnceAndItsImagesAreDeletedByTheSweep() throws IOException {
      Instant end = clock.instant().plusSeconds(30);
      String room = themedRoom(end);
      String id = meetingIdOf(server, key, room);
      JsonNode before = theme(api, room);

      clock.advance(Duration.between(clock.instant(), end.plus(GRACE)));

      assertThat(api.get("/rooms/" + room.substring(1) + "/theme.json", null).status())
          .isEqualTo(404);
      assertThat(fetch(api, before.get("logo")).status()).isEqualTo(404);
      assertThat(putJson(api, key, room, "logo", "{}").status()).isEqualTo(404);
      assertThat(blobsOf(id)).as("not swept yet").isEqualTo(3);

      assertThat(server.app().sweeper().sweepAll()).isEqualTo(1);

      assertThat(blobsOf(id)).isZero();
      assertThat(rows("theme_images", id)).isZero();
      assertThat(rows("theme_colors", id)).isZero();
    }

    @Test
    void aThemeLeftBehindByAMeetingThatIsGoneIsRemovedByTheOrphanSweep() throws IOException {
      String id = "987654321";
      ThemeService themes = server.app().themes();
      server
          .app()
          .blobs()
          .put(
              "themes/room/" + id + "/logo-0000000000000000.png",
              new ByteArrayInputStream(TestImages.png(5, 5)),
              1000,
              "image/png");
      server
          .app()
          .database()
          .jdbi()
          .useHandle(
              h ->
                  h.execute(
                      "INSERT INTO theme_colors (owner_kind, owner_id, primary_color, updated_at)"
                          + " VALUES ('room', ?, '#000000', 0)",
                      Long.parseLong(id)));
      String live = themedRoom(clock.instant().plusSeconds(3600));
      String liveId = meetingIdOf(server, key, live);

      // The sweep that runs on every start may be the one that finds it: either way it goes.
      assertThat(themes.removeOrphans()).isBetween(0, 1);

      assertThat(rows("theme_colors", id)).isZero();
      assertThat(blobsOf(id)).isZero();
      assertThat(blobsOf(liveId)).as("a live room keeps its images").isEqualTo(3);
      assertThat(rows("theme_images", liveId)).isEqualTo(3);
    }

    @Test
    void anotherRoomsThemeIsUntouchedByADelete() throws IOException {
      String a = themedRoom(clock.instant().plusSeconds(3600));
      String b = themedRoom(clock.instant().plusSeconds(3600));
      String idB = meetingIdOf(server, key, b);

      api.delete("/v1/meetings/" + meetingIdOf(server, key, a), key);

      assertThat(blobsOf(idB)).isEqualTo(3);
      assertThat(fetch(api, theme(api, b).get("logo")).status()).isEqualTo(200);
    }
  }

  @Nested
  class OnTheFileSystem extends Contract {
    @Override
    Map<String, String> blobEnv() {
      return Map.of();
    }

    @Override
    long blobsOf(String meetingId) throws IOException {
      Path dir = server.dataDir().resolve("blobs/data/themes/room/" + meetingId);
      if (!Files.isDirectory(dir)) {
        return 0;
      }
      try (Stream<Path> files = Files.walk(dir)) {
        return files.filter(Files::isRegularFile).count();
      }
    }

    @Test
    void blobsAndUploadTemporaryFilesLiveInTheDataDirectory() throws IOException {
      String room = themedRoom(clock.instant().plusSeconds(3600));
      assertThat(blobsOf(meetingIdOf(server, key, room))).isEqualTo(3);
      try (Stream<Path> tmp = Files.list(server.dataDir().resolve("tmp/uploads"))) {
        assertThat(tmp.toList()).as("no upload left behind").isEmpty();
      }
      assertThat(List.of(server.dataDir().resolve("blobs/data"))).allMatch(Files::isDirectory);
    }
  }

  @Nested
  class OnS3 extends Contract {
    String bucket;

    @Override
    Map<String, String> blobEnv() {
      bucket = s3.newBucket();
      return s3.env(bucket);
    }

    @Override
    long blobsOf(String meetingId) {
      return s3.objectCount(bucket, "themes/room/" + meetingId + "/");
    }
  }
}
