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
import dev.parlor.testing.TestDatabases;
import dev.parlor.testing.TestImages;
import dev.parlor.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A room's whole theme on PostgreSQL: the same behaviour as on the embedded SQLite. */
class ThemesOnPostgresqlTest {
  static String url;
  static TestServer server;
  static ApiClient api;
  static String key;

  @BeforeAll
  static void start() {
    url = TestDatabases.postgresUrl();
    server = TestServer.start(Map.of("PARLOR_DATABASE_URL", url));
    api = server.client();
    key = server.newOrganization("grow");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    TestDatabases.release(url);
  }

  @Test
  void aRoomsColorsImagesAndBackgroundsAreSavedServedAndDeletedWithItsMeeting() {
    String room = room(server, key);
    assertThat(
            putTokens(
                    api,
                    key,
                    room,
                    "{\"tokensPreset\":\"custom\",\"tokens\":{\"colors\":{\"focus\":\"#ABCDEF\"}}}")
                .status())
        .isEqualTo(204);
    assertThat(upload(api, key, room, "logo", "image/png", TestImages.png(64, 64)).status())
        .isEqualTo(204);
    assertThat(upload(api, key, room, "logo", "image/jpeg", TestImages.jpeg(64, 64)).status())
        .isEqualTo(204);
    assertThat(
            putJson(api, key, room, "room-background", "{\"palette\":\"grey\",\"theme\":\"rocks\"}")
                .status())
        .isEqualTo(204);

    JsonNode t = theme(api, room);
    assertThat(t.at("/tokens/colors/focus").asText()).isEqualTo("#abcdef");
    assertThat(t.at("/logo/contentType").asText()).isEqualTo("image/jpeg");
    assertThat(t.at("/roomBackground/theme").asText()).isEqualTo("rocks");
    assertThat(fetch(api, t.get("logo")).status()).isEqualTo(200);

    String id = meetingIdOf(server, key, room);
    api.delete("/v1/meetings/" + id, key);

    assertThat(fetch(api, t.get("logo")).status()).isEqualTo(404);
    assertThat(server.app().blobs().deleteByPrefix("themes/room/" + id + "/")).isZero();
  }
}
