package dev.parlor.insights;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/insights/participant}: one element per connection, its samples and events. */
class ParticipantDetailTest extends InsightsHttpTest {

  private JsonNode detail(String session, String participant) {
    return ok(
        "/v1/insights/participant?roomSessionId="
            + session
            + "&"
            + q("participantId", participant));
  }

  private String sessionOf(String room) {
    List<JsonNode> s = sessions(room);
    return s.get(s.size() - 1).get("roomSessionId").asText();
  }

  @Test
  void eachConnectionCarriesItsSamplesAsTimeValuePairsAndItsMediaEvents() {
    String room = createRoom();
    Instant joined = clock.instant();
    join(room, "a1", "alice", Role.HOST);
    join(room, "b1", "bob");
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < 75; i++) {
      advanceSeconds(2);
      times.add(clock.instant().toEpochMilli());
      activity.networkSample("a1", clock.instant(), i * 0.01, 2.5, 1_000_000 + i, 500_000 - i);
      if (i == 10) {
        activity.mediaEvent("a1", MediaEvent.CAMERA_OFF, clock.instant());
      }
      if (i == 20) {
        activity.mediaEvent("a1", MediaEvent.MICROPHONE_OFF, clock.instant());
        activity.mediaEvent("a1", MediaEvent.SCREENSHARE_ON, clock.instant());
      }
    }
    Instant cameraBack = clock.instant();
    activity.mediaEvent("a1", MediaEvent.CAMERA_ON, cameraBack);
    settle();

    JsonNode d = detail(sessionOf(room), "alice");
    assertThat(d).hasSize(1);
    JsonNode c = d.get(0);
    List<String> fields = new ArrayList<>();
    c.fieldNames().forEachRemaining(fields::add);
    assertThat(fields)
        .containsExactly(
            "displayName",
            "userRole",
            "userAgent",
            "timeStamp",
            "sampleRateMs",
            "samples",
            "events");
    assertThat(c.get("displayName").asText()).isEqualTo("Name alice");
    assertThat(c.get("userRole").asText()).isEqualTo("host");
    assertThat(c.get("userAgent").asText()).isEqualTo("Mozilla/5.0 (a1)");
    assertThat(c.get("timeStamp").asText()).isEqualTo(at(joined));
    assertThat(c.get("sampleRateMs").asInt()).isEqualTo(2000);
    JsonNode samples = c.get("samples");
    List<String> series = new ArrayList<>();
    samples.fieldNames().forEachRemaining(series::add);
    assertThat(series)
        .containsExactly("packetLossSend", "packetLossRecv", "bitrateSend", "bitrateRecv");
    for (String s : series) {
      assertThat(samples.get(s)).as(s).hasSize(75);
    }
    for (int i = 0; i < 75; i++) {
      assertThat(samples.get("packetLossSend").get(i).get(0).asLong()).isEqualTo(times.get(i));
      assertThat(samples.get("packetLossSend").get(i).get(1).asDouble())
          .isEqualTo(Math.round(i * 0.01 * 100) / 100.0);
      assertThat(samples.get("packetLossRecv").get(i).get(1).asDouble()).isEqualTo(2.5);
      assertThat(samples.get("bitrateSend").get(i).get(1).asLong()).isEqualTo(1_000_000 + i);
      assertThat(samples.get("bitrateRecv").get(i).get(0).asLong()).isEqualTo(times.get(i));
      assertThat(samples.get("bitrateRecv").get(i).get(1).asLong()).isEqualTo(500_000 - i);
    }
    JsonNode events = c.get("events");
    assertThat(events)
        .extracting(e -> e.get("type").asText())
        .containsExactly("camera_off", "microphone_off", "screenshare_on", "camera_on");
    assertThat(events.get(0).get("timestamp").asText())
        .isEqualTo(at(Instant.ofEpochMilli(times.get(10))));
    assertThat(events.get(3).get("timestamp").asText()).isEqualTo(at(cameraBack));
    assertThat(detail(sessionOf(room), "bob").get(0).get("samples").get("bitrateSend")).isEmpty();
  }

  @Test
  void sampleValuesAreClampedToTheirRangesAndLossIsKeptToAHundredthOfAPercent() {
    String room = createRoom();
    join(room, "a1", "alice");
    join(room, "b1", "bob");
    double[] losses = {150, -3, Double.NaN, 12.3456, 0.004, 0.005};
    for (double loss : losses) {
      advanceSeconds(2);
      activity.networkSample("a1", clock.instant(), loss, loss, -5, Long.MAX_VALUE);
    }
    settle();

    JsonNode s = detail(sessionOf(room), "alice").get(0).get("samples");
    List<Double> sent = new ArrayList<>();
    s.get("packetLossSend").forEach(p -> sent.add(p.get(1).asDouble()));
    assertThat(sent).containsExactly(100.0, 0.0, 0.0, 12.35, 0.0, 0.01);
    assertThat(s.get("bitrateSend").get(0).get(1).asLong()).isZero();
    assertThat(s.get("bitrateRecv").get(0).get(1).asLong()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void aReloadIsASecondElementWithItsOwnSamplesAndEvents() {
    String room = createRoom();
    join(room, "a1", "alice");
    join(room, "b1", "bob");
    advanceSeconds(2);
    activity.networkSample("a1", clock.instant(), 1, 1, 100, 100);
    activity.mediaEvent("a1", MediaEvent.MICROPHONE_ON, clock.instant());
    advanceSeconds(2);
    leave("a1");
    advanceSeconds(1);
    Instant rejoined = clock.instant();
    join(room, "a2", "alice");
    advanceSeconds(2);
    activity.networkSample("a2", clock.instant(), 2, 2, 200, 200);
    activity.networkSample("a2", clock.instant().plusSeconds(2), 3, 3, 300, 300);
    settle();

    JsonNode d = detail(sessionOf(room), "alice");
    assertThat(d).hasSize(2);
    assertThat(d.get(0).get("samples").get("bitrateSend")).hasSize(1);
    assertThat(d.get(0).get("events")).hasSize(1);
    assertThat(d.get(1).get("timeStamp").asText()).isEqualTo(at(rejoined));
    assertThat(d.get(1).get("samples").get("bitrateSend")).hasSize(2);
    assertThat(d.get(1).get("samples").get("bitrateSend").get(0).get(1).asLong()).isEqualTo(200);
    assertThat(d.get(1).get("events")).isEmpty();
  }

  @Test
  void samplesFromBeforeTheSessionStartedBelongToItAndAConnectionInTwoSessionsIsSplitBetweenThem() {
    String room = createRoom();
    join(room, "a1", "alice");
    advanceSeconds(2);
    activity.networkSample("a1", clock.instant(), 0, 0, 1, 1);
    advanceSeconds(10);
    join(room, "b1", "bob");
    advanceSeconds(1);
    activity.networkSample("a1", clock.instant(), 0, 0, 2, 2);
    advanceSeconds(1);
    leave("b1");
    advance(Duration.ofMinutes(2));
    activity.networkSample("a1", clock.instant(), 0, 0, 3, 3);
    activity.mediaEvent("a1", MediaEvent.CAMERA_OFF, clock.instant());
    join(room, "c1", "carol");
    advanceSeconds(2);
    activity.networkSample("a1", clock.instant(), 0, 0, 4, 4);
    settle();

    List<JsonNode> s = sessions(room);
    assertThat(s).hasSize(2);
    List<Long> first = new ArrayList<>();
    detail(s.get(0).get("roomSessionId").asText(), "alice")
        .get(0)
        .get("samples")
        .get("bitrateSend")
        .forEach(p -> first.add(p.get(1).asLong()));
    List<Long> second = new ArrayList<>();
    JsonNode inSecond = detail(s.get(1).get("roomSessionId").asText(), "alice").get(0);
    inSecond.get("samples").get("bitrateSend").forEach(p -> second.add(p.get(1).asLong()));
    assertThat(first).as("from its join to the first session's end").containsExactly(1L, 2L);
    assertThat(second).as("from the first session's end on").containsExactly(3L, 4L);
    assertThat(inSecond.get("events")).hasSize(1);
    assertThat(inSecond.get("timeStamp").asText()).isEqualTo(s.get(0).get("endedAt").asText());
  }

  @Test
  void aPartialChunkOfSamplesIsWrittenOnceItIsAMinuteOldWithoutAnExplicitFlush()
      throws InterruptedException {
    String room = createRoom();
    join(room, "a1", "alice");
    join(room, "b1", "bob");
    activity.flush();
    String session = sessionOf(room);
    for (int i = 0; i < 3; i++) {
      advanceSeconds(2);
      activity.networkSample("a1", clock.instant(), 0, 0, i, i);
    }
    advance(Duration.ofMinutes(1));
    activity.tick();

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (detail(session, "alice").get(0).get("samples").get("bitrateSend").isEmpty()
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(detail(session, "alice").get(0).get("samples").get("bitrateSend")).hasSize(3);
  }

  @Test
  void anUnknownSessionOrParticipantIsAnEmptyArray() {
    String room = createRoom();
    join(room, "a1", "alice");
    join(room, "b1", "bob");
    settle();

    assertThat(detail(sessionOf(room), "nobody")).isEmpty();
    assertThat(detail(java.util.UUID.randomUUID().toString(), "alice")).isEmpty();
    assertThat(detail(sessionOf(room).toUpperCase(), "alice"))
        .as("session ids compare in lower case")
        .hasSize(1);
  }
}
