package dev.parlor.insights;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parlor.testing.ApiClient;
import dev.parlor.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When sessions start and end, what belongs to them, and how minutes and people are counted. */
class SessionRulesTest extends InsightsHttpTest {

  @Test
  void aRoomWithOneParticipantHasNoSessionAndNullSessionDates() {
    String room = createRoom();
    join(room, "a1", "alice");
    advance(Duration.ofMinutes(5));
    leave("a1");
    advance(Duration.ofMinutes(5));
    settle();

    JsonNode r = room(room);
    assertThat(r.get("totalSessions").asLong()).isZero();
    assertThat(r.get("firstSessionStartedAt").isNull()).isTrue();
    assertThat(r.get("lastSessionStartedAt").isNull()).isTrue();
    assertThat(r.get("totalParticipantMinutes").asLong()).isZero();
    assertThat(r.get("totalUniqueParticipants").asLong()).isZero();
    assertThat(sessions(room)).isEmpty();
  }

  @Test
  void aSessionStartsWithTheSecondParticipantAndEndsWhenFewerThanTwoRemainedForTheIdleTime() {
    String room = createRoom();
    Instant t0 = clock.instant();
    join(room, "a1", "alice");
    advanceSeconds(30);
    Instant started = clock.instant();
    join(room, "b1", "bob");
    advance(Duration.ofMinutes(5));
    Instant dropped = clock.instant();
    leave("b1");
    advanceSeconds(59);
    settle();

    JsonNode running = onlySession(room);
    assertThat(running.get("startedAt").asText()).isEqualTo(at(started));
    assertThat(running.get("createdAt").asText()).isEqualTo(at(started));
    assertThat(running.get("endedAt").isNull()).as("still within the idle time").isTrue();
    assertThat(running.get("endAt").isNull()).isTrue();

    advanceSeconds(1);
    settle();

    JsonNode ended = onlySession(room);
    assertThat(ended.get("endedAt").asText())
        .as("the moment the count dropped, not that plus the idle time")
        .isEqualTo(at(dropped));
    assertThat(ended.get("endAt").asText()).isEqualTo(at(dropped));
    // alice: from her join (before the start) to the end, 5:30 -> 6; bob: 5:00 -> 5.
    assertThat(ended.get("totalParticipantMinutes").asLong()).isEqualTo(11);
    assertThat(ended.get("totalUniqueParticipants").asLong()).isEqualTo(2);
    JsonNode r = room(room);
    assertThat(r.get("totalSessions").asLong()).isEqualTo(1);
    assertThat(r.get("firstSessionStartedAt").asText()).isEqualTo(at(started));
    assertThat(r.get("lastSessionStartedAt").asText()).isEqualTo(at(started));
    assertThat(r.get("totalParticipantMinutes").asLong()).isEqualTo(11);
    List<JsonNode> people = participants(ended.get("roomSessionId").asText());
    assertThat(people)
        .extracting(p -> p.get("participantId").asText())
        .containsExactly("alice", "bob");
    assertThat(people.get(0).get("joinedAt").asText()).isEqualTo(at(t0));
    assertThat(people.get(0).get("leftAt").asText())
        .as("alice was still there when the session ended")
        .isEqualTo(at(dropped));
    assertThat(people.get(1).get("leftAt").asText()).isEqualTo(at(dropped));
  }

  @Test
  void aDipBelowTwoShorterThanTheIdleTimeDoesNotEndTheSession() {
    String room = createRoom();
    join(room, "a1", "alice");
    join(room, "b1", "bob");
    advance(Duration.ofMinutes(2));
    leave("b1");
    advanceSeconds(40);
    join(room, "c1", "carol");
    advance(Duration.ofMinutes(3));
    Instant dropped = clock.instant();
    leave("c1");
    advanceSeconds(20);
    leave("a1");
    advance(Duration.ofMinutes(2));
    settle();

    JsonNode s = onlySession(room);
    assertThat(s.get("endedAt").asText()).isEqualTo(at(dropped));
    assertThat(s.get("totalUniqueParticipants").asLong()).isEqualTo(3);
    // alice 5:40 cut at the end (the drop) -> 6, bob 2:00 -> 2, carol 3:00 -> 3.
    assertThat(s.get("totalParticipantMinutes").asLong()).isEqualTo(11);
    assertThat(room(room).get("totalSessions").asLong()).isEqualTo(1);
  }

  @Test
  void aDipAsLongAsTheIdleTimeEndsTheSessionEvenWhenSomeoneJoinsAtThatMoment() {
    String room = createRoom();
    join(room, "a1", "alice");
    join(room, "b1", "bob");
    advance(Duration.ofMinutes(1));
    Instant dropped = clock.instant();
    leave("b1");
    advanceSeconds(60);
    join(room, "c1", "carol");
    settle();

    List<JsonNode> s = sessions(room);
    assertThat(s).hasSize(2);
    assertThat(s.get(0).get("endedAt").asText()).isEqualTo(at(dropped));
    assertThat(s.get(1).get("startedAt").asText()).isEqualTo(at(clock.instant()));
    assertThat(s.get(1).get("endedAt").isNull()).isTrue();
  }

  @Test
  void minutesAreCountedPerConnectionAndRoundedUp() {
    String room = createRoom();
    join(room, "a1", "alice");
    join(room, "b1", "bob");
    join(room, "c1", "carol");
    advanceSeconds(30);
    leave("c1");
    advanceSeconds(31);
    leave("b1");
    leave("a1");
    advance(Duration.ofMinutes(2));
    settle();

    // 0:30 -> 1, 1:01 -> 2, 1:01 -> 2: 5 minutes, though the time adds up to 2:32.
    assertThat(onlySession(room).get("totalParticipantMinutes").asLong()).isEqualTo(5);
    assertThat(room(room).get("totalParticipantMinutes").asLong()).isEqualTo(5);
  }

  @Test
  void aConnectionOfExactlyAMinuteIsOneMinuteAndOneOfAMillisecondMoreIsTwo() {
    String room = createRoom();
    join(room, "a1", "alice");
    join(room, "b1", "bob");
    join(room, "c1", "carol");
    advance(Duration.ofMinutes(1));
    leave("c1");
    advance(Duration.ofMillis(1));
    leave("b1");
    leave("a1");
    advance(Duration.ofMinutes(2));
    settle();

    assertThat(onlySession(room).get("totalParticipantMinutes").asLong()).isEqualTo(1 + 2 + 2);
  }

  @Test
  void aReloadIsTheSameParticipantOnANewConnectionAndEachConnectionIsRoundedUp() {
    String room = createRoom();
    join(room, "a1", "alice");
    join(room, "b1", "bob");
    advanceSeconds(70);
    leave("a1");
    advanceSeconds(3);
    join(room, "a2", "alice");
    advanceSeconds(50);
    leave("a2");
    leave("b1");
    advance(Duration.ofMinutes(2));
    settle();

    JsonNode s = onlySession(room);
    assertThat(s.get("totalUniqueParticipants").asLong()).isEqualTo(2);
    // alice 1:10 -> 2 and 0:50 -> 1; bob 2:03 -> 3.
    assertThat(s.get("totalParticipantMinutes").asLong()).isEqualTo(6);
    List<JsonNode> people = participants(s.get("roomSessionId").asText());
    assertThat(people)
        .extracting(p -> p.get("participantId").asText())
        .containsExactly("alice", "bob");
    JsonNode connections =
        ok(
            "/v1/insights/participant?roomSessionId="
                + s.get("roomSessionId").asText()
                + "&participantId=alice");
    assertThat(connections).hasSize(2);
    assertThat(connections.get(0).get("userAgent").asText()).contains("a1");
    assertThat(connections.get(1).get("userAgent").asText()).contains("a2");
    assertThat(room(room).get("totalUniqueParticipants").asLong()).isEqualTo(2);
  }

  @Test
  void recordersAndStreamersDoNotStartASessionAndAreCountedApartFromParticipants() {
    String room = createRoom();
    join(room, "h1", "host-1", Role.HOST);
    join(room, "rec", "recorder-1", Role.RECORDER);
    join(room, "str", "streamer-1", Role.STREAMER);
    advance(Duration.ofMinutes(10));
    settle();
    assertThat(sessions(room)).as("one participant and two bots are no session").isEmpty();

    join(room, "v1", "visitor-1", Role.VISITOR);
    advance(Duration.ofMinutes(3));
    leave("rec");
    advance(Duration.ofMinutes(2));
    leave("v1");
    leave("str");
    leave("h1");
    advance(Duration.ofMinutes(5));
    settle();

    JsonNode s = onlySession(room);
    // host 15 min (from its join), visitor 5; the recorder 13 and the streamer 15 apart.
    assertThat(s.get("totalParticipantMinutes").asLong()).isEqualTo(20);
    assertThat(s.get("totalRecorderMinutes").asLong()).isEqualTo(13);
    assertThat(s.get("totalStreamerMinutes").asLong()).isEqualTo(15);
    assertThat(s.get("totalUniqueParticipants").asLong()).isEqualTo(2);
    assertThat(s.get("totalUniqueRecorders").asLong()).isEqualTo(1);
    assertThat(s.get("totalUniqueStreamers").asLong()).isEqualTo(1);
    JsonNode r = room(room);
    assertThat(r.get("totalRecorderMinutes").asLong()).isEqualTo(13);
    assertThat(r.get("totalStreamerMinutes").asLong()).isEqualTo(15);
    assertThat(r.get("totalUniqueRecorders").asLong()).isEqualTo(1);
    assertThat(r.get("totalUniqueStreamers").asLong()).isEqualTo(1);
    assertThat(participants(s.get("roomSessionId").asText()))
        .extracting(p -> p.get("roleName").asText())
        .containsExactlyInAnyOrder("host", "recorder", "streamer", "visitor");
  }

  @Test
  void aBotLeavingDoesNotDipTheSessionAndABotAloneDoesNotKeepItGoing() {
    String room = createRoom();
    join(room, "a1", "alice");
    join(room, "rec", "rec-1", Role.RECORDER);
    join(room, "b1", "bob");
    advance(Duration.ofMinutes(1));
    leave("a1");
    Instant dropped = clock.instant();
    advance(Duration.ofMinutes(3));
    settle();

    JsonNode s = onlySession(room);
    assertThat(s.get("endedAt").asText()).isEqualTo(at(dropped));
    assertThat(s.get("totalRecorderMinutes").asLong())
        .as("the recorder's time ends with the session")
        .isEqualTo(1);
  }

  @Test
  void viewersAndEveryParticipantRoleCountTowardStartingASession() {
    for (Role role :
        List.of(
            Role.VIEWER,
            Role.GRANTED_VIEWER,
            Role.GRANTED_VISITOR,
            Role.MEMBER,
            Role.OWNER,
            Role.HOST)) {
      String room = createRoom();
      join(room, role + "-1", "p1-" + role, role);
      join(room, role + "-2", "p2-" + role, Role.VISITOR);
      settle();
      assertThat(sessions(room)).as(role.wireName()).hasSize(1);
      assertThat(participants(onlySession(room).get("roomSessionId").asText()))
          .extracting(p -> p.get("roleName").asText())
          .contains(role.wireName());
    }
  }

  @Test
  void twoConnectionsOfOneParticipantAreNotTwoParticipants() {
    String room = createRoom();
    join(room, "a1", "alice");
    join(room, "a2", "alice");
    settle();
    assertThat(sessions(room)).isEmpty();
  }

  @Test
  void someoneWhoJoinsAndLeavesDuringTheFinalDipIsNotPartOfTheSession() {
    String room = createRoom();
    join(room, "a1", "alice");
    join(room, "b1", "bob");
    advance(Duration.ofMinutes(2));
    Instant dropped = clock.instant();
    leave("b1");
    advanceSeconds(10);
    leave("a1");
    advanceSeconds(10);
    join(room, "c1", "carol");
    advanceSeconds(10);
    leave("c1");
    advance(Duration.ofMinutes(2));
    settle();

    JsonNode s = onlySession(room);
    assertThat(s.get("endedAt").asText()).isEqualTo(at(dropped));
    assertThat(s.get("totalUniqueParticipants").asLong()).isEqualTo(2);
    assertThat(s.get("totalParticipantMinutes").asLong()).as("2 + 2, cut at the end").isEqualTo(4);
    List<JsonNode> people = participants(s.get("roomSessionId").asText());
    assertThat(people)
        .extracting(p -> p.get("participantId").asText())
        .containsExactly("alice", "bob");
    assertThat(people.get(0).get("leftAt").asText()).isEqualTo(at(dropped));
    assertThat(room(room).get("totalUniqueParticipants").asLong()).isEqualTo(2);
  }

  @Test
  void aRoomHasAnyNumberOfSessionsAndAConnectionPresentBetweenThemBelongsToEach() {
    String room = createRoom();
    Instant first = clock.instant();
    join(room, "a1", "alice");
    join(room, "b1", "bob");
    advance(Duration.ofMinutes(4));
    Instant end1 = clock.instant();
    leave("b1");
    advance(Duration.ofMinutes(10));
    Instant second = clock.instant();
    join(room, "c1", "carol");
    advance(Duration.ofMinutes(3));
    leave("c1");
    leave("a1");
    advance(Duration.ofMinutes(2));
    settle();

    List<JsonNode> s = sessions(room);
    assertThat(s).hasSize(2);
    assertThat(s.get(0).get("startedAt").asText()).isEqualTo(at(first));
    assertThat(s.get(0).get("endedAt").asText()).isEqualTo(at(end1));
    assertThat(s.get(0).get("totalParticipantMinutes").asLong()).isEqualTo(8);
    assertThat(s.get(1).get("startedAt").asText()).isEqualTo(at(second));
    // alice from the first session's end (13:00 -> 13), carol 3.
    assertThat(s.get(1).get("totalParticipantMinutes").asLong()).isEqualTo(16);
    assertThat(s.get(1).get("totalUniqueParticipants").asLong()).isEqualTo(2);
    JsonNode alice = participants(s.get(1).get("roomSessionId").asText()).get(0);
    assertThat(alice.get("participantId").asText()).isEqualTo("alice");
    assertThat(alice.get("joinedAt").asText()).isEqualTo(at(end1));
    JsonNode r = room(room);
    assertThat(r.get("totalSessions").asLong()).isEqualTo(2);
    assertThat(r.get("firstSessionStartedAt").asText()).isEqualTo(at(first));
    assertThat(r.get("lastSessionStartedAt").asText()).isEqualTo(at(second));
    assertThat(r.get("totalUniqueParticipants").asLong()).as("alice, bob, carol").isEqualTo(3);
    assertThat(r.get("totalParticipantMinutes").asLong()).isEqualTo(24);
  }

  @Test
  void whileASessionRunsItsEndAndItsConnectedParticipantsLeftAtAreNull() {
    String room = createRoom();
    join(room, "a1", "alice");
    join(room, "b1", "bob");
    join(room, "c1", "carol");
    advance(Duration.ofMinutes(1));
    Instant left = clock.instant();
    leave("c1");
    settle();

    JsonNode s = onlySession(room);
    assertThat(s.get("endedAt").isNull()).isTrue();
    List<JsonNode> people = participants(s.get("roomSessionId").asText());
    assertThat(people.get(0).get("leftAt").isNull()).isTrue();
    assertThat(people.get(1).get("leftAt").isNull()).isTrue();
    assertThat(people.get(2).get("leftAt").asText()).isEqualTo(at(left));
    assertThat(s.get("totalParticipantMinutes").asLong())
        .as("minutes count once a connection's time is over")
        .isEqualTo(1);
  }

  @Test
  void theIdleTimeIsConfigured() {
    try (TestServer short10 = TestServer.start(Map.of("PARLOR_SESSION_IDLE", "10"), clock)) {
      String k = short10.newOrganization("unlimited");
      ApiClient api = short10.client();
      String room =
          api.post("/v1/meetings", k, meetingBody("", 60)).json().get("roomName").asText();
      RoomActivity a = short10.app().roomActivity();
      for (String p : List.of("x", "y")) {
        a.participantConnected(
            new RoomActivity.Join(room, p, p, p, Role.VISITOR, p, null, null, clock.instant()));
      }
      a.participantDisconnected("x", clock.instant());
      clock.advance(Duration.ofSeconds(10));
      a.tick();
      a.flush();

      JsonNode s =
          api.get("/v1/insights/room-sessions?" + q("roomName", room), k)
              .json()
              .get("results")
              .get(0);
      assertThat(s.get("endedAt").isNull()).isFalse();
    }
  }
}
