package dev.parlor.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parlor.insights.RoomActivity;
import dev.parlor.testing.ApiClient;
import dev.parlor.testing.MutableClock;
import dev.parlor.testing.SignalClient;
import dev.parlor.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real room connections (the signaling WebSocket, no browser) become insights. */
class SignalingFeedsInsightsTest {
  MutableClock clock = new MutableClock(Instant.parse("2030-07-01T09:00:00Z"));
  TestServer server;
  RoomActivity activity;
  String key;
  final List<SignalClient> clients = new ArrayList<>();

  @BeforeEach
  void start() {
    server = TestServer.start(Map.of(), clock);
    activity = server.app().roomActivity();
    key = server.newOrganization("unlimited");
  }

  @AfterEach
  void stop() {
    clients.forEach(SignalClient::close);
    server.close();
  }

  private SignalClient join(String room, String roomKey, String name) {
    SignalClient c = SignalClient.join(server.baseUrl(), room, roomKey, name);
    clients.add(c);
    c.expect("joined");
    return c;
  }

  /** Flushes and reads {@code path} until {@code done} holds (observers run asynchronously). */
  private JsonNode until(String path, Predicate<JsonNode> done) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    JsonNode last;
    do {
      activity.tick();
      activity.flush();
      ApiClient.Response r = server.client().get(path, key);
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      last = r.json();
      if (done.test(last)) {
        return last;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    } while (System.nanoTime() < deadline);
    throw new AssertionError(path + " never got there: " + last);
  }

  @Test
  void aHostAndAVisitorInARoomPageAreASessionWithTheirSamplesAndMediaEvents() {
    JsonNode m =
        server
            .client()
            .post(
                "/v1/meetings",
                key,
                "{\"endDate\":\"2030-07-02T00:00:00Z\",\"fields\":[\"hostRoomUrl\"]}")
            .json();
    String room = m.get("roomName").asText();
    String hostUrl = m.get("hostRoomUrl").asText();
    String hostKey = hostUrl.substring(hostUrl.indexOf("roomKey=") + 8);
    String sessions =
        "/v1/insights/room-sessions?roomName=" + URLEncoder.encode(room, StandardCharsets.UTF_8);

    SignalClient host = join(room, hostKey, "Hanna Host");
    SignalClient visitor = join(room, null, "Vic");
    String session =
        until(sessions, j -> j.get("results").size() == 1).at("/results/0/roomSessionId").asText();
    String people = "/v1/insights/participants?roomSessionId=" + session;
    until(people, j -> j.get("results").size() == 2);

    clock.advance(Duration.ofSeconds(90));
    visitor.send(
        "stats",
        "packetLossSendPct",
        1.5,
        "packetLossRecvPct",
        0.25,
        "bitrateSendBps",
        250000,
        "bitrateRecvBps",
        240000);
    visitor.send("media_state", "audio", false, "video", true);
    host.await("participant_updated");
    JsonNode vic = until(people, j -> j.get("results").size() == 2).get("results").get(1);
    assertThat(vic.get("displayName").asText()).isEqualTo("Vic");
    assertThat(vic.get("roleName").asText()).isEqualTo("visitor");
    String detail =
        "/v1/insights/participant?roomSessionId="
            + session
            + "&participantId="
            + vic.get("participantId").asText();
    JsonNode d =
        until(
            detail,
            j ->
                j.size() == 1
                    && j.at("/0/samples/bitrateSend").size() == 1
                    && j.at("/0/events").size() == 1);
    assertThat(d.at("/0/samples/packetLossSend/0/1").asDouble()).isEqualTo(1.5);
    assertThat(d.at("/0/samples/bitrateRecv/0/1").asLong()).isEqualTo(240000);
    assertThat(d.at("/0/events/0/type").asText()).isEqualTo("microphone_off");
    assertThat(d.at("/0/userRole").asText()).isEqualTo("visitor");

    visitor.send("leave");
    visitor.expectClosed();
    host.send("leave");
    host.expectClosed();
    until(people, j -> !j.at("/results/1/leftAt").isNull());
    clock.advance(Duration.ofMinutes(2));
    JsonNode ended = until(sessions, j -> !j.at("/results/0/endedAt").isNull());
    assertThat(ended.at("/results/0/totalParticipantMinutes").asInt()).isEqualTo(4);
    assertThat(ended.at("/results/0/totalUniqueParticipants").asInt()).isEqualTo(2);
  }
}
