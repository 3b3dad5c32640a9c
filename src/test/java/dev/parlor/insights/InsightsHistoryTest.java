package dev.parlor.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Insights are history: they outlive the meeting, until the retention has passed. */
class InsightsHistoryTest extends InsightsHttpTest {

  /** A room with one ended session of alice and bob; returns the session id. */
  private String withOneSession(String room) {
    join(room, "a-" + room, "alice");
    join(room, "b-" + room, "bob");
    advance(Duration.ofMinutes(3));
    leave("a-" + room);
    leave("b-" + room);
    advance(Duration.ofMinutes(2));
    settle();
    return onlySession(room).get("roomSessionId").asText();
  }

  private void assertHistoryOf(String room, String session) {
    JsonNode r = room(room);
    assertThat(r.get("totalSessions").asInt()).isEqualTo(1);
    assertThat(r.get("totalParticipantMinutes").asInt()).isEqualTo(6);
    assertThat(onlySession(room).get("roomSessionId").asText()).isEqualTo(session);
    assertThat(participants(session)).hasSize(2);
    assertThat(ok("/v1/insights/participant?roomSessionId=" + session + "&participantId=alice"))
        .hasSize(1);
  }

  private void assertNoHistoryOf(String room, String session) {
    assertThat(ok("/v1/insights/rooms?" + q("roomName[exact]", room)).get("results")).isEmpty();
    assertThat(ok("/v1/insights/room-sessions?" + q("roomName", room)).get("results")).isEmpty();
    assertThat(ok("/v1/insights/participants?roomSessionId=" + session).get("results")).isEmpty();
    assertThat(ok("/v1/insights/participant?roomSessionId=" + session + "&participantId=alice"))
        .isEmpty();
  }

  @Test
  void aNewMeetingsRoomIsListedWithinTheWritersFlushIntervalWithoutAnyActivity()
      throws InterruptedException {
    Created m = createMeeting(key, "", 60);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (ok("/v1/insights/rooms?" + q("roomName[exact]", m.roomName())).get("results").isEmpty()
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(room(m.roomName()).get("totalSessions").asInt()).isZero();
  }

  @Test
  void aRoomsHistorySurvivesTheDeletionOfItsMeeting() {
    Created m = createMeeting(key, "", 60);
    String session = withOneSession(m.roomName());

    assertThat(server.client().delete("/v1/meetings/" + m.meetingId(), key).status())
        .isEqualTo(204);
    assertThat(server.client().get("/v1/meetings/" + m.meetingId(), key).status()).isEqualTo(404);

    assertHistoryOf(m.roomName(), session);
    assertThat(room(m.roomName()).get("endAt").asText())
        .isEqualTo(at(java.time.Instant.parse(m.endDate())));
  }

  @Test
  void aRoomIsListedFromItsCreationAndStillAfterItsMeetingIsDeletedWithoutAnySession() {
    Created m = createMeeting(key, "", 60);
    activity.flush();
    assertThat(room(m.roomName()).get("createdAt").asText())
        .isEqualTo(at(java.time.Instant.parse(m.startDate())));

    server.client().delete("/v1/meetings/" + m.meetingId(), key);
    activity.flush();

    assertThat(room(m.roomName()).get("totalSessions").asInt()).isZero();
  }

  @Test
  void aRoomsHistorySurvivesTheExpiryAndSweepOfItsMeeting() {
    Created m = createMeeting(key, "", 30);
    String session = withOneSession(m.roomName());
    advance(Duration.ofHours(2));

    assertThat(server.app().sweeper().sweepAll()).isEqualTo(1);
    activity.flush();

    assertThat(server.client().get("/v1/meetings/" + m.meetingId(), key).status()).isEqualTo(404);
    assertHistoryOf(m.roomName(), session);
  }

  @Test
  void theRetentionSweepRemovesAHistoryOnlyOnceTheRetentionHasPassedSinceTheMeetingWentAway() {
    Created gone = createMeeting(key, "", 60);
    String goneSession = withOneSession(gone.roomName());
    Created live = createMeeting(key, "", 60 * 24 * 365);
    String liveSession = withOneSession(live.roomName());
    server.client().delete("/v1/meetings/" + gone.meetingId(), key);
    activity.flush();

    advance(Duration.ofDays(90).minusMinutes(1));
    assertThat(server.app().insights().sweep()).isZero();
    assertHistoryOf(gone.roomName(), goneSession);

    advance(Duration.ofMinutes(1));
    assertThat(server.app().insights().sweep()).isEqualTo(1);
    assertNoHistoryOf(gone.roomName(), goneSession);
    assertHistoryOf(live.roomName(), liveSession);
    assertThat(server.app().insights().sweep()).isZero();
  }

  @Test
  void withoutARecordedRemovalTheRetentionCountsFromTheEndDatePlusTheGrace() {
    Created m = createMeeting(key, "", 10);
    String session = withOneSession(m.roomName());
    // No meeting sweep ran: the room only knows its meeting's end date.
    advance(Duration.ofDays(90).plusHours(1).plusMinutes(10).minusMinutes(10));
    assertThat(server.app().insights().sweep()).isZero();
    assertHistoryOf(m.roomName(), session);

    advance(Duration.ofMinutes(10));
    assertThat(server.app().insights().sweep()).isEqualTo(1);
    assertNoHistoryOf(m.roomName(), session);
  }

  @Test
  void theBackgroundSweepRemovesHistoriesPastTheirRetention() throws InterruptedException {
    try (var s =
        dev.parlor.testing.TestServer.start(
            java.util.Map.of("PARLOR_INSIGHTS_RETENTION", "P1D", "PARLOR_SWEEP_INTERVAL", "0.2"),
            clock)) {
      String k = s.newOrganization("unlimited");
      JsonNode meeting = s.client().post("/v1/meetings", k, meetingBody("", 60)).json();
      s.client().delete("/v1/meetings/" + meeting.get("meetingId").asText(), k);
      s.app().roomActivity().flush();
      String query = "/v1/insights/rooms?" + q("roomName[exact]", meeting.get("roomName").asText());
      assertThat(s.client().get(query, k).json().get("results")).hasSize(1);

      clock.advance(Duration.ofDays(1));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!s.client().get(query, k).json().get("results").isEmpty()
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(s.client().get(query, k).json().get("results")).isEmpty();
    }
  }

  @Test
  void aDeletedMeetingsRoomTakesNoNewConnectionsButItsOpenOnesStillFinishTheSession() {
    Created m = createMeeting(key, "", 60);
    join(m.roomName(), "a1", "alice");
    join(m.roomName(), "b1", "bob");
    advance(Duration.ofMinutes(1));
    server.client().delete("/v1/meetings/" + m.meetingId(), key);

    assertThatThrownBy(() -> join(m.roomName(), "c1", "carol"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(m.roomName());
    advance(Duration.ofMinutes(1));
    leave("a1");
    leave("b1");
    advance(Duration.ofMinutes(2));
    settle();

    JsonNode s = onlySession(m.roomName());
    assertThat(s.get("endedAt").isNull()).isFalse();
    assertThat(s.get("totalParticipantMinutes").asInt()).isEqualTo(4);
    assertThat(room(m.roomName()).get("totalParticipantMinutes").asInt()).isEqualTo(4);
  }

  @Test
  void aRoomThatIsNoMeetingsTakesNoConnections() {
    assertThatThrownBy(() -> join("/no-such-room", "z1", "zoe"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                activity.participantConnected(
                    new RoomActivity.Join(null, "z", "z", null, Role.HOST, null, null, null, null)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aConnectionIdAlreadyOpenIsRefusedAndEventsOfUnknownConnectionsAreIgnored() {
    String room = createRoom();
    join(room, "a1", "alice");
    assertThatThrownBy(() -> join(room, "a1", "alice")).isInstanceOf(IllegalStateException.class);

    leave("never-opened");
    activity.networkSample("never-opened", clock.instant(), 1, 1, 1, 1);
    activity.mediaEvent("never-opened", MediaEvent.CAMERA_ON, clock.instant());
    leave("a1");
    leave("a1");
    activity.networkSample("a1", clock.instant(), 1, 1, 1, 1);
    settle();
    assertThat(sessions(room)).isEmpty();
  }

  @Test
  void eventsOutOfOrderAreTakenAtTheRoomsLatestTime() {
    String room = createRoom();
    join(room, "a1", "alice");
    join(room, "b1", "bob");
    advance(Duration.ofMinutes(3));
    leave("a1");
    activity.participantDisconnected("b1", clock.instant().minus(Duration.ofMinutes(2)));
    advance(Duration.ofMinutes(2));
    settle();

    List<JsonNode> people = participants(onlySession(room).get("roomSessionId").asText());
    assertThat(people.get(1).get("leftAt").asText())
        .isEqualTo(people.get(0).get("leftAt").asText());
    assertThat(onlySession(room).get("totalParticipantMinutes").asInt()).isEqualTo(6);
  }
}
