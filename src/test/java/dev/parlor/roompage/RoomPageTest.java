package dev.parlor.roompage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parlor.testing.ApiClient;
import dev.parlor.testing.ApiClient.Response;
import dev.parlor.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The room page over HTTP: served for live rooms, a 404 page otherwise, and its assets. */
class RoomPageTest {
  static TestServer server;
  static TestServer restricted;
  static ApiClient api;
  static String key;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = server.client();
    key = server.newOrganization("unlimited");
    restricted =
        TestServer.start(
            Map.of("PARLOR_EMBED_ORIGINS", "https://app.example.com, http://localhost:3000"));
  }

  @AfterAll
  static void stop() {
    server.close();
    restricted.close();
  }

  static String roomName(TestServer s, String k) {
    Response r = s.client().post("/v1/meetings", k, ApiClient.meetingBody());
    assertThat(r.status()).isEqualTo(201);
    return r.json().get("roomName").asText();
  }

  static Response browserGet(TestServer s, String path) {
    return s.client().send("GET", path, null, null, "Accept", "text/html,application/xhtml+xml");
  }

  @Test
  void aLiveRoomServesTheRoomPageEmbeddableFromAnyOriginByDefault() {
    String room = roomName(server, key);
    Response r = browserGet(server, room);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type").orElse("")).startsWith("text/html");
    assertThat(r.header("Content-Security-Policy")).hasValue("frame-ancestors *");
    assertThat(r.body()).contains("/_parlor/room.js").contains("\"roomName\":\"" + room + "\"");
    assertThat(r.body()).doesNotContain("{{CONFIG}}");
    // also for API clients and with query parameters
    assertThat(api.get(room + "?roomKey=abc&displayName=Ada", null).status()).isEqualTo(200);
  }

  @Test
  void embedOriginsBecomeFrameAncestors() {
    String k = restricted.newOrganization("unlimited");
    Response r = browserGet(restricted, roomName(restricted, k));
    assertThat(r.header("Content-Security-Policy"))
        .hasValue("frame-ancestors 'self' https://app.example.com http://localhost:3000");
    assertThat(r.body()).contains("https://app.example.com");
  }

  @Test
  void anUnknownOrDeletedRoomIsA404PageForBrowsersAndJsonForApiClients() {
    Response unknown = browserGet(server, "/no-such-room-here");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.header("Content-Type").orElse("")).startsWith("text/html");
    assertThat(unknown.body()).contains("Room not found or ended");

    Response json = api.get("/no-such-room-here", null);
    assertThat(json.status()).isEqualTo(404);
    assertThat(json.json().get("error").asText()).isEqualTo("The requested resource doesn't exist");

    Response created = api.post("/v1/meetings", key, ApiClient.meetingBody());
    String room = created.json().get("roomName").asText();
    assertThat(api.delete("/v1/meetings/" + created.json().get("meetingId").asText(), key).status())
        .isEqualTo(204);
    Response gone = browserGet(server, room);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.body()).contains("Room not found or ended");
  }

  @Test
  void theApiAndOperationalRoutesAreUntouched() {
    assertThat(api.get("/healthz", null).status()).isEqualTo(200);
    assertThat(browserGet(server, "/v1").status()).isEqualTo(401);
    assertThat(api.get("/v1", key).json().get("error").asText())
        .isEqualTo("The requested resource doesn't exist");
  }

  @Test
  void theAssetsAreServed() {
    for (String a : new String[] {"room.js", "room.css", "embed.js"}) {
      Response r = api.get("/_parlor/" + a, null);
      assertThat(r.status()).as(a).isEqualTo(200);
      assertThat(r.body()).as(a).isNotBlank();
    }
    assertThat(api.get("/_parlor/embed.js", null).body()).contains("parlor-embed");
  }
}
