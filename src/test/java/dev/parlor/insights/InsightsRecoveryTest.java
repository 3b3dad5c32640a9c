package dev.parlor.insights;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parlor.testing.ApiClient;
import dev.parlor.testing.MutableClock;
import dev.parlor.testing.TestDatabases;
import dev.parlor.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A restart loses the live connections (the room server runs in the process): the sessions the
 * previous process left running are ended on start, each connection closed when it was last seen.
 */
class InsightsRecoveryTest {
  static final Instant T0 = Instant.parse("2030-06-01T12:00:00Z");
  MutableClock clock = new MutableClock(T0);
  String url;
  Map<String, String> env;

  @BeforeEach
  void database() {
    url = TestDatabases.sqliteUrl();
    env =
        Map.of(
            "PARLOR_DATABASE_URL", url, "PARLOR_SECRET", "0123456789abcdef0123456789abcdef-secret");
  }

  @AfterEach
  void release() {
    TestDatabases.release(url);
  }

  private static void join(RoomActivity a, String room, String conn, String who, Instant at) {
    a.participantConnected(
        new RoomActivity.Join(room, conn, who, "d-" + who, Role.VISITOR, who, null, null, at));
  }

  private static void samples(RoomActivity a, String conn, Instant from, Instant to) {
    for (Instant t = from; !t.isAfter(to); t = t.plusSeconds(2)) {
      a.networkSample(conn, t, 0, 0, 1000, 1000);
    }
  }

  private static JsonNode get(TestServer s, String key, String path) {
    ApiClient.Response r = s.client().get(path, key);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void aSessionRunningWhenTheProcessStoppedIsEndedOnStartByItsConnectionsLastSamples() {
    String key;
    String room;
    try (TestServer first = TestServer.start(env, clock)) {
      key = first.newOrganization("unlimited");
      room =
          first
              .client()
              .post("/v1/meetings", key, "{\"endDate\":\"2030-06-02T00:00:00Z\"}")
              .json()
              .get("roomName")
              .asText();
      RoomActivity a = first.app().roomActivity();
      join(a, room, "a1", "alice", T0);
      join(a, room, "b1", "bob", T0);
      join(a, room, "c1", "carol", T0.plusSeconds(10));
      samples(a, "a1", T0.plusSeconds(2), T0.plus(Duration.ofMinutes(5)));
      samples(a, "b1", T0.plusSeconds(2), T0.plus(Duration.ofMinutes(3)));
      // carol sends nothing: she is taken to have left when she joined.
      clock.advance(Duration.ofMinutes(5));
      a.flush();
    }
    clock.advance(Duration.ofMinutes(30));
    try (TestServer second = TestServer.start(env, clock)) {
      JsonNode s =
          get(second, key, "/v1/insights/room-sessions?roomName=" + enc(room)).at("/results/0");
      // carol "left" at 0:10, bob at 3:00 (the count drops below two), alice's time ends there.
      assertThat(s.get("endedAt").asText()).isEqualTo("2030-06-01T12:03:00.000Z");
      assertThat(s.get("totalParticipantMinutes").asInt()).isEqualTo(3 + 3 + 0);
      assertThat(s.get("totalUniqueParticipants").asInt()).isEqualTo(3);
      JsonNode people =
          get(
              second,
              key,
              "/v1/insights/participants?roomSessionId=" + s.get("roomSessionId").asText());
      for (JsonNode p : people.get("results")) {
        assertThat(p.get("leftAt").isNull()).as(p.toString()).isFalse();
      }
      JsonNode r =
          get(second, key, "/v1/insights/rooms?roomName%5Bexact%5D=" + enc(room)).at("/results/0");
      assertThat(r.get("totalParticipantMinutes").asInt()).isEqualTo(6);

      // The room carries on with its history: a new session, counted on top.
      RoomActivity a = second.app().roomActivity();
      join(a, room, "a2", "alice", clock.instant());
      join(a, room, "d1", "dave", clock.instant());
      clock.advance(Duration.ofMinutes(1));
      a.participantDisconnected("a2", clock.instant());
      a.participantDisconnected("d1", clock.instant());
      clock.advance(Duration.ofMinutes(2));
      a.tick();
      a.flush();
      JsonNode after =
          get(second, key, "/v1/insights/rooms?roomName%5Bexact%5D=" + enc(room)).at("/results/0");
      assertThat(after.get("totalSessions").asInt()).isEqualTo(2);
      assertThat(after.get("totalUniqueParticipants").asInt())
          .as("alice, bob, carol, dave")
          .isEqualTo(4);
      assertThat(after.get("totalParticipantMinutes").asInt()).isEqualTo(8);
    }
  }

  @Test
  void aSessionInADipWhenTheProcessStoppedEndsWhereTheDipBegan() {
    String key;
    String room;
    try (TestServer first = TestServer.start(env, clock)) {
      key = first.newOrganization("unlimited");
      room =
          first
              .client()
              .post("/v1/meetings", key, "{\"endDate\":\"2030-06-02T00:00:00Z\"}")
              .json()
              .get("roomName")
              .asText();
      RoomActivity a = first.app().roomActivity();
      join(a, room, "a1", "alice", T0);
      join(a, room, "b1", "bob", T0);
      samples(a, "a1", T0, T0.plus(Duration.ofMinutes(4)));
      a.participantDisconnected("b1", T0.plus(Duration.ofMinutes(2)));
      clock.advance(Duration.ofMinutes(4));
      a.flush();
    }
    try (TestServer second = TestServer.start(env, clock)) {
      JsonNode s =
          get(second, key, "/v1/insights/room-sessions?roomName=" + enc(room)).at("/results/0");
      assertThat(s.get("endedAt").asText()).isEqualTo("2030-06-01T12:02:00.000Z");
      assertThat(s.get("totalParticipantMinutes").asInt()).isEqualTo(4);
    }
  }
}
