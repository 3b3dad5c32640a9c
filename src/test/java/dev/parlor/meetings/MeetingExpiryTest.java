package dev.parlor.meetings;

import static dev.parlor.testing.ApiAssertions.assertError;
import static dev.parlor.testing.ApiAssertions.jwtPayload;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parlor.testing.ApiClient.Response;
import dev.parlor.testing.MutableClock;
import dev.parlor.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A meeting lives until endDate + PARLOR_MEETING_GRACE; then it is gone at once and swept. */
class MeetingExpiryTest {
  static final Duration GRACE = Duration.ofSeconds(2);

  static MutableClock clock;
  static TestServer server;
  static String key;

  @BeforeAll
  static void start() {
    clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    // The background sweep is kept out of the way here; one test below runs it on its own server.
    server =
        TestServer.start(
            Map.of("PARLOR_MEETING_GRACE", "2", "PARLOR_SWEEP_INTERVAL", "PT1H"), clock);
    key = server.newOrganization("unlimited");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonNode create(TestServer s, String k, Instant endDate) {
    Response r =
        s.client()
            .post(
                "/v1/meetings",
                k,
                "{\"endDate\":\"" + endDate + "\",\"fields\":[\"hostRoomUrl\",\"viewerRoomUrl\"]}");
    assertThat(r.status()).as("create %s", r).isEqualTo(201);
    return r.json();
  }

  static void advanceTo(MutableClock c, Instant t) {
    c.advance(Duration.between(c.instant(), t));
  }

  static long rowsWithRoomName(TestServer s, String roomName) {
    return s.app()
        .database()
        .jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT COUNT(*) FROM meetings WHERE room_name = :name")
                    .bind("name", roomName)
                    .mapTo(Long.class)
                    .one());
  }

  static List<String> listedIds(TestServer s, String k) {
    List<String> ids = new ArrayList<>();
    s.client()
        .get("/v1/meetings?limit=100", k)
        .json()
        .get("results")
        .forEach(m -> ids.add(m.get("meetingId").asText()));
    return ids;
  }

  @Test
  void aMeetingIsLiveUntilItsEndDatePlusGraceAndGoneFromThatInstant() {
    Instant endDate = clock.instant().plusSeconds(10);
    JsonNode m = create(server, key, endDate);
    String id = m.get("meetingId").asText();

    advanceTo(clock, endDate);
    assertThat(server.client().get("/v1/meetings/" + id, key).status()).isEqualTo(200);
    advanceTo(clock, endDate.plus(GRACE).minusMillis(1));
    assertThat(server.client().get("/v1/meetings/" + id, key).status()).isEqualTo(200);
    assertThat(listedIds(server, key)).contains(id);

    advanceTo(clock, endDate.plus(GRACE));

    assertError(
        server.client().get("/v1/meetings/" + id, key),
        404,
        "The requested resource doesn't exist");
    assertThat(listedIds(server, key)).doesNotContain(id);
    assertThat(server.client().delete("/v1/meetings/" + id, key).status()).isEqualTo(204);
  }

  @Test
  void anExpiredMeetingIsUnlistedBeforeAnySweepRemovesIt() {
    Instant endDate = clock.instant().plusSeconds(5);
    JsonNode m = create(server, key, endDate);
    String id = m.get("meetingId").asText();

    advanceTo(clock, endDate.plus(GRACE).plusSeconds(1));

    assertThat(server.client().get("/v1/meetings/" + id, key).status()).isEqualTo(404);
    assertThat(listedIds(server, key)).doesNotContain(id);
    assertThat(rowsWithRoomName(server, m.get("roomName").asText()))
        .as("not swept yet: reads did not wait for cleanup")
        .isEqualTo(1);
  }

  @Test
  void roomKeysExpireAtTheEndDatePlusTheConfiguredGrace() {
    Instant endDate = clock.instant().plusSeconds(30);
    JsonNode m = create(server, key, endDate);
    String roomUrl = m.get("roomUrl").asText();

    for (String field : new String[] {"hostRoomUrl", "viewerRoomUrl"}) {
      String roomKey = m.get(field).asText().substring((roomUrl + "?roomKey=").length());
      assertThat(jwtPayload(roomKey).get("exp").asLong())
          .isEqualTo(endDate.plus(GRACE).getEpochSecond());
    }
  }

  @Test
  void theSweepDeletesOnlyExpiredMeetingsAndFreesTheirRoomNames() {
    Instant soon = clock.instant().plusSeconds(3);
    JsonNode expiring = create(server, key, soon);
    JsonNode lasting = create(server, key, soon.plus(Duration.ofHours(1)));
    String expiringRoom = expiring.get("roomName").asText();

    advanceTo(clock, soon.plus(GRACE).plusMillis(1));
    int swept = server.app().sweeper().sweepAll();

    assertThat(swept).isGreaterThanOrEqualTo(1);
    assertThat(rowsWithRoomName(server, expiringRoom)).isZero();
    assertThat(rowsWithRoomName(server, lasting.get("roomName").asText())).isEqualTo(1);
    assertThat(
            server.client().get("/v1/meetings/" + lasting.get("meetingId").asText(), key).status())
        .isEqualTo(200);
    assertThat(server.app().sweeper().sweepAll()).isZero();
  }

  @Test
  void deletingAMeetingFreesItsRoomName() {
    JsonNode m = create(server, key, clock.instant().plusSeconds(60));
    String room = m.get("roomName").asText();
    assertThat(rowsWithRoomName(server, room)).isEqualTo(1);

    assertThat(server.client().delete("/v1/meetings/" + m.get("meetingId").asText(), key).status())
        .isEqualTo(204);

    assertThat(rowsWithRoomName(server, room)).isZero();
  }

  @Test
  void theBackgroundSweepRemovesExpiredMeetingsByItself() throws InterruptedException {
    MutableClock own = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    try (TestServer s =
        TestServer.start(
            Map.of("PARLOR_MEETING_GRACE", "PT2S", "PARLOR_SWEEP_INTERVAL", "0.1"), own)) {
      String k = s.newOrganization("unlimited");
      Instant endDate = own.instant().plusSeconds(5);
      JsonNode m = create(s, k, endDate);
      String room = m.get("roomName").asText();
      Thread.sleep(300);
      assertThat(rowsWithRoomName(s, room)).as("a live meeting is not swept").isEqualTo(1);

      advanceTo(own, endDate.plus(GRACE).plusSeconds(1));

      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (rowsWithRoomName(s, room) > 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(rowsWithRoomName(s, room)).isZero();
      assertThat(s.client().get("/v1/meetings/" + m.get("meetingId").asText(), k).status())
          .isEqualTo(404);
    }
  }
}
