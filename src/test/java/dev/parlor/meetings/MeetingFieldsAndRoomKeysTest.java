package dev.parlor.meetings;

import static dev.parlor.testing.ApiAssertions.fieldNames;
import static dev.parlor.testing.ApiAssertions.jwtHeader;
import static dev.parlor.testing.ApiAssertions.jwtPayload;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parlor.http.Json;
import dev.parlor.rooms.RoomKeys;
import dev.parlor.testing.ApiClient;
import dev.parlor.testing.ApiClient.Response;
import dev.parlor.testing.MutableClock;
import dev.parlor.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code fields}, the extra URLs and the room keys inside them. */
class MeetingFieldsAndRoomKeysTest {
  static final String SECRET = "test-secret-0123456789abcdefghijklmnopqrstuvwxyz";

  static TestServer server;
  static ApiClient api;
  static String key;
  static Instant endDate;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("PARLOR_SECRET", SECRET));
    api = server.client();
    key = server.newOrganization("unlimited");
    endDate = Instant.now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonNode create(String... members) {
    StringBuilder sb = new StringBuilder("{\"endDate\":\"" + endDate + "\"");
    for (String m : members) {
      sb.append(',').append(m);
    }
    Response r = api.post("/v1/meetings", key, sb.append('}').toString());
    assertThat(r.status()).as("create %s", r).isEqualTo(201);
    return r.json();
  }

  static String roomKey(String url, String roomUrl) {
    assertThat(url).startsWith(roomUrl + "?roomKey=");
    return url.substring((roomUrl + "?roomKey=").length());
  }

  static JsonNode listedWith(String query, String id) {
    String cursor = null;
    do {
      Response r =
          api.get(
              "/v1/meetings?limit=100&" + query + (cursor == null ? "" : "&cursor=" + cursor), key);
      assertThat(r.status()).as("list %s", r).isEqualTo(200);
      for (JsonNode m : r.json().get("results")) {
        if (m.get("meetingId").asText().equals(id)) {
          return m;
        }
      }
      cursor = r.json().get("cursor").isNull() ? null : r.json().get("cursor").asText();
    } while (cursor != null);
    throw new AssertionError("meeting " + id + " not listed");
  }

  @Test
  void noExtraUrlIsReturnedUnlessAskedFor() {
    JsonNode m = create();
    String id = m.get("meetingId").asText();

    assertThat(fieldNames(m)).doesNotContain("hostRoomUrl", "viewerRoomUrl");
    assertThat(fieldNames(api.get("/v1/meetings/" + id, key).json()))
        .doesNotContain("hostRoomUrl", "viewerRoomUrl");
    assertThat(fieldNames(listedWith("", id))).doesNotContain("hostRoomUrl", "viewerRoomUrl");
  }

  @Test
  void fieldsInPostAddOnlyTheUrlsAskedFor() {
    JsonNode host = create("\"fields\":[\"hostRoomUrl\"]");
    JsonNode viewer = create("\"fields\":[\"viewerRoomUrl\"]");
    JsonNode both = create("\"fields\":[\"viewerRoomUrl\",\"hostRoomUrl\"]");

    assertThat(fieldNames(host))
        .containsExactly("startDate", "endDate", "roomName", "roomUrl", "meetingId", "hostRoomUrl");
    assertThat(fieldNames(viewer))
        .containsExactly(
            "startDate", "endDate", "roomName", "roomUrl", "meetingId", "viewerRoomUrl");
    assertThat(fieldNames(both))
        .containsExactly(
            "startDate",
            "endDate",
            "roomName",
            "roomUrl",
            "meetingId",
            "hostRoomUrl",
            "viewerRoomUrl");
    assertThat(both.get("hostRoomUrl").isTextual()).isTrue();
    assertThat(both.get("viewerRoomUrl").isTextual()).isTrue();
  }

  @Test
  void fieldsAskedForInPostAreNotRememberedForLaterReads() {
    JsonNode m = create("\"fields\":[\"hostRoomUrl\",\"viewerRoomUrl\"]");

    JsonNode read = api.get("/v1/meetings/" + m.get("meetingId").asText(), key).json();

    assertThat(fieldNames(read)).doesNotContain("hostRoomUrl", "viewerRoomUrl");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "fields=hostRoomUrl,viewerRoomUrl|true|true",
        "fields=viewerRoomUrl,hostRoomUrl|true|true",
        "fields=hostRoomUrl%2CviewerRoomUrl|true|true",
        "fields=hostRoomUrl%2cviewerRoomUrl|true|true",
        "fields=hostRoomUrl&fields=viewerRoomUrl|true|true",
        "fields=hostRoomUrl|true|false",
        "fields=viewerRoomUrl|false|true",
        "fields=hostRoomUrl,|true|false",
        "fields=|false|false",
        "fields|false|false",
        "fields=&fields=viewerRoomUrl|false|true"
      })
  void fieldsInGetAcceptEveryCommaSeparatedSpelling(String query, boolean host, boolean viewer) {
    JsonNode m = create();
    String id = m.get("meetingId").asText();

    Response one = api.get("/v1/meetings/" + id + "?" + query, key);
    JsonNode listed = listedWith(query, id);

    assertThat(one.status()).as("%s", one).isEqualTo(200);
    for (JsonNode r : new JsonNode[] {one.json(), listed}) {
      assertThat(r.has("hostRoomUrl")).as("hostRoomUrl in %s", r).isEqualTo(host);
      assertThat(r.has("viewerRoomUrl")).as("viewerRoomUrl in %s", r).isEqualTo(viewer);
      r.properties().forEach(e -> assertThat(e.getValue().isNull()).as(e.getKey()).isFalse());
    }
  }

  @Test
  void extraUrlsAreTheRoomUrlWithASignedRoomKey() {
    JsonNode m = create("\"fields\":[\"hostRoomUrl\",\"viewerRoomUrl\"]");
    String roomUrl = m.get("roomUrl").asText();

    String hostKey = roomKey(m.get("hostRoomUrl").asText(), roomUrl);
    String viewerKey = roomKey(m.get("viewerRoomUrl").asText(), roomUrl);

    assertThat(hostKey).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    assertThat(hostKey).isNotEqualTo(viewerKey);
    assertThat(jwtHeader(hostKey).get("alg").asText()).isEqualTo("HS256");
    assertThat(jwtHeader(viewerKey).get("alg").asText()).isEqualTo("HS256");
  }

  @Test
  void aRoomKeyNamesItsRoomItsRoleAndExpiresAtTheEndOfTheMeetingsLife() {
    JsonNode m = create("\"fields\":[\"hostRoomUrl\",\"viewerRoomUrl\"]");
    String roomUrl = m.get("roomUrl").asText();
    long expectedExp = endDate.plus(Duration.ofHours(1)).getEpochSecond();

    JsonNode host = jwtPayload(roomKey(m.get("hostRoomUrl").asText(), roomUrl));
    JsonNode viewer = jwtPayload(roomKey(m.get("viewerRoomUrl").asText(), roomUrl));

    assertThat(host.get("sub").asText()).isEqualTo(m.get("roomName").asText());
    assertThat(host.get("role").asText()).isEqualTo("host");
    assertThat(host.get("exp").asLong()).isEqualTo(expectedExp);
    assertThat(host.get("meetingId").asText()).isEqualTo(m.get("meetingId").asText());
    assertThat(viewer.get("sub").asText()).isEqualTo(m.get("roomName").asText());
    assertThat(viewer.get("role").asText()).isEqualTo("viewer");
    assertThat(viewer.get("exp").asLong()).isEqualTo(expectedExp);
  }

  @Test
  void theExtraUrlsAreTheSameOnEveryRead() {
    JsonNode m = create("\"fields\":[\"hostRoomUrl\",\"viewerRoomUrl\"]");
    String id = m.get("meetingId").asText();

    JsonNode read = api.get("/v1/meetings/" + id + "?fields=hostRoomUrl,viewerRoomUrl", key).json();

    assertThat(read.get("hostRoomUrl").asText()).isEqualTo(m.get("hostRoomUrl").asText());
    assertThat(read.get("viewerRoomUrl").asText()).isEqualTo(m.get("viewerRoomUrl").asText());
  }

  @Test
  void aRoomKeyVerifiesForItsOwnRoomOnlyAndCannotBeExtended() {
    JsonNode a = create("\"fields\":[\"hostRoomUrl\",\"viewerRoomUrl\"]");
    JsonNode b = create();
    String roomA = a.get("roomName").asText();
    String roomB = b.get("roomName").asText();
    String hostKey = roomKey(a.get("hostRoomUrl").asText(), a.get("roomUrl").asText());
    String viewerKey = roomKey(a.get("viewerRoomUrl").asText(), a.get("roomUrl").asText());
    MutableClock clock = MutableClock.startingNow();
    RoomKeys keys = new RoomKeys(SECRET.getBytes(StandardCharsets.UTF_8), clock);

    assertThat(keys.verify(hostKey, roomA))
        .hasValueSatisfying(
            g -> {
              assertThat(g.role()).isEqualTo(RoomKeys.Role.HOST);
              assertThat(g.roomName()).isEqualTo(roomA);
              assertThat(g.meetingId()).isEqualTo(a.get("meetingId").asText());
            });
    assertThat(keys.verify(viewerKey, roomA))
        .hasValueSatisfying(g -> assertThat(g.role()).isEqualTo(RoomKeys.Role.VIEWER));
    assertThat(keys.verify(hostKey, roomB)).isEmpty();
    assertThat(keys.verify(withPayload(hostKey, "sub", roomB), roomB)).isEmpty();
    assertThat(keys.verify(withPayload(viewerKey, "role", "host"), roomA)).isEmpty();
    long later = endDate.plus(Duration.ofDays(30)).getEpochSecond();
    assertThat(keys.verify(withPayload(hostKey, "exp", later), roomA)).isEmpty();
    assertThat(
            new RoomKeys(
                    "another-secret-0123456789abcdefghijkl".getBytes(StandardCharsets.UTF_8), clock)
                .verify(hostKey, roomA))
        .isEmpty();

    clock.advance(Duration.between(clock.instant(), endDate.plus(Duration.ofHours(1))));
    clock.advance(Duration.ofSeconds(1));
    assertThat(keys.verify(hostKey, roomA)).isEmpty();
  }

  /** The same token with one payload claim changed and the original signature kept. */
  static String withPayload(String jwt, String claim, Object value) {
    String[] parts = jwt.split("\\.");
    ObjectNode payload = (ObjectNode) jwtPayload(jwt);
    payload.set(claim, Json.MAPPER.valueToTree(value));
    String encoded =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8));
    return parts[0] + "." + encoded + "." + parts[2];
  }
}
