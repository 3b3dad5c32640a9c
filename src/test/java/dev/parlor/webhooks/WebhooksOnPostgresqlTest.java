package dev.parlor.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parlor.testing.TestDatabases;
import dev.parlor.testing.TestServer;
import dev.parlor.testing.WebhookReceiver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server on PostgreSQL (where the dispatcher has its own writer) delivers and retries too. */
class WebhooksOnPostgresqlTest {
  static String url;
  static TestServer server;
  static WebhookReceiver receiver;
  static long org;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    url = TestDatabases.postgresUrl();
    server =
        TestServer.start(
            Map.of(
                "PARLOR_DATABASE_URL", url,
                "PARLOR_WEBHOOK_ALLOW_PRIVATE", "true",
                "PARLOR_WEBHOOK_RETRY_BASE", "PT0.2S"));
    receiver = WebhookReceiver.start();
    org = server.newOrganizationWithId("unlimited").organization().id();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (receiver != null) {
      receiver.close();
    }
    TestDatabases.release(url);
  }

  @Test
  void recordingsAreDeliveredAfterAServerErrorWithTheSameEventId() throws IOException {
    receiver.answer(n -> n == 1 ? 502 : 200);
    server
        .app()
        .webhooks()
        .add(org, receiver.url("/pg"), List.of("recording.finished"), Optional.empty());
    server.app().webhookOutbox().refresh();
    Path f = Files.createTempFile(tmp, "rec", ".webm");
    Files.write(f, new byte[] {0x1a, 0x45, (byte) 0xdf, (byte) 0xa3});
    for (int i = 0; i < 20; i++) {
      server
          .app()
          .recordings()
          .importFile(
              org,
              "/pg-room-" + i,
              Optional.empty(),
              Optional.of(Instant.parse("2030-01-01T10:00:00Z")),
              Optional.empty(),
              f);
    }
    List<WebhookReceiver.Received> got =
        receiver.awaitCount(r -> r.path().equals("/pg"), 21, Duration.ofSeconds(15));
    assertThat(got.stream().map(r -> r.json().get("id").asText()).distinct()).hasSize(20);
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<Delivery> d = server.app().webhooks().deliveries(org, OptionalLong.empty(), 100);
    while (d.stream().anyMatch(x -> x.status() != Delivery.Status.DELIVERED)
        && System.nanoTime() < end) {
      d = server.app().webhooks().deliveries(org, OptionalLong.empty(), 100);
    }
    assertThat(d).hasSize(20).allMatch(x -> x.status() == Delivery.Status.DELIVERED);
    assertThat(d.stream().mapToInt(Delivery::attempts).sum()).isEqualTo(21);
  }
}
