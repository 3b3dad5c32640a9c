package dev.parlor.meetings;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parlor.db.Database;
import dev.parlor.orgs.ApiKey;
import dev.parlor.orgs.OrganizationService;
import dev.parlor.testing.ApiClient;
import dev.parlor.testing.ApiClient.Response;
import dev.parlor.testing.MutableClock;
import dev.parlor.testing.TestDatabases;
import dev.parlor.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole server on PostgreSQL: the same HTTP behaviour as on the embedded SQLite. */
class MeetingsOnPostgresqlTest {
  static String url;
  static TestServer server;
  static ApiClient api;
  static String key;

  @BeforeAll
  static void start() {
    url = TestDatabases.postgresUrl();
    server = TestServer.start(Map.of("PARLOR_DATABASE_URL", url));
    api = server.client();
    key = server.newOrganization("grow");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    TestDatabases.release(url);
  }

  @Test
  void theServerRunsOnThePostgresqlSchema() {
    assertThat(server.app().database().kind()).isEqualTo(Database.Kind.POSTGRESQL);
    assertThat(api.get("/readyz", null).status()).isEqualTo(200);
    String schema =
        server
            .app()
            .database()
            .jdbi()
            .withHandle(h -> h.createQuery("SELECT current_schema()").mapTo(String.class).one());
    assertThat(schema).isEqualTo(TestDatabases.schemaOf(url));
  }

  @Test
  void aMeetingIsCreatedReadListedAndDeletedOverHttp() {
    Response created =
        api.post(
            "/v1/meetings",
            key,
            ApiClient.meetingBody(
                "\"roomNamePrefix\":\"/Customer0348-0123456789abcdefghijklmnop\"",
                "\"roomMode\":\"group\"",
                "\"isLocked\":true",
                "\"fields\":[\"hostRoomUrl\",\"viewerRoomUrl\"]"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.header("X-RateLimit-Limit")).contains("1000");
    JsonNode m = created.json();
    String id = m.get("meetingId").asText();
    assertThat(id).matches("\\d+");
    assertThat(m.get("roomName").asText())
        .startsWith("/customer0348-0123456789abcdefghijklmnop")
        .hasSize(76);
    assertThat(m.get("hostRoomUrl").asText()).startsWith(m.get("roomUrl").asText() + "?roomKey=");

    Response read = api.get("/v1/meetings/" + id + "?fields=hostRoomUrl,viewerRoomUrl", key);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().get("roomName")).isEqualTo(m.get("roomName"));
    assertThat(read.json().get("startDate")).isEqualTo(m.get("startDate"));
    assertThat(read.json().get("endDate")).isEqualTo(m.get("endDate"));
    assertThat(read.json().has("hostRoomUrl")).isTrue();

    assertThat(listedIds(key)).contains(id);

    Response deleted = api.delete("/v1/meetings/" + id, key);
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(deleted.body()).isEmpty();
    assertThat(api.get("/v1/meetings/" + id, key).status()).isEqualTo(404);
    assertThat(listedIds(key)).doesNotContain(id);
    assertThat(api.delete("/v1/meetings/" + id, key).status()).isEqualTo(204);
  }

  @Test
  void listingPagesThroughEveryMeetingInAscendingIdOrder() {
    String own = server.newOrganization("unlimited");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String pattern = i % 2 == 0 ? "uuid" : "human-short";
      Response r =
          api.post(
              "/v1/meetings",
              own,
              ApiClient.meetingBody("\"roomNamePattern\":\"" + pattern + "\""));
      assertThat(r.status()).as(r.toString()).isEqualTo(201);
      ids.add(r.json().get("meetingId").asText());
    }

    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      Response page =
          api.get("/v1/meetings?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), own);
      assertThat(page.status()).isEqualTo(200);
      page.json().get("results").forEach(r -> seen.add(r.get("meetingId").asText()));
      JsonNode c = page.json().get("cursor");
      cursor = c.isNull() ? null : c.asText();
    } while (cursor != null);
    assertThat(seen).containsExactlyElementsOf(ids);
  }

  @Test
  void anotherOrganizationNeitherSeesNorDeletesTheMeeting() {
    String other = server.newOrganization("build");
    Response created = api.post("/v1/meetings", key, ApiClient.meetingBody());
    String id = created.json().get("meetingId").asText();

    assertThat(api.get("/v1/meetings/" + id, other).status()).isEqualTo(404);
    assertThat(listedIds(other)).isEmpty();
    assertThat(api.delete("/v1/meetings/" + id, other).status()).isEqualTo(204);
    assertThat(api.get("/v1/meetings/" + id, key).status()).isEqualTo(200);
  }

  @Test
  void aViewerModeMeetingRoundTripsItsLockedGroupRoom() {
    Response created =
        api.post("/v1/meetings", key, ApiClient.meetingBody("\"templateType\":\"viewerMode\""));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.json().get("meetingId").asText();

    Response read = api.get("/v1/meetings/" + id, key);

    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().has("hostRoomUrl")).isTrue();
    assertThat(read.json().has("viewerRoomUrl")).isTrue();
  }

  @Test
  void meetingsOutliveARestartOfTheServer() {
    String own;
    String id;
    String schemaUrl = TestDatabases.postgresUrl();
    try {
      try (TestServer first = TestServer.start(Map.of("PARLOR_DATABASE_URL", schemaUrl))) {
        own = first.newOrganization("unlimited");
        id =
            first
                .client()
                .post("/v1/meetings", own, ApiClient.meetingBody())
                .json()
                .get("meetingId")
                .asText();
      }
      try (TestServer second = TestServer.start(Map.of("PARLOR_DATABASE_URL", schemaUrl))) {
        Response read = second.client().get("/v1/meetings/" + id, own);
        assertThat(read.status()).isEqualTo(200);
        // Ids keep increasing after a restart: the new node reserves a fresh block.
        Response next = second.client().post("/v1/meetings", own, ApiClient.meetingBody());
        assertThat(Long.parseLong(next.json().get("meetingId").asText()))
            .isGreaterThan(Long.parseLong(id));
      }
    } finally {
      TestDatabases.release(schemaUrl);
    }
  }

  @Test
  void theFirstStartBootstrapAndAnEnvironmentKeyWorkOnPostgresql() {
    String schemaUrl = TestDatabases.postgresUrl();
    String envKey = "ci-key-" + "x".repeat(20);
    try (TestServer s = TestServer.start(Map.of("PARLOR_DATABASE_URL", schemaUrl))) {
      Optional<OrganizationService.Created> first =
          s.app().organizations().bootstrap(Optional.empty());
      assertThat(first).isPresent();
      assertThat(first.get().organization().name()).isEqualTo(OrganizationService.DEFAULT_ORG);
      assertThat(s.app().organizations().bootstrap(Optional.of(envKey))).isEmpty();
      assertThat(s.app().organizations().bootstrap(Optional.of(envKey))).isEmpty();

      for (String k : List.of(first.get().apiKey(), envKey)) {
        Response r = s.client().post("/v1/meetings", k, ApiClient.meetingBody());
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.header("X-RateLimit-Limit")).contains("1000");
      }
      assertThat(s.client().get("/v1/meetings", "not-a-key").status()).isEqualTo(401);
      long envKeys =
          s.app().organizations().keys(first.get().organization().id()).stream()
              .filter(k -> k.source() == ApiKey.Source.ENV)
              .count();
      assertThat(envKeys).isEqualTo(1);
    } finally {
      TestDatabases.release(schemaUrl);
    }
  }

  @Test
  void anExpiredMeetingIsHiddenAtOnceAndThenSwept() {
    String schemaUrl = TestDatabases.postgresUrl();
    MutableClock clock = MutableClock.startingNow();
    try (TestServer s =
        TestServer.start(
            Map.of("PARLOR_DATABASE_URL", schemaUrl, "PARLOR_MEETING_GRACE", "PT5S"), clock)) {
      String own = s.newOrganization("unlimited");
      String id =
          s.client()
              .post("/v1/meetings", own, ApiClient.meetingBody())
              .json()
              .get("meetingId")
              .asText();
      assertThat(s.client().get("/v1/meetings/" + id, own).status()).isEqualTo(200);

      clock.advance(Duration.ofHours(1).plusSeconds(10));

      assertThat(s.client().get("/v1/meetings/" + id, own).status()).isEqualTo(404);
      assertThat(s.app().sweeper().sweepAll()).isEqualTo(1);
      assertThat(s.app().sweeper().sweepAll()).isZero();
    } finally {
      TestDatabases.release(schemaUrl);
    }
  }

  private static List<String> listedIds(String apiKey) {
    Response r = api.get("/v1/meetings?limit=100", apiKey);
    assertThat(r.status()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    r.json().get("results").forEach(m -> ids.add(m.get("meetingId").asText()));
    return ids;
  }
}
