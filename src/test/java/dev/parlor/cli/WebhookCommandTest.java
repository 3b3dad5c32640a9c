package dev.parlor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parlor.testing.AdminDatabase;
import dev.parlor.testing.NodeVerifier;
import dev.parlor.testing.ParlorProcess;
import dev.parlor.testing.ParlorProcess.Result;
import dev.parlor.testing.WebhookReceiver;
import dev.parlor.webhooks.StringifyJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parlor webhook ...} as separate processes beside a running server that delivers. */
class WebhookCommandTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir static Path dataDir;
  @TempDir static Path files;
  static Map<String, String> env;
  static ParlorProcess server;
  static WebhookReceiver receiver;
  static String org;

  @BeforeAll
  static void startServer() {
    env =
        ParlorProcess.env(
            dataDir,
            "PARLOR_WEBHOOK_ALLOW_PRIVATE",
            "true",
            "PARLOR_WEBHOOK_RETRY_BASE",
            "PT0.2S",
            "PARLOR_WEBHOOK_MAX_ATTEMPTS",
            "2");
    server = ParlorProcess.serve(env);
    receiver = WebhookReceiver.start();
    try (AdminDatabase admin = AdminDatabase.open(dataDir)) {
      org = Long.toString(admin.newOrganization("unlimited").organization().id());
    }
  }

  @AfterAll
  static void stopServer() {
    server.close();
    receiver.close();
  }

  static Result ok(Map<String, String> e, String... args) {
    Result r = ParlorProcess.run(e, args);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }

  /** {@code webhook add} for the test organization, with the environment {@code e}. */
  static Result add(Map<String, String> e, String url, String events, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("webhook", "add", "--org", org, "--url", url, "--events", events));
    args.addAll(List.of(more));
    return ParlorProcess.run(e, args.toArray(String[]::new));
  }

  static JsonNode json(Result r) {
    assertThat(r.stdoutLines()).as("exactly one line of JSON").hasSize(1);
    try {
      return MAPPER.readTree(r.stdout());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + r.stdout(), e);
    }
  }

  @Test
  void anEndpointAddedByTheCliReceivesARecordingImportedByTheCliFromTheRunningServer()
      throws IOException {
    JsonNode added =
        json(
            ok(
                env,
                "webhook",
                "add",
                "--org",
                org,
                "--url",
                receiver.url("/cli"),
                "--events",
                "recording.finished,room.client.joined",
                "--json"));
    String id = added.get("endpointId").asText();
    String secret = added.get("secret").asText();
    assertThat(secret).startsWith("whsec_").hasSizeGreaterThan(40);
    assertThat(added.get("events").toString())
        .isEqualTo("[\"recording.finished\",\"room.client.joined\"]");
    assertThat(added.get("url").asText()).isEqualTo(receiver.url("/cli"));

    Result list = ok(env, "webhook", "list", "--org", org, "--json");
    assertThat(list.stdout()).doesNotContain(secret);
    assertThat(json(list).findValuesAsText("endpointId")).contains(id);

    Path media = files.resolve("standup.webm");
    try (InputStream in = getClass().getResourceAsStream("/media/tiny.webm")) {
      Files.copy(in, media);
    }
    JsonNode rec =
        json(
            ok(
                env,
                "recording",
                "import",
                "--org",
                org,
                "--room",
                "/cli-standup",
                "--file",
                media.toString(),
                "--json"));

    WebhookReceiver.Received got =
        receiver.await(
            r -> r.path().equals("/cli") && r.type().equals("recording.finished"),
            Duration.ofSeconds(15));
    assertThat(got.json().at("/data/recordingId").asText())
        .isEqualTo(rec.get("recordingId").asText());
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("secret", secret);
    line.put("signature", got.header("Whereby-Signature"));
    line.put("body", got.body());
    assertThat(NodeVerifier.run("signatures", List.of(StringifyJson.write(line))))
        .containsExactly(true);

    JsonNode deliveries =
        json(ok(env, "webhook", "deliveries", "--org", org, "--endpoint", id, "--json"));
    assertThat(deliveries).hasSize(1);
    assertThat(deliveries.get(0).get("type").asText()).isEqualTo("recording.finished");
    assertThat(deliveries.get(0).get("eventId").asText()).isEqualTo(got.json().get("id").asText());
    assertThat(deliveries.get(0).get("attempts").asInt()).isEqualTo(1);
    // the server may still be writing the outcome
    long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!deliveries.get(0).get("status").asText().equals("delivered")
        && System.nanoTime() < end) {
      deliveries = json(ok(env, "webhook", "deliveries", "--org", org, "--endpoint", id, "--json"));
    }
    assertThat(deliveries.get(0).get("status").asText()).isEqualTo("delivered");
    assertThat(deliveries.get(0).get("lastStatusCode").asInt()).isEqualTo(200);
  }

  @Test
  void aGivenSecretIsUsedAndRemovingTwiceSaysSoAndListShowsItRemoved() {
    Result add =
        ok(
            env,
            "webhook",
            "add",
            "--org",
            org,
            "--url",
            receiver.url("/given"),
            "--events",
            "room.session.started",
            "--secret",
            "my-own-secret-0123456789");
    assertThat(add.stdout()).contains("Signing secret (shown once): my-own-secret-0123456789");
    String id = add.stdout().replaceAll("(?s)^Webhook endpoint (\\d+) .*", "$1");

    assertThat(ok(env, "webhook", "remove", id).stdout())
        .isEqualTo("Removed webhook endpoint " + id + "\n");
    assertThat(ok(env, "webhook", "remove", id).stdout())
        .isEqualTo("Webhook endpoint " + id + " was already removed\n");
    assertThat(ok(env, "webhook", "list", "--org", org).stdout())
        .containsPattern(
            id
                + "\t"
                + java.util.regex.Pattern.quote(receiver.url("/given"))
                + "\t"
                + "room.session.started\tremoved ");
  }

  @Test
  void badUrlsUnknownEventsAndUnknownOrganizationsExitWithAClearMessage() {
    Map<String, String> strict = ParlorProcess.env(dataDir);
    Result loopback = add(strict, "http://127.0.0.1:9/x", "room.client.joined");
    assertThat(loopback.exitCode()).isEqualTo(2);
    assertThat(loopback.stderr()).contains("PARLOR_WEBHOOK_ALLOW_PRIVATE");
    assertThat(loopback.stdout()).isEmpty();

    Result metadata = add(strict, "http://169.254.169.254/latest/meta-data", "room.client.joined");
    assertThat(metadata.exitCode()).isEqualTo(2);
    assertThat(metadata.stderr()).contains("169.254.169.254");

    Result ftp = add(env, "ftp://example.com/x", "room.client.joined");
    assertThat(ftp.exitCode()).isEqualTo(2);
    assertThat(ftp.stderr()).contains("only http and https");

    Result event = add(env, receiver.url("/x"), "room.client.joined,room.exploded");
    assertThat(event.exitCode()).isEqualTo(2);
    assertThat(event.stderr()).contains("unknown event type 'room.exploded'", "recording.finished");

    Result noOrg = ParlorProcess.run(env, "webhook", "deliveries", "--org", "987654321");
    assertThat(noOrg.exitCode()).isEqualTo(2);
    assertThat(noOrg.stderr()).contains("no organization 987654321");

    Result noEndpoint = ParlorProcess.run(env, "webhook", "remove", "987654321");
    assertThat(noEndpoint.exitCode()).isEqualTo(2);
    assertThat(noEndpoint.stderr()).contains("no webhook endpoint 987654321");
  }
}
