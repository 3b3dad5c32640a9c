package dev.parlor.recordings;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parlor.orgs.OrganizationService;
import dev.parlor.testing.ApiClient;
import dev.parlor.testing.ApiClient.Response;
import dev.parlor.testing.TestDatabases;
import dev.parlor.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The recordings API with the server on PostgreSQL: the same behaviour as on SQLite. */
class RecordingsOnPostgresqlTest {
  static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

  static String url;
  static TestServer server;
  static ApiClient api;
  static long org;
  static String key;

  @BeforeAll
  static void start() {
    url = TestDatabases.postgresUrl();
    server = TestServer.start(Map.of("PARLOR_DATABASE_URL", url));
    api = server.client();
    OrganizationService.Created c = server.newOrganizationWithId("unlimited");
    org = c.organization().id();
    key = c.apiKey();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    TestDatabases.release(url);
  }

  @Test
  void everySortOrderPagesThroughEveryRecordingExactlyOnce() {
    List<String> all = new ArrayList<>();
    String[] rooms = {"/pg-a", "/pg-b", "/pg-c"};
    for (int i = 0; i < 12; i++) {
      all.add(
          RecordingFixtures.add(
                  server, org, rooms[i % 3], T0.plusSeconds(i % 4), Duration.ofSeconds(i % 5), 10)
              .recordingId());
    }
    for (String sortBy :
        List.of(
            "roomName:asc",
            "roomName:desc",
            "startDate:asc",
            "startDate:desc",
            "duration:asc",
            "duration:desc",
            "sizeInMegaBytes:asc",
            "sizeInMegaBytes:desc")) {
      List<String> seen = new ArrayList<>();
      String cursor = null;
      do {
        Response page =
            api.get(
                "/v1/recordings?limit=5&sortBy="
                    + sortBy
                    + (cursor == null ? "" : "&cursor=" + cursor),
                key);
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        page.json().get("results").forEach(r -> seen.add(r.get("recordingId").asText()));
        JsonNode c = page.json().get("cursor");
        cursor = c.isNull() ? null : c.asText();
      } while (cursor != null);
      assertThat(seen).as(sortBy).containsExactlyInAnyOrderElementsOf(all).doesNotHaveDuplicates();
    }
  }

  @Test
  void aRecordingIsReadLinkedDownloadedAndBulkDeleted() throws InterruptedException {
    Recording r = RecordingFixtures.add(server, org, "/pg-file", T0, Duration.ofMinutes(1), 64);
    assertThat(api.get("/v1/recordings/" + r.recordingId(), key).status()).isEqualTo(200);
    String link =
        api.get("/v1/recordings/" + r.recordingId() + "/access-link", key)
            .json()
            .get("accessLink")
            .asText();
    Response file = api.get(link.substring(link.indexOf("/recordings/")), null);
    assertThat(file.status()).isEqualTo(200);
    assertThat(file.header("Content-Length")).hasValue("64");

    Response bulk =
        api.post(
            "/v1/recordings/bulk-delete", key, "{\"recordingIds\":[\"" + r.recordingId() + "\"]}");
    assertThat(bulk.status()).isEqualTo(204);
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (api.get("/v1/recordings/" + r.recordingId(), key).status() != 404) {
      assertThat(System.nanoTime()).as("deleted within 15 s").isLessThan(deadline);
      Thread.sleep(20);
    }
    assertThat(server.app().blobs().exists(r.storageKey())).isFalse();
  }
}
