package dev.parlor.webhooks;

import static dev.parlor.testing.WebhookReceiver.ofType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parlor.App;
import dev.parlor.config.AppConfig;
import dev.parlor.orgs.OrganizationService;
import dev.parlor.testing.NodeVerifier;
import dev.parlor.testing.TestServer;
import dev.parlor.testing.WebhookReceiver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delivery from the outbox to real HTTP receivers: signing, retries, isolation, restarts. */
class WebhookDeliveryTest {
  static final Map<String, String> ENV =
      Map.of(
          "PARLOR_WEBHOOK_ALLOW_PRIVATE", "true",
          "PARLOR_WEBHOOK_RETRY_BASE", "PT0.2S",
          "PARLOR_WEBHOOK_TIMEOUT", "PT1S",
          "PARLOR_WEBHOOK_MAX_ATTEMPTS", "4");
  static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path tmp;
  TestServer server;
  WebhookReceiver receiver;
  long org;

  @BeforeEach
  void start() {
    server = TestServer.start(ENV);
    receiver = WebhookReceiver.start();
    org = server.newOrganizationWithId("unlimited").organization().id();
  }

  @AfterEach
  void stop() {
    server.close();
    receiver.close();
  }

  WebhookService.Added subscribe(long organization, String path) {
    WebhookService.Added a =
        server
            .app()
            .webhooks()
            .add(organization, receiver.url(path), List.of("recording.finished"), Optional.empty());
    server.app().webhookOutbox().refresh();
    return a;
  }

  String importRecording(App app, long organization, String room) {
    try {
      Path f = Files.createTempFile(tmp, "rec", ".mp4");
      Files.write(f, new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p'});
      return app.recordings()
          .importFile(
              organization,
              room,
              Optional.of("session-1"),
              Optional.of(Instant.parse("2030-01-01T10:00:00Z")),
              Optional.of(Instant.parse("2030-01-01T10:30:00Z")),
              f)
          .recordingId();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  List<Delivery> deliveries(long organization) {
    return server.app().webhooks().deliveries(organization, OptionalLong.empty(), 100);
  }

  Delivery awaitFinished(long organization) {
    long end = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < end) {
      List<Delivery> d = deliveries(organization);
      if (!d.isEmpty() && d.getFirst().status() != Delivery.Status.PENDING) {
        return d.getFirst();
      }
      sleep(20);
    }
    throw new AssertionError("still pending: " + deliveries(organization));
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aFinishedRecordingIsPostedInTheHostedEnvelopeSignedSoTheNodeSampleVerifiesIt() {
    WebhookService.Added endpoint = subscribe(org, "/hooks/whereby");
    String recordingId = importRecording(server.app(), org, "/team-standup");

    WebhookReceiver.Received r = receiver.await(ofType("recording.finished"), WAIT);
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/hooks/whereby");
    assertThat(r.header("Content-Type")).isEqualTo("application/json");
    JsonNode body = r.json();
    assertThat(body.get("id").asText()).matches("[0-9a-f]{64}");
    assertThat(body.get("apiVersion").asText()).isEqualTo("1.0");
    assertThat(body.get("createdAt").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(body.get("type").asText()).isEqualTo("recording.finished");
    JsonNode data = body.get("data");
    assertThat(data.properties().stream().map(Map.Entry::getKey).toList())
        .containsExactly("recordingId", "roomName", "roomSessionId", "filename", "status");
    assertThat(data.get("recordingId").asText()).isEqualTo(recordingId);
    assertThat(data.get("roomName").asText()).isEqualTo("/team-standup");
    assertThat(data.get("roomSessionId").asText()).isEqualTo("session-1");
    assertThat(data.get("filename").asText())
        .isEqualTo("team-standup-2030-01-01T10:00:00.000Z.mp4");
    assertThat(data.get("status").asText()).isEqualTo("completed");
    // The body is compact, exactly as JSON.stringify writes it.
    assertThat(r.body()).doesNotContain(" ").startsWith("{\"id\":\"");

    String signature = r.header("Whereby-Signature");
    assertThat(signature).matches("t=\\d+,v1=[0-9a-f]{64}");
    long t = Long.parseLong(signature.substring(2, signature.indexOf(',')));
    assertThat(Math.abs(t - Instant.now().getEpochSecond())).isLessThan(30);
    assertThat(signature)
        .isEqualTo(WebhookSignature.header(endpoint.secret(), t, r.body()))
        .isNotEqualTo(WebhookSignature.header("some-other-secret-value", t, r.body()));
    assertThat(
            NodeVerifier.run(
                "signatures",
                List.of(
                    verifyLine(endpoint.secret(), signature, r.body()),
                    verifyLine("some-other-secret-value", signature, r.body()),
                    verifyLine(endpoint.secret(), signature, r.body().replace("team", "tean")))))
        .containsExactly(true, false, false);

    dev.parlor.openapi.OpenApiValidator doc =
        dev.parlor.openapi.OpenApiValidator.fetch(server.client());
    assertThat(doc.webhookBodyProblems("recording.finished", body)).isEmpty();
    com.fasterxml.jackson.databind.node.ObjectNode extra = body.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) extra.get("data")).put("surprise", 1);
    assertThat(doc.webhookBodyProblems("recording.finished", extra)).isNotEmpty();
    assertThat(doc.webhookBodyProblems("room.client.joined", body)).isNotEmpty();

    Delivery d = awaitFinished(org);
    assertThat(d.status()).isEqualTo(Delivery.Status.DELIVERED);
    assertThat(d.attempts()).isEqualTo(1);
    assertThat(d.eventId()).isEqualTo(body.get("id").asText());
    assertThat(d.lastStatusCode()).hasValue(200);
    String metrics = server.client().get("/metrics", null).body();
    assertThat(metrics)
        .contains("parlor_webhook_pending 0.0")
        .contains("parlor_webhook_attempts_total{outcome=\"delivered\"} 1.0");
  }

  static String verifyLine(String secret, String signature, String body) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("secret", secret);
    m.put("signature", signature);
    m.put("body", body);
    return StringifyJson.write(m);
  }

  @Test
  void aServerErrorIsRetriedWithBackoffKeepingTheIdAndBodyAndSigningEachAttemptAfresh() {
    receiver.answer(n -> n <= 2 ? 503 : 204);
    subscribe(org, "/h");
    importRecording(server.app(), org, "/retry-room");

    List<WebhookReceiver.Received> all = receiver.awaitCount(r -> true, 3, WAIT);
    assertThat(all).extracting(WebhookReceiver.Received::body).containsOnly(all.get(0).body());
    Delivery d = awaitFinished(org);
    assertThat(d.status()).isEqualTo(Delivery.Status.DELIVERED);
    assertThat(d.attempts()).isEqualTo(3);
    // base 0.2 s, doubling: at least 0.2 s, then at least 0.4 s between attempts
    assertThat(Duration.between(all.get(0).at(), all.get(1).at())).isGreaterThan(ms(190));
    assertThat(Duration.between(all.get(1).at(), all.get(2).at())).isGreaterThan(ms(390));
    sleep(1_000);
    assertThat(receiver.received()).hasSize(3);
  }

  static Duration ms(long n) {
    return Duration.ofMillis(n);
  }

  @Test
  void noAnswerWithinTheTimeoutIsRetried() {
    receiver.delay(Duration.ofMillis(1_500));
    subscribe(org, "/slow");
    importRecording(server.app(), org, "/slow-room");

    receiver.awaitCount(r -> true, 2, WAIT);
    receiver.delay(Duration.ZERO);
    long end = System.nanoTime() + WAIT.toNanos();
    Delivery d = deliveries(org).getFirst();
    while (d.status() == Delivery.Status.PENDING && System.nanoTime() < end) {
      sleep(50);
      d = deliveries(org).getFirst();
    }
    assertThat(d.status()).isEqualTo(Delivery.Status.DELIVERED);
    assertThat(d.attempts()).isGreaterThanOrEqualTo(2);
    assertThat(receiver.received())
        .allMatch(r -> r.body().equals(receiver.received().get(0).body()));
  }

  @Test
  void aTimeoutIsRecordedAsTheLastErrorWhileRetrying() {
    receiver.delay(Duration.ofSeconds(3));
    subscribe(org, "/slow");
    importRecording(server.app(), org, "/slow-room");
    long end = System.nanoTime() + WAIT.toNanos();
    while (deliveries(org).getFirst().attempts() == 0 && System.nanoTime() < end) {
      sleep(50);
    }
    Delivery d = deliveries(org).getFirst();
    assertThat(d.status()).isEqualTo(Delivery.Status.PENDING);
    assertThat(d.lastError()).hasValueSatisfying(e -> assertThat(e).contains("no answer within"));
    assertThat(d.lastStatusCode()).isEmpty();
  }

  @Test
  void aClientErrorIsFinalAndNotRetried() {
    receiver.answer(n -> 410);
    subscribe(org, "/gone");
    importRecording(server.app(), org, "/gone-room");

    Delivery d = awaitFinished(org);
    assertThat(d.status()).isEqualTo(Delivery.Status.FAILED);
    assertThat(d.attempts()).isEqualTo(1);
    assertThat(d.lastStatusCode()).hasValue(410);
    assertThat(d.lastError()).hasValue("HTTP 410");
    sleep(1_500); // longer than the first two backoffs together
    assertThat(receiver.received()).hasSize(1);
  }

  @Test
  void aRedirectIsNotFollowedAndIsFinal() {
    receiver.answer(n -> 302);
    subscribe(org, "/moved");
    importRecording(server.app(), org, "/moved-room");
    Delivery d = awaitFinished(org);
    assertThat(d.status()).isEqualTo(Delivery.Status.FAILED);
    assertThat(d.lastStatusCode()).hasValue(302);
    assertThat(receiver.received()).hasSize(1);
  }

  @Test
  void aDeliveryIsGivenUpWhenItsAttemptsRunOut() {
    receiver.answer(n -> 500);
    subscribe(org, "/broken");
    importRecording(server.app(), org, "/broken-room");

    Delivery d = awaitFinished(org);
    assertThat(d.status()).isEqualTo(Delivery.Status.FAILED);
    assertThat(d.attempts()).isEqualTo(4);
    assertThat(d.lastStatusCode()).hasValue(500);
    assertThat(receiver.received()).hasSize(4);
  }

  @Test
  void aNetworkErrorIsRetried() throws IOException {
    int deadPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    server
        .app()
        .webhooks()
        .add(
            org,
            "http://127.0.0.1:" + deadPort + "/nobody",
            List.of("recording.finished"),
            Optional.empty());
    server.app().webhookOutbox().refresh();
    importRecording(server.app(), org, "/dead-room");
    Delivery d = awaitFinished(org);
    assertThat(d.status()).isEqualTo(Delivery.Status.FAILED);
    assertThat(d.attempts()).isEqualTo(4);
    assertThat(d.lastError()).hasValueSatisfying(e -> assertThat(e).startsWith("network error"));
  }

  @Test
  void aHangingEndpointDelaysNeitherAnotherEndpointNorTheCallThatCausedTheEvents() {
    // A timeout far longer than the wait below: if the hanging endpoint's attempts held up the
    // live one, nothing could reach the live endpoint before they time out.
    Map<String, String> env = new HashMap<>(ENV);
    env.put("PARLOR_WEBHOOK_TIMEOUT", "PT60S");
    try (TestServer patient = TestServer.start(env);
        WebhookReceiver live = WebhookReceiver.start()) {
      long o = patient.newOrganizationWithId("unlimited").organization().id();
      receiver.delay(Duration.ofSeconds(90)); // accepts, never answers
      patient
          .app()
          .webhooks()
          .add(o, receiver.url("/hangs"), List.of("recording.finished"), Optional.empty());
      patient
          .app()
          .webhooks()
          .add(o, live.url("/live"), List.of("recording.finished"), Optional.empty());
      patient.app().webhookOutbox().refresh();

      int events = 40; // more than the hanging endpoint's 16 concurrent attempts
      for (int i = 0; i < events; i++) {
        importRecording(patient.app(), o, "/busy-" + i);
      }
      List<WebhookReceiver.Received> got = live.awaitCount(r -> true, events, WAIT);
      assertThat(got.stream().map(r -> r.json().get("id").asText()).distinct()).hasSize(events);
      // the hanging endpoint holds its own share of 16 attempts, all still unanswered
      long end = System.nanoTime() + WAIT.toNanos();
      while (patient.app().webhookDispatcher().inFlight() < 16 && System.nanoTime() < end) {
        sleep(20);
      }
      assertThat(patient.app().webhookDispatcher().inFlight()).isEqualTo(16);
      assertThat(receiver.received()).hasSize(16);
    }
  }

  @Test
  void removingAnEndpointCancelsItsPendingDeliveries() {
    receiver.answer(n -> 503);
    WebhookService.Added a = subscribe(org, "/soon-gone");
    importRecording(server.app(), org, "/cancel-room");
    receiver.awaitCount(r -> true, 1, WAIT);
    assertThat(server.app().webhooks().remove(a.endpoint().id())).isTrue();
    assertThat(server.app().webhooks().remove(a.endpoint().id())).isFalse();
    assertThat(deliveries(org).getFirst().status()).isEqualTo(Delivery.Status.CANCELLED);
    int seen = receiver.received().size();
    sleep(1_000);
    assertThat(receiver.received()).hasSize(seen);
    assertThat(server.app().webhooks().list(org).getFirst().removedAt()).isPresent();
  }

  @Test
  void anOrganizationsEventsReachOnlyItsOwnEndpoints() {
    long other = server.newOrganizationWithId("unlimited").organization().id();
    subscribe(org, "/mine");
    subscribe(other, "/theirs");
    importRecording(server.app(), org, "/private-room");
    receiver.await(r -> r.path().equals("/mine"), WAIT);
    sleep(500);
    assertThat(receiver.received("/theirs")).isEmpty();
    assertThat(deliveries(other)).isEmpty();
  }

  @Test
  void eventsNobodySubscribedToAreNotStored() {
    server
        .app()
        .webhooks()
        .add(org, receiver.url("/rooms-only"), List.of("room.client.joined"), Optional.empty());
    server.app().webhookOutbox().refresh();
    importRecording(server.app(), org, "/unwatched");
    sleep(500);
    assertThat(receiver.received()).isEmpty();
    assertThat(deliveries(org)).isEmpty();
  }

  @Test
  void anEndpointWhoseHostTurnsPrivateIsRefusedAtDeliveryWhenPrivateAddressesAreNotAllowed() {
    // An endpoint stored while its name was public, now resolving to 127.0.0.1 (DNS rebinding).
    try (TestServer strict = TestServer.start(Map.of("PARLOR_WEBHOOK_RETRY_BASE", "PT0.2S"))) {
      long o = strict.newOrganizationWithId("unlimited").organization().id();
      SqlWebhookStore store =
          new SqlWebhookStore(
              strict.app().database().jdbi(),
              new dev.parlor.db.WriteBatcher(strict.app().database().jdbi()));
      byte[] secret = dev.parlor.config.Secrets.load(strict.app().config());
      store.insertEndpoint(
          new WebhookEndpoint(
              9_000_001L,
              o,
              receiver.url("/rebound"),
              java.util.Set.of(EventType.RECORDING_FINISHED),
              Instant.now(),
              Optional.empty()),
          new SecretBox(secret).seal("a-secret-of-enough-length"));
      strict.app().webhookOutbox().refresh();
      importRecording(strict.app(), o, "/rebound-room");
      long end = System.nanoTime() + WAIT.toNanos();
      List<Delivery> d = strict.app().webhooks().deliveries(o, OptionalLong.empty(), 10);
      while ((d.isEmpty() || d.getFirst().status() == Delivery.Status.PENDING)
          && System.nanoTime() < end) {
        sleep(20);
        d = strict.app().webhooks().deliveries(o, OptionalLong.empty(), 10);
      }
      assertThat(d.getFirst().status()).isEqualTo(Delivery.Status.FAILED);
      assertThat(d.getFirst().lastError())
          .hasValueSatisfying(e -> assertThat(e).startsWith("refused: ").contains("127.0.0.1"));
      assertThat(receiver.received()).isEmpty();
    }
  }

  @Test
  void addingAPrivateUrlIsRefusedUnlessAllowed() {
    try (TestServer strict = TestServer.start(Map.of())) {
      long o = strict.newOrganizationWithId("unlimited").organization().id();
      assertThatThrownBy(
              () ->
                  strict
                      .app()
                      .webhooks()
                      .add(o, receiver.url("/x"), List.of("room.client.joined"), Optional.empty()))
          .isInstanceOf(UrlGuard.Refused.class)
          .hasMessageContaining("127.0.0.1");
      assertThat(strict.app().webhooks().list(o)).isEmpty();
    }
  }

  @Test
  void undeliveredEventsAreSentAfterARestartWithTheSameIdAndBody() {
    Path dataDir = tmp.resolve("restart");
    Map<String, String> env = new HashMap<>(ENV);
    env.put("PARLOR_HOST", "127.0.0.1");
    env.put("PARLOR_PORT", "0");
    env.put("PARLOR_DATA_DIR", dataDir.toString());
    env.put("PARLOR_ACCESS_LOG", "false");
    env.put("PARLOR_WEBHOOK_RETRY_BASE", "PT0.5S");
    receiver.answer(n -> 503);
    long o;
    List<String> bodies = new ArrayList<>();
    try (App first = App.create(AppConfig.from(env), Clock.systemUTC()).start()) {
      OrganizationService.Created c =
          first.organizations().create("restart-org", dev.parlor.orgs.Plan.parse("unlimited"));
      o = c.organization().id();
      first
          .webhooks()
          .add(o, receiver.url("/after-restart"), List.of("recording.finished"), Optional.empty());
      first.webhookOutbox().refresh();
      importRecording(first, o, "/restart-room");
      receiver.awaitCount(r -> true, 1, WAIT);
    }
    int before = receiver.received().size();
    bodies.add(receiver.received().getFirst().body());
    sleep(700);
    assertThat(receiver.received()).as("nothing is sent while stopped").hasSize(before);

    receiver.answer(n -> 200);
    try (App second = App.create(AppConfig.from(env), Clock.systemUTC()).start()) {
      List<WebhookReceiver.Received> got =
          receiver.awaitCount(r -> true, before + 1, Duration.ofSeconds(15));
      assertThat(got.getLast().body()).isEqualTo(bodies.getFirst());
      long end = System.nanoTime() + WAIT.toNanos();
      Delivery d = second.webhooks().deliveries(o, OptionalLong.empty(), 1).getFirst();
      while (d.status() == Delivery.Status.PENDING && System.nanoTime() < end) {
        sleep(20);
        d = second.webhooks().deliveries(o, OptionalLong.empty(), 1).getFirst();
      }
      assertThat(d.status()).isEqualTo(Delivery.Status.DELIVERED);
      assertThat(d.attempts()).isEqualTo(before + 1);
    }
  }
}
