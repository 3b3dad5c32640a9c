package dev.parlor.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parlor.rooms.RoomKeys;
import dev.parlor.testing.ApiClient;
import dev.parlor.testing.SignalClient;
import dev.parlor.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The signaling protocol over a real WebSocket against the real server (no browser). */
class SignalingProtocolTest {
  static final String SECRET = "0123456789abcdef0123456789abcdef-test";
  static TestServer server;
  static String key;
  static final List<String> events = new CopyOnWriteArrayList<>();
  final List<SignalClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("PARLOR_SECRET", SECRET));
    key = server.newOrganization("unlimited");
    server
        .app()
        .signaling()
        .addObserver(
            new RoomObserver() {
              @Override
              public void connected(
                  RoomObserver.Participant p, Map<String, Integer> present, Instant time) {
                events.add(
                    "connected "
                        + p.meeting().roomName()
                        + " "
                        + p.roleName()
                        + " "
                        + p.displayName()
                        + " "
                        + p.externalId()
                        + " "
                        + p.deviceId()
                        + " "
                        + p.userAgent());
              }

              @Override
              public void disconnected(
                  RoomObserver.Participant p, Map<String, Integer> present, Instant time) {
                events.add("disconnected " + p.meeting().roomName());
              }

              @Override
              public void sample(
                  String connectionId,
                  double packetLossSendPct,
                  double packetLossRecvPct,
                  double bitrateSendBps,
                  double bitrateRecvBps,
                  Instant time) {
                events.add("sample " + packetLossSendPct + " " + bitrateSendBps);
              }

              @Override
              public void mediaEvent(String connectionId, String type, Instant time) {
                events.add("media " + type);
              }
            });
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void closeClients() {
    clients.forEach(SignalClient::close);
  }

  /** A meeting's room name and its host and viewer keys. */
  record Room(String meetingId, String name, String hostKey, String viewerKey) {}

  static Room meeting(String... extra) {
    List<String> members =
        new ArrayList<>(List.of("\"fields\":[\"hostRoomUrl\",\"viewerRoomUrl\"]"));
    members.addAll(List.of(extra));
    ApiClient.Response r =
        server
            .client()
            .post("/v1/meetings", key, ApiClient.meetingBody(members.toArray(String[]::new)));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    JsonNode j = r.json();
    String roomUrl = j.get("roomUrl").asText();
    String name = roomUrl.substring(roomUrl.lastIndexOf('/'));
    return new Room(
        j.get("meetingId").asText(),
        name,
        keyOf(j.get("hostRoomUrl").asText()),
        keyOf(j.get("viewerRoomUrl").asText()));
  }

  static String keyOf(String url) {
    return url.substring(url.indexOf("roomKey=") + "roomKey=".length()).split("&")[0];
  }

  SignalClient join(Room room, String roomKey, String name) {
    SignalClient c = SignalClient.join(server.baseUrl(), room.name(), roomKey, name);
    clients.add(c);
    return c;
  }

  SignalClient connect() {
    SignalClient c = SignalClient.connect(server.baseUrl());
    clients.add(c);
    return c;
  }

  static void eventually(Runnable assertion) {
    long deadline = System.nanoTime() + 3_000_000_000L;
    while (true) {
      try {
        assertion.run();
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException ie) {
          throw new IllegalStateException(ie);
        }
      }
    }
  }

  // ------------------------------------------------------------------ joining and roles

  SignalClient joinWithToken(Room room, String roomKey, String name, String token) {
    SignalClient c = connect();
    c.send(
        "join",
        "room",
        room.name(),
        "roomKey",
        roomKey,
        "displayName",
        name,
        "participantToken",
        token);
    return c;
  }

  @Test
  void aParticipantTokenFromAnEarlierJoinKeepsTheIdButAForgedForeignOrInUseOneDoesNot() {
    Room room = meeting();
    SignalClient first = join(room, room.hostKey(), "Reloading Rita");
    JsonNode j = first.expect("joined");
    String id = j.get("selfId").asText();
    String token = j.get("participantToken").asText();
    assertThat(token).startsWith(id + ".");

    // still connected: the id is in use, so a second tab gets its own
    SignalClient tab = joinWithToken(room, room.hostKey(), "Rita again", token);
    assertThat(tab.expect("joined").get("selfId").asText()).isNotEqualTo(id);
    tab.close();

    first.close();
    eventually(
        () -> assertThat(server.app().signaling().bus().roomNames()).doesNotContain(room.name()));
    SignalClient reloaded = joinWithToken(room, room.hostKey(), "Rita reloaded", token);
    JsonNode again = reloaded.expect("joined");
    assertThat(again.get("selfId").asText()).isEqualTo(id);
    assertThat(again.get("participantToken").asText()).isEqualTo(token);
    reloaded.close();

    String forged =
        id.substring(0, id.length() - 1)
            + (id.endsWith("a") ? "b" : "a")
            + token.substring(token.indexOf('.'));
    SignalClient forger = joinWithToken(room, null, "Forger", forged);
    assertThat(forger.expect("joined").get("selfId").asText())
        .isNotEqualTo(id)
        .isNotEqualTo(forged.substring(0, forged.indexOf('.')));

    Room other = meeting();
    SignalClient elsewhere = joinWithToken(other, other.hostKey(), "Rita elsewhere", token);
    assertThat(elsewhere.expect("joined").get("selfId").asText()).isNotEqualTo(id);

    SignalClient garbage = joinWithToken(other, null, "G", "not-a-token");
    assertThat(garbage.expect("joined").get("selfId").asText()).matches("[0-9a-f-]{36}");
  }

  @Test
  void aHostAndAVisitorJoinSeeEachOtherAndLeave() {
    Room room = meeting();
    SignalClient host = join(room, room.hostKey(), "Hanna Host");
    JsonNode hj = host.expect("joined");
    assertThat(hj.get("role").asText()).isEqualTo("host");
    assertThat(hj.get("participants")).isEmpty();
    assertThat(hj.get("locked").asBoolean()).isFalse();
    assertThat(hj.get("roomName").asText()).isEqualTo(room.name());
    assertThat(hj.get("iceServers").isArray()).isTrue();
    assertThat(hj.get("knocks")).isEmpty();

    SignalClient visitor = join(room, null, "Vic");
    JsonNode vj = visitor.expect("joined");
    assertThat(vj.get("role").asText()).isEqualTo("visitor");
    assertThat(vj.get("participants")).hasSize(1);
    assertThat(vj.get("participants").get(0).get("displayName").asText()).isEqualTo("Hanna Host");
    assertThat(vj.get("participants").get(0).get("role").asText()).isEqualTo("host");
    assertThat(vj.has("knocks")).isFalse();

    JsonNode pj = host.expect("participant_joined");
    assertThat(pj.get("participant").get("id").asText()).isEqualTo(vj.get("selfId").asText());
    assertThat(pj.get("participant").get("role").asText()).isEqualTo("visitor");

    String metrics = server.client().get("/metrics", null).body();
    assertThat(metrics).containsPattern("(?m)^parlor_signaling_connections [1-9]");
    assertThat(metrics).containsPattern("(?m)^parlor_signaling_rooms [1-9]");
    visitor.send("leave");
    visitor.expectClosed();
    assertThat(host.expect("participant_left").get("participantId").asText())
        .isEqualTo(vj.get("selfId").asText());
    eventually(
        () -> {
          assertThat(events)
              .anyMatch(e -> e.startsWith("connected " + room.name() + " host Hanna Host"));
          assertThat(events).anyMatch(e -> e.equals("disconnected " + room.name()));
        });
  }

  @Test
  void closingTheSocketIsLeaving() {
    Room room = meeting();
    SignalClient host = join(room, room.hostKey(), "H");
    host.expect("joined");
    SignalClient v = join(room, null, "V");
    v.expect("joined");
    host.expect("participant_joined");
    v.close();
    host.expect("participant_left");
  }

  @Test
  void aViewerKeyJoinsAsViewerAndViewersNeedNoKnockInViewerModeRooms() {
    Room room = meeting("\"templateType\":\"viewerMode\"");
    SignalClient viewer = join(room, room.viewerKey(), "Watcher");
    assertThat(viewer.expect("joined").get("role").asText()).isEqualTo("viewer");
    SignalClient visitor = join(room, null, "Visitor");
    JsonNode refused = visitor.expectError("room_locked");
    assertThat(refused.toString()).doesNotContain("Watcher");
    viewer.expectSilence(Duration.ofMillis(200));
  }

  @Test
  void aForgedKeyAKeyOfAnotherRoomAndAnExpiredKeyAreRefused() {
    Room room = meeting();
    Room other = meeting();
    String forged = room.hostKey().substring(0, room.hostKey().length() - 3) + "abc";
    SignalClient a = join(room, forged, "A");
    a.expectError("invalid_key");
    a.expectClosed();

    SignalClient b = join(room, other.hostKey(), "B");
    b.expectError("invalid_key");
    b.expectClosed();

    RoomKeys keys = new RoomKeys(SECRET.getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
    String expired =
        keys.issue(
            room.name(), room.meetingId(), RoomKeys.Role.HOST, Instant.now().minusSeconds(60));
    SignalClient c = join(room, expired, "C");
    c.expectError("invalid_key");
    c.expectClosed();

    String genuine =
        keys.issue(
            room.name(), room.meetingId(), RoomKeys.Role.HOST, Instant.now().plusSeconds(600));
    SignalClient d = join(room, genuine, "D");
    assertThat(d.expect("joined").get("role").asText()).isEqualTo("host");
  }

  @Test
  void anUnknownRoomIsRoomNotFound() {
    SignalClient c = SignalClient.join(server.baseUrl(), "/nosuchroom-123", null, "X");
    clients.add(c);
    c.expectError("room_not_found");
    c.expectClosed();
  }

  @Test
  void aNormalRoomAdmitsFourParticipantsAndEightViewersBeside() {
    Room room = meeting();
    for (int i = 0; i < 4; i++) {
      join(room, i == 0 ? room.hostKey() : null, "P" + i).await("joined");
    }
    SignalClient fifth = join(room, null, "P5");
    fifth.expectError("room_full");
    fifth.expectClosed();
    for (int i = 0; i < 8; i++) {
      assertThat(join(room, room.viewerKey(), "V" + i).await("joined").get("role").asText())
          .isEqualTo("viewer");
    }
    SignalClient ninth = join(room, room.viewerKey(), "V9");
    ninth.expectError("room_full");
  }

  @Test
  void aGroupRoomAdmitsEight() {
    Room room = meeting("\"roomMode\":\"group\"");
    for (int i = 0; i < 8; i++) {
      join(room, null, "P" + i).await("joined");
    }
    join(room, null, "P9").expectError("room_full");
  }

  // ------------------------------------------------------------------ knocking

  @Test
  void aVisitorKnocksOnALockedRoomBeforeAHostArrivesAndIsAccepted() {
    Room room = meeting("\"isLocked\":true");
    SignalClient visitor = join(room, null, "Knocker");
    JsonNode locked = visitor.expectError("room_locked");
    assertThat(locked.has("participants")).isFalse();
    visitor.send("knock", "image", "data:image/jpeg;base64,AAAA");
    visitor.expect("knock_pending");

    SignalClient host = join(room, room.hostKey(), "Host");
    JsonNode hj = host.expect("joined");
    assertThat(hj.get("knocks")).hasSize(1);
    JsonNode k = hj.get("knocks").get(0);
    assertThat(k.get("displayName").asText()).isEqualTo("Knocker");
    assertThat(k.get("image").asText()).isEqualTo("data:image/jpeg;base64,AAAA");

    host.send("knock_hold", "knockId", k.get("knockId").asText(), "message", "One minute");
    assertThat(visitor.expect("knock_held").get("message").asText()).isEqualTo("One minute");
    host.expect("knock_resolved");

    host.send("knock_accept", "knockId", k.get("knockId").asText());
    String grantedKey = visitor.expect("knock_accepted").get("roomKey").asText();
    JsonNode vj = visitor.expect("joined");
    assertThat(vj.get("role").asText()).isEqualTo("granted_visitor");
    assertThat(vj.get("participants")).hasSize(1);
    assertThat(host.await("participant_joined").get("participant").get("role").asText())
        .isEqualTo("granted_visitor");
    eventually(
        () ->
            assertThat(events)
                .anyMatch(e -> e.startsWith("connected " + room.name() + " granted_visitor")));

    // the key that came with the acceptance lets the visitor back in without knocking
    SignalClient again = join(room, grantedKey, "Knocker again");
    assertThat(again.await("joined").get("role").asText()).isEqualTo("granted_visitor");
    SignalClient elsewhere = join(meeting("\"isLocked\":true"), grantedKey, "Elsewhere");
    elsewhere.expectError("invalid_key");
  }

  @Test
  void aHostSeesAKnockLiveAndRejectsIt() {
    Room room = meeting("\"isLocked\":true");
    SignalClient host = join(room, room.hostKey(), "Host");
    host.expect("joined");
    SignalClient visitor = join(room, null, "Nope");
    visitor.expectError("room_locked");
    visitor.send("knock", "displayName", "Nora");
    visitor.expect("knock_pending");
    JsonNode k = host.expect("knock");
    assertThat(k.get("displayName").asText()).isEqualTo("Nora");
    host.send("knock_reject", "knockId", k.get("knockId").asText(), "message", "Not today");
    assertThat(visitor.expect("knock_rejected").get("message").asText()).isEqualTo("Not today");
    visitor.expectClosed();
  }

  @Test
  void aKnockerWhoLeavesIsCancelledForHosts() {
    Room room = meeting("\"isLocked\":true");
    SignalClient host = join(room, room.hostKey(), "Host");
    host.expect("joined");
    SignalClient visitor = join(room, null, "Gone");
    visitor.expectError("room_locked");
    visitor.send("knock");
    visitor.expect("knock_pending");
    String id = host.expect("knock").get("knockId").asText();
    visitor.close();
    assertThat(host.expect("knock_cancelled").get("knockId").asText()).isEqualTo(id);
  }

  @Test
  void aKnockWithoutARefusalOrTwiceIsNotAllowed() {
    Room room = meeting("\"isLocked\":true");
    SignalClient early = connect();
    early.send("knock");
    early.expectError("not_allowed");
    SignalClient v = join(room, null, "V");
    v.expectError("room_locked");
    v.send("knock");
    v.expect("knock_pending");
    v.send("knock");
    v.expectError("not_allowed");
    v.send("chat", "text", "let me in");
    v.expectError("not_joined");
  }

  // ------------------------------------------------------------------ host-only actions

  @Test
  void onlyHostsLockRemoveMuteEndOrAnswerKnocks() {
    Room room = meeting();
    SignalClient host = join(room, room.hostKey(), "Host");
    String hostId = host.expect("joined").get("selfId").asText();
    SignalClient visitor = join(room, null, "V");
    visitor.expect("joined");
    host.expect("participant_joined");
    SignalClient viewer = join(room, room.viewerKey(), "W");
    viewer.expect("joined");
    host.expect("participant_joined");
    visitor.expect("participant_joined");

    for (SignalClient c : List.of(visitor, viewer)) {
      c.send("lock", "locked", true);
      c.expectError("forbidden");
      c.send("remove", "participantId", hostId);
      c.expectError("forbidden");
      c.send("mute_request", "participantId", hostId);
      c.expectError("forbidden");
      c.send("end_meeting");
      c.expectError("forbidden");
      c.send("knock_accept", "knockId", "x");
      c.expectError("forbidden");
    }
    host.expectSilence(Duration.ofMillis(200));
    host.send("chat", "text", "still here");
    assertThat(visitor.expect("chat").get("text").asText()).isEqualTo("still here");
  }

  @Test
  void aHostLocksTheRoomAndNewVisitorsMustKnock() {
    Room room = meeting();
    SignalClient host = join(room, room.hostKey(), "Host");
    host.expect("joined");
    SignalClient inside = join(room, null, "Inside");
    inside.expect("joined");
    host.expect("participant_joined");
    host.send("lock", "locked", true);
    assertThat(host.expect("room_locked").get("locked").asBoolean()).isTrue();
    assertThat(inside.expect("room_locked").get("locked").asBoolean()).isTrue();
    join(room, null, "Late").expectError("room_locked");
    host.send("lock", "locked", false);
    host.expect("room_locked");
    join(room, null, "Later").expect("joined");
  }

  @Test
  void aHostRemovesAParticipantAndAsksAnotherToMute() {
    Room room = meeting();
    SignalClient host = join(room, room.hostKey(), "Host");
    host.expect("joined");
    SignalClient a = join(room, null, "A");
    String aId = a.expect("joined").get("selfId").asText();
    host.expect("participant_joined");
    SignalClient b = join(room, null, "B");
    String bId = b.expect("joined").get("selfId").asText();
    host.expect("participant_joined");
    a.expect("participant_joined");

    host.send("mute_request", "participantId", bId);
    b.expect("mute_request");
    host.send("remove", "participantId", aId);
    a.expect("removed");
    a.expectClosed();
    assertThat(host.expect("participant_left").get("participantId").asText()).isEqualTo(aId);
    assertThat(b.expect("participant_left").get("participantId").asText()).isEqualTo(aId);
    host.send("remove", "participantId", aId);
    host.expectError("unknown_participant");
  }

  @Test
  void aHostEndsTheMeetingForEveryone() {
    Room room = meeting("\"isLocked\":true");
    SignalClient host = join(room, room.hostKey(), "Host");
    host.expect("joined");
    SignalClient viewer = join(room, room.viewerKey(), "W");
    viewer.expect("joined");
    host.expect("participant_joined");
    SignalClient knocker = join(room, null, "K");
    knocker.expectError("room_locked");
    knocker.send("knock");
    knocker.expect("knock_pending");
    host.expect("knock");
    host.send("end_meeting");
    host.await("meeting_ended");
    viewer.await("meeting_ended");
    knocker.await("meeting_ended");
    host.expectClosed();
    viewer.expectClosed();
    knocker.expectClosed();
  }

  @Test
  void deletingTheMeetingEndsTheRoomAndNobodyJoinsAfterwards() {
    Room room = meeting();
    SignalClient host = join(room, room.hostKey(), "Host");
    host.expect("joined");
    SignalClient v = join(room, null, "V");
    v.expect("joined");
    host.expect("participant_joined");

    assertThat(server.client().delete("/v1/meetings/" + room.meetingId(), key).status())
        .isEqualTo(204);
    host.expect("meeting_ended");
    v.expect("meeting_ended");
    host.expectClosed();
    v.expectClosed();
    SignalClient late = join(room, room.hostKey(), "Late");
    late.expectError("room_not_found");
    late.expectClosed();
  }

  @Test
  void theMeetingsExpiryEndsTheRoomWhenTheSweepRemovesIt() {
    dev.parlor.testing.MutableClock clock =
        new dev.parlor.testing.MutableClock(
            Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    try (TestServer s = TestServer.start(Map.of(), clock)) {
      String k = s.newOrganization("unlimited");
      Instant end = clock.instant().plusSeconds(60);
      ApiClient.Response r = s.client().post("/v1/meetings", k, "{\"endDate\":\"" + end + "\"}");
      assertThat(r.status()).isEqualTo(201);
      String roomName = r.json().get("roomName").asText();
      SignalClient a = SignalClient.join(s.baseUrl(), roomName, null, "A");
      clients.add(a);
      a.expect("joined");
      clock.advance(java.time.Duration.ofHours(1).plusSeconds(61)); // past end date + grace
      SignalClient late = SignalClient.join(s.baseUrl(), roomName, null, "Late");
      clients.add(late);
      late.expectError("room_not_found");
      assertThat(s.app().meetings().sweep(100)).isEqualTo(1);
      a.expect("meeting_ended");
      a.expectClosed();
    }
  }

  @Test
  void anExpiredMeetingsRoomEndsWithoutWaitingForTheSweep() {
    dev.parlor.testing.MutableClock clock =
        new dev.parlor.testing.MutableClock(
            Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    try (TestServer s = TestServer.start(Map.of("PARLOR_MEETING_GRACE", "PT1M"), clock)) {
      String k = s.newOrganization("unlimited");
      Instant end = clock.instant().plusSeconds(60);
      ApiClient.Response r = s.client().post("/v1/meetings", k, "{\"endDate\":\"" + end + "\"}");
      String roomName = r.json().get("roomName").asText();
      SignalClient a = SignalClient.join(s.baseUrl(), roomName, null, "A");
      clients.add(a);
      a.expect("joined");
      assertThat(s.app().signaling().endExpiredRooms()).as("not yet expired").isZero();

      clock.advance(java.time.Duration.ofSeconds(121)); // past end date + grace
      // the room server's own check (every 5 s) may have got there first
      assertThat(s.app().signaling().endExpiredRooms()).isBetween(0, 1);
      a.expect("meeting_ended");
      a.expectClosed();
      assertThat(s.app().signaling().activeRooms()).isZero();
      assertThat(s.app().meetings().sweep(100))
          .as("the meeting itself is left to the sweep")
          .isOne();
    }
  }

  @Test
  void iceServersFromTheConfigurationReachEveryJoin() {
    String ice =
        "[{\"urls\":\"turn:turn.example.com:3478\",\"username\":\"u\",\"credential\":\"p\"}]";
    try (TestServer s = TestServer.start(Map.of("PARLOR_ICE_SERVERS", ice))) {
      String k = s.newOrganization("unlimited");
      String roomName =
          s.client()
              .post("/v1/meetings", k, ApiClient.meetingBody())
              .json()
              .get("roomName")
              .asText();
      SignalClient a = SignalClient.join(s.baseUrl(), roomName, null, "A");
      clients.add(a);
      JsonNode servers = a.expect("joined").get("iceServers");
      assertThat(servers.toString()).isEqualTo(ice);
    }
    for (String bad : List.of("{\"urls\":\"x\"}", "[{\"username\":\"u\"}]", "not json")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> dev.parlor.config.AppConfig.from(Map.of("PARLOR_ICE_SERVERS", bad)))
          .as(bad)
          .isInstanceOf(dev.parlor.config.ConfigException.class)
          .hasMessageContaining("PARLOR_ICE_SERVERS");
    }
  }

  // ------------------------------------------------------------------ media signaling

  @Test
  void offersAnswersAndCandidatesAreRelayedBetweenTwoNamedParticipants() {
    Room room = meeting();
    SignalClient a = join(room, room.hostKey(), "A");
    String aId = a.expect("joined").get("selfId").asText();
    SignalClient b = join(room, null, "B");
    String bId = b.expect("joined").get("selfId").asText();
    a.expect("participant_joined");
    SignalClient c = join(room, null, "C");
    c.expect("joined");
    a.expect("participant_joined");
    b.expect("participant_joined");

    b.send("offer", "to", aId, "sdp", "v=0 offer");
    JsonNode offer = a.expect("offer");
    assertThat(offer.get("from").asText()).isEqualTo(bId);
    assertThat(offer.get("sdp").asText()).isEqualTo("v=0 offer");
    a.send("answer", "to", bId, "sdp", "v=0 answer");
    assertThat(b.expect("answer").get("from").asText()).isEqualTo(aId);
    a.send(
        "candidate",
        "to",
        bId,
        "candidate",
        Map.of("candidate", "candidate:1 1 udp 1 127.0.0.1 5000 typ host", "sdpMLineIndex", 0));
    assertThat(b.expect("candidate").get("candidate").get("sdpMLineIndex").asInt()).isEqualTo(0);
    c.expectSilence(Duration.ofMillis(200));

    a.send("offer", "to", "not-a-participant", "sdp", "x");
    a.expectError("unknown_participant");
    a.send("offer", "to", aId, "sdp", "x");
    a.expectError("unknown_participant");
  }

  @Test
  void viewersDoNotConnectToViewersNorClaimToSend() {
    Room room = meeting();
    SignalClient v1 = join(room, room.viewerKey(), "V1");
    String v1Id = v1.expect("joined").get("selfId").asText();
    SignalClient v2 = join(room, room.viewerKey(), "V2");
    v2.expect("joined");
    v1.expect("participant_joined");
    v2.send("offer", "to", v1Id, "sdp", "v=0");
    v2.expectError("not_allowed");
    v2.send("media_state", "audio", true, "video", false);
    v2.expectError("not_allowed");
  }

  @Test
  void mediaStateStatsAndChatReachTheRoomAndTheObserver() {
    Room room = meeting();
    SignalClient a = join(room, room.hostKey(), "A");
    a.expect("joined");
    SignalClient b = join(room, null, "B");
    b.expect("joined");
    a.expect("participant_joined");
    b.send("media_state", "audio", false, "video", true);
    JsonNode up = a.expect("participant_updated");
    assertThat(up.get("participant").get("audio").asBoolean()).isFalse();
    b.send(
        "stats",
        "packetLossSendPct",
        1.5,
        "packetLossRecvPct",
        0,
        "bitrateSendBps",
        250000,
        "bitrateRecvBps",
        240000);
    b.send("chat", "text", "hello");
    assertThat(a.expect("chat").get("displayName").asText()).isEqualTo("B");
    assertThat(b.expect("chat").get("text").asText()).isEqualTo("hello");
    eventually(() -> assertThat(events).contains("media audio_off", "sample 1.5 250000.0"));
    b.send(
        "stats",
        "packetLossSendPct",
        101,
        "packetLossRecvPct",
        0,
        "bitrateSendBps",
        1,
        "bitrateRecvBps",
        1);
    b.expectError("invalid_message");
  }

  // ------------------------------------------------------------------ validation

  @Test
  void malformedMessagesAreAnsweredWithErrorsAndTheRoomKeepsWorking() {
    Room room = meeting();
    SignalClient a = join(room, room.hostKey(), "A");
    String aId = a.expect("joined").get("selfId").asText();
    SignalClient b = join(room, null, "B");
    b.expect("joined");
    a.expect("participant_joined");

    for (String bad :
        List.of(
            "not json",
            "[1,2]",
            "42",
            "{}",
            "{\"type\":7}",
            "{\"type\":\"warp\"}",
            "{\"type\":\"offer\"}",
            "{\"type\":\"offer\",\"to\":\"" + aId + "\"}",
            "{\"type\":\"offer\",\"to\":5,\"sdp\":\"x\"}",
            "{\"type\":\"candidate\",\"to\":\"" + aId + "\",\"candidate\":\"str\"}",
            "{\"type\":\"chat\",\"text\":\"\"}",
            "{\"type\":\"chat\",\"text\":\"" + "x".repeat(2001) + "\"}",
            "{\"type\":\"media_state\",\"audio\":\"yes\",\"video\":true}",
            "{\"type\":\"lock\"}",
            "{\"type\":\"join\",\"room\":\"" + room.name() + "\"}",
            "{\"type\":\"stats\",\"packetLossSendPct\":\"NaN\"}")) {
      b.sendRaw(bad);
      JsonNode e = b.expect("error");
      assertThat(e.get("code").asText()).as(bad).isIn("invalid_message", "already_joined");
    }
    b.sendRaw("{\"type\":\"chat\",\"text\":\"" + "y".repeat(300_000) + "\"}");
    b.expectError("message_too_large");
    a.expectSilence(Duration.ofMillis(100));
    b.send("chat", "text", "after all that");
    assertThat(a.expect("chat").get("text").asText()).isEqualTo("after all that");
  }

  @Test
  void joinParametersAreValidated() {
    Room room = meeting();
    SignalClient nameTooLong = join(room, null, "n".repeat(101));
    nameTooLong.expectError("invalid_message");
    SignalClient badChars = join(room, null, "<script>");
    badChars.expectError("invalid_message");

    SignalClient badExternal = connect();
    badExternal.send("join", "room", room.name(), "externalId", "has space");
    badExternal.expectError("invalid_external_id");
    badExternal.expectClosed();

    SignalClient badRoom = connect();
    badRoom.send("join", "room", "../etc/passwd");
    badRoom.expectError("invalid_message");

    SignalClient notJoined = connect();
    notJoined.send("chat", "text", "hi");
    notJoined.expectError("not_joined");
    notJoined.send("offer", "to", "x", "sdp", "y");
    notJoined.expectError("not_joined");

    SignalClient good = connect();
    good.send(
        "join",
        "room",
        room.name().substring(1),
        "displayName",
        "Zoë Ω",
        "externalId",
        "user_42-a",
        "deviceId",
        "dev-1");
    JsonNode j = good.expect("joined");
    assertThat(j.get("role").asText()).isEqualTo("visitor");
    // Observers are told after the room's lock is released, so possibly just after "joined".
    eventually(
        () ->
            assertThat(events)
                .anyMatch(
                    e ->
                        e.equals(
                            "connected "
                                + room.name()
                                + " visitor Zoë Ω user_42-a dev-1 SignalClient/1.0")));
  }

  @Test
  void aSocketThatNeverJoinsIsClosed() {
    server.app().signaling().setJoinTimeout(Duration.ofMillis(300));
    try {
      SignalClient idle = connect();
      idle.send("ping");
      idle.expect("pong");
      idle.expectError("join_timeout");
      idle.expectClosed();
    } finally {
      server.app().signaling().setJoinTimeout(Duration.ofSeconds(30));
    }
  }

  @Test
  void aFloodIsRateLimitedWithoutStallingTheRoom() {
    Room room = meeting();
    SignalClient a = join(room, room.hostKey(), "A");
    a.expect("joined");
    SignalClient b = join(room, null, "B");
    b.expect("joined");
    a.expect("participant_joined");
    for (int i = 0; i < 400; i++) {
      b.send("ping");
    }
    int pongs = 0;
    int limited = 0;
    for (int i = 0; i < 400; i++) {
      JsonNode m = b.next();
      if (m.get("type").asText().equals("pong")) {
        pongs++;
      } else if (m.path("code").asText().equals("rate_limited")) {
        limited++;
      }
    }
    assertThat(pongs).isGreaterThanOrEqualTo(200);
    assertThat(limited).isPositive();
    a.send("chat", "text", "fine");
    assertThat(a.expect("chat").get("text").asText()).isEqualTo("fine");
  }
}
