package dev.parlor.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parlor.testing.ApiClient;
import dev.parlor.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What needs no API key is limited per client address, with the API's own 429. */
class PublicRateLimitTest {
  TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start(Map.of("PARLOR_PUBLIC_RATE_LIMIT", "60"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void oneAddressGetsItsBudgetOfPublicRequestsThenA429WithTheUsualBodyAndRetryAfter() {
    String key = server.newOrganization("unlimited");
    String room =
        server
            .client()
            .post("/v1/meetings", key, ApiClient.meetingBody())
            .json()
            .get("roomName")
            .asText();
    for (int i = 0; i < 30; i++) {
      assertThat(server.client().get(room, null).status()).isEqualTo(200);
      assertThat(server.client().get("/rooms" + room + "/theme.json", null).status())
          .isEqualTo(200);
    }
    ApiClient.Response refused = server.client().get(room, null);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).contains("json"));
    assertThat(refused.json().get("error").asText())
        .isEqualTo("Rate limit active for throttle key: ip:127.0.0.1");
    assertThat(refused.json().at("/data/msLeft").asLong()).isBetween(1L, 60_000L);
    assertThat(refused.header("Retry-After")).isPresent();
    assertThat(server.client().get("/recordings/x/file?expires=1&signature=y", null).status())
        .isEqualTo(429);

    // health checks, metrics and the API are not counted against it
    assertThat(server.client().get("/healthz", null).status()).isEqualTo(200);
    assertThat(server.client().get("/readyz", null).status()).isEqualTo(200);
    assertThat(server.client().get("/metrics", null).body())
        .contains("parlor_ratelimit_rejections_total{limit=\"public\"");
    assertThat(server.client().get("/v1/meetings", key).status()).isEqualTo(200);
  }
}
