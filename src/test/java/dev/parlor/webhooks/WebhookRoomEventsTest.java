package dev.parlor.webhooks;

import static dev.parlor.testing.WebhookReceiver.ofType;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parlor.openapi.OpenApiValidator;
import dev.parlor.testing.ApiClient;
import dev.parlor.testing.MutableClock;
import dev.parlor.testing.NodeVerifier;
import dev.parlor.testing.SignalClient;
import dev.parlor.testing.TestServer;
import dev.parlor.testing.WebhookReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Room, knock and session events from real signaling connections, as a receiver gets them. */
class WebhookRoomEventsTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final List<String> CLIENT_FIELDS =
      List.of(
          "meetingId",
          "roomName",
          "roomSessionId",
          "participantId",
          "displayName",
          "externalId",
          "metadata",
          "roleName",
          "numClients",
          "numClientsByRoleName",
          "isDialIn");

  final MutableClock clock = MutableClock.startingNow();
  TestServer server;
  WebhookReceiver receiver;
  String key;
  String secret;
  final List<SignalClient> clients = new ArrayList<>();

  @BeforeEach
  void start() {
    server =
        TestServer.start(
            Map.of(
                "PARLOR_WEBHOOK_ALLOW_PRIVATE", "true",
                "PARLOR_MEETING_GRACE", "PT1M",
                "PARLOR_SESSION_IDLE", "PT30S"),
            clock);
    receiver = WebhookReceiver.start();
    var created = server.newOrganizationWithId("unlimited");
    key = created.apiKey();
    secret =
        server
            .app()
            .webhooks()
            .add(
                created.organization().id(),
                receiver.url("/hooks"),
                Arrays.stream(EventType.values()).map(EventType::wire).toList(),
                Optional.empty())
            .secret();
    server.app().webhookOutbox().refresh();
  }

  @AfterEach
  void stop() {
    clients.forEach(SignalClient::close);
    server.close();
    receiver.close();
  }

  record Room(String meetingId, String name, String hostKey) {}

  Room meeting(String... extra) {
    List<String> members = new ArrayList<>(List.of("\"fields\":[\"hostRoomUrl\"]"));
    members.addAll(List.of(extra));
    ApiClient.Response r =
        server.client().post("/v1/meetings", key, meetingBody(members.toArray(String[]::new)));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    JsonNode j = r.json();
    String url = j.get("roomUrl").asText();
    String host = j.get("hostRoomUrl").asText();
    return new Room(
        j.get("meetingId").asText(),
        url.substring(url.lastIndexOf('/')),
        host.substring(host.indexOf("roomKey=") + 8).split("&")[0]);
  }

  /** A meeting body ending an hour after the test clock's now. */
  String meetingBody(String... extra) {
    StringBuilder sb =
        new StringBuilder("{\"endDate\":\"").append(clock.instant().plus(Duration.ofHours(1)));
    sb.append('"');
    for (String m : extra) {
      sb.append(',').append(m);
    }
    return sb.append('}').toString();
  }

  SignalClient join(Room room, String roomKey, String name, String externalId, String metadata) {
    SignalClient c = SignalClient.connect(server.baseUrl());
    clients.add(c);
    List<Object> kv = new ArrayList<>(List.of("room", room.name(), "displayName", name));
    if (roomKey != null) {
      kv.addAll(List.of("roomKey", roomKey));
    }
    if (externalId != null) {
      kv.addAll(List.of("externalId", externalId));
    }
    if (metadata != null) {
      kv.addAll(List.of("metadata", metadata));
    }
    c.send("join", kv.toArray());
    return c;
  }

  WebhookReceiver.Received await(String type, Predicate<JsonNode> data) {
    return receiver.await(r -> r.type().equals(type) && data.test(r.json().get("data")), WAIT);
  }

  static Predicate<JsonNode> participant(String id) {
    return d -> id.equals(d.path("participantId").asText());
  }

  void assertAllVerifyWithTheNodeSample() {
    List<WebhookReceiver.Received> all = receiver.received();
    List<String> lines =
        all.stream()
            .map(
                r ->
                    WebhookDeliveryTest.verifyLine(secret, r.header("Whereby-Signature"), r.body()))
            .toList();
    assertThat(NodeVerifier.run("signatures", lines)).hasSize(all.size()).containsOnly(true);
    // and every body is what /v1/openapi.json documents under webhooks
    OpenApiValidator doc = OpenApiValidator.fetch(server.client());
    for (WebhookReceiver.Received r : all) {
      assertThat(doc.webhookBodyProblems(r.type(), r.json())).as(r.body()).isEmpty();
    }
  }

  @Test
  void joinsLeavesAndTheSessionTheyMakeAreSentWithTheHostedFieldsAndTheInsightsSessionId() {
    Room room = meeting();
    // Non-ASCII, quotes and a control character: the Node sample must still verify the body.
    SignalClient host = join(room, room.hostKey(), "Hanna Höst 🎉", "crm-42", "vip \"gold\"\ttier");
    String hostId = host.expect("joined").get("selfId").asText();

    JsonNode first = await("room.client.joined", participant(hostId)).json().get("data");
    assertThat(first.properties().stream().map(Map.Entry::getKey).toList())
        .containsExactlyElementsOf(CLIENT_FIELDS);
    assertThat(first.get("meetingId").asText()).isEqualTo(room.meetingId());
    assertThat(first.get("roomName").asText()).isEqualTo(room.name());
    assertThat(first.get("roomSessionId").isNull()).as("no session with one person").isTrue();
    assertThat(first.get("displayName").asText()).isEqualTo("Hanna Höst 🎉");
    assertThat(first.get("externalId").asText()).isEqualTo("crm-42");
    assertThat(first.get("metadata").asText()).isEqualTo("vip \"gold\"\ttier");
    assertThat(first.get("roleName").asText()).isEqualTo("host");
    assertThat(first.get("numClients").asInt()).isEqualTo(1);
    assertThat(first.get("numClientsByRoleName").toString()).isEqualTo("{\"host\":1}");
    assertThat(first.get("isDialIn").asBoolean()).isFalse();

    SignalClient visitor = join(room, null, "Vic", null, null);
    String visitorId = visitor.expect("joined").get("selfId").asText();
    JsonNode second = await("room.client.joined", participant(visitorId)).json().get("data");
    String session = second.get("roomSessionId").asText();
    assertThat(session).matches("[0-9a-f-]{36}");
    assertThat(second.get("roleName").asText()).isEqualTo("visitor");
    assertThat(second.get("externalId").isNull()).isTrue();
    assertThat(second.get("metadata").isNull()).isTrue();
    assertThat(second.get("numClients").asInt()).isEqualTo(2);
    assertThat(second.get("numClientsByRoleName").toString())
        .isEqualTo("{\"host\":1,\"visitor\":1}");
    JsonNode started = await("room.session.started", d -> true).json().get("data");
    assertThat(started.toString())
        .isEqualTo(
            "{\"meetingId\":\""
                + room.meetingId()
                + "\",\"roomName\":\""
                + room.name()
                + "\",\"roomSessionId\":\""
                + session
                + "\"}");

    server.app().roomActivity().flush();
    JsonNode sessions =
        server.client().get("/v1/insights/room-sessions?roomName=" + room.name(), key).json();
    assertThat(sessions.at("/results/0/roomSessionId").asText()).isEqualTo(session);

    visitor.close();
    JsonNode left = await("room.client.left", participant(visitorId)).json().get("data");
    assertThat(left.properties().stream().map(Map.Entry::getKey).toList())
        .containsExactlyElementsOf(CLIENT_FIELDS);
    assertThat(left.get("roomSessionId").asText()).isEqualTo(session);
    assertThat(left.get("roleName").asText()).isEqualTo("visitor");
    assertThat(left.get("displayName").asText()).isEqualTo("Vic");
    assertThat(left.get("numClients").asInt()).isEqualTo(1);
    assertThat(left.get("numClientsByRoleName").toString()).isEqualTo("{\"host\":1}");
    assertThat(receiver.received()).noneMatch(ofType("room.session.ended")::test);

    clock.advance(Duration.ofSeconds(31));
    server.app().roomActivity().tick();
    JsonNode ended = await("room.session.ended", d -> true).json().get("data");
    assertThat(ended.get("roomSessionId").asText()).isEqualTo(session);
    assertThat(ended.get("roomName").asText()).isEqualTo(room.name());

    host.close();
    await("room.client.left", participant(hostId));
    JsonNode lastLeft = await("room.client.left", participant(hostId)).json().get("data");
    assertThat(lastLeft.get("roomSessionId").isNull()).as("the session has ended").isTrue();
    assertThat(lastLeft.get("numClients").asInt()).isZero();
    assertThat(lastLeft.get("numClientsByRoleName").toString()).isEqualTo("{}");

    List<String> ids = receiver.received().stream().map(r -> r.json().get("id").asText()).toList();
    assertThat(ids).doesNotHaveDuplicates().allMatch(i -> i.matches("[0-9a-f]{64}"));
    assertAllVerifyWithTheNodeSample();
  }

  @Test
  void aKnockAndItsCancellationAreSentAndAnAcceptedKnockerJoinsAsGrantedVisitor() {
    Room room = meeting("\"isLocked\":true");
    SignalClient host = join(room, room.hostKey(), "Hanna", null, null);
    host.expect("joined");

    SignalClient nora = join(room, null, "Nora", "ext-nora", "from-the-lobby");
    nora.expectError("room_locked");
    nora.send("knock");
    String noraKnock = host.expect("knock").get("knockId").asText();
    JsonNode knocked = await("room.client.knocked", participant(noraKnock)).json().get("data");
    assertThat(knocked.properties().stream().map(Map.Entry::getKey).toList())
        .containsExactly(
            "meetingId",
            "roomName",
            "roomSessionId",
            "participantId",
            "displayName",
            "externalId",
            "metadata");
    assertThat(knocked.get("displayName").asText()).isEqualTo("Nora");
    assertThat(knocked.get("externalId").asText()).isEqualTo("ext-nora");
    assertThat(knocked.get("metadata").asText()).isEqualTo("from-the-lobby");
    nora.close();
    JsonNode cancelled =
        await("room.client.knockCancelled", participant(noraKnock)).json().get("data");
    assertThat(cancelled.get("displayName").asText()).isEqualTo("Nora");

    SignalClient otto = join(room, null, "Otto", null, null);
    otto.expectError("room_locked");
    otto.send("knock");
    String ottoKnock = host.await("knock").get("knockId").asText();
    host.send("knock_accept", "knockId", ottoKnock);
    otto.await("knock_accepted");
    String ottoId = otto.expect("joined").get("selfId").asText();
    JsonNode joined = await("room.client.joined", participant(ottoId)).json().get("data");
    assertThat(joined.get("roleName").asText()).isEqualTo("granted_visitor");
    assertThat(joined.get("numClientsByRoleName").toString())
        .isEqualTo("{\"granted_visitor\":1,\"host\":1}");
    // accepted, not cancelled
    assertThat(receiver.received())
        .filteredOn(ofType("room.client.knockCancelled"))
        .extracting(r -> r.json().at("/data/participantId").asText())
        .containsExactly(noraKnock);
    assertAllVerifyWithTheNodeSample();
  }

  @Test
  void deletingTheMeetingThroughTheApiSendsALeaveForEveryoneInTheRoom() {
    Room room = meeting();
    SignalClient host = join(room, room.hostKey(), "H", null, null);
    SignalClient guest = join(room, null, "G", null, null);
    String hostId = host.expect("joined").get("selfId").asText();
    String guestId = guest.expect("joined").get("selfId").asText();
    await("room.session.started", d -> room.meetingId().equals(d.path("meetingId").asText()));

    assertThat(server.client().delete("/v1/meetings/" + room.meetingId(), key).status())
        .isEqualTo(204);
    host.await("meeting_ended");
    JsonNode first = await("room.client.left", participant(hostId)).json().get("data");
    JsonNode second = await("room.client.left", participant(guestId)).json().get("data");
    assertThat(List.of(first.get("numClients").asInt(), second.get("numClients").asInt()))
        .containsExactlyInAnyOrder(1, 0);
    assertAllVerifyWithTheNodeSample();
  }

  @Test
  void noRoomEventIsSentAfterTheMeetingsEndPlusGrace() {
    Instant end = clock.instant().plus(Duration.ofMinutes(10));
    ApiClient.Response r =
        server
            .client()
            .post(
                "/v1/meetings", key, "{\"endDate\":\"" + end + "\",\"fields\":[\"hostRoomUrl\"]}");
    JsonNode j = r.json();
    String url = j.get("roomUrl").asText();
    String host = j.get("hostRoomUrl").asText();
    Room room =
        new Room(
            j.get("meetingId").asText(),
            url.substring(url.lastIndexOf('/')),
            host.substring(host.indexOf("roomKey=") + 8).split("&")[0]);
    SignalClient a = join(room, room.hostKey(), "A", null, null);
    SignalClient b = join(room, null, "B", null, null);
    SignalClient c = join(room, null, "C", null, null);
    a.expect("joined");
    String bId = b.expect("joined").get("selfId").asText();
    String cId = c.expect("joined").get("selfId").asText();
    b.close();
    await("room.client.left", participant(bId)); // inside the window: sent

    clock.advance(Duration.ofMinutes(12)); // past the end (10 min) plus the grace (1 min)
    c.close();
    // C's leave reaches A, unless the room server's expiry check ended the room first
    String seen;
    do {
      seen = a.next().path("type").asText();
    } while (!seen.equals("participant_left") && !seen.equals("meeting_ended"));
    try {
      Thread.sleep(1_000);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
    assertThat(receiver.received())
        .filteredOn(ofType("room.client.left"))
        .extracting(x -> x.json().at("/data/participantId").asText())
        .doesNotContain(cId);
  }
}
