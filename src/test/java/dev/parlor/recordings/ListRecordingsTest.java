package dev.parlor.recordings;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parlor.orgs.OrganizationService;
import dev.parlor.testing.ApiClient;
import dev.parlor.testing.ApiClient.Response;
import dev.parlor.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GET/DELETE /v1/recordings...} over real HTTP. */
class ListRecordingsTest {
  static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

  static TestServer server;
  static ApiClient api;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = server.client();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  record Org(long id, String key) {}

  static Org newOrg() {
    OrganizationService.Created c = server.newOrganizationWithId("unlimited");
    return new Org(c.organization().id(), c.apiKey());
  }

  @Test
  void aRecordingIsReadWithTheReferenceFieldsAndItsRoomName() {
    Org org = newOrg();
    Recording r =
        RecordingFixtures.add(
            server,
            org.id(),
            "/team-a",
            Instant.parse("2025-01-01T00:00:00Z"),
            Duration.ofMinutes(30),
            2_500_000);

    Response read = api.get("/v1/recordings/" + r.recordingId(), org.key());

    assertThat(read.status()).as(read.toString()).isEqualTo(200);
    JsonNode j = read.json();
    assertThat(fieldNames(j))
        .containsExactly(
            "recordingId",
            "roomName",
            "roomSessionId",
            "filename",
            "startDate",
            "endDate",
            "sizeInMegaBytes");
    assertThat(j.get("recordingId").asText()).isEqualTo(r.recordingId()).hasSize(36);
    assertThat(j.get("roomName").asText()).isEqualTo("/team-a");
    assertThat(j.get("roomSessionId").asText()).isEqualTo(r.roomSessionId());
    assertThat(j.get("filename").asText()).isEqualTo("team-a-2025-01-01T00:00:00.000Z.mp4");
    assertThat(j.get("startDate").asText()).isEqualTo("2025-01-01T00:00:00.000Z");
    assertThat(j.get("endDate").asText()).isEqualTo("2025-01-01T00:30:00.000Z");
    assertThat(j.get("sizeInMegaBytes").asDouble()).isEqualTo(2.5);
  }

  @Test
  void anUnknownMalformedOrForeignRecordingIs404AndAForeignDeleteLeavesItAlone() {
    Org owner = newOrg();
    Org other = newOrg();
    Recording r = RecordingFixtures.add(server, owner.id(), "/mine", T0, Duration.ofMinutes(1), 10);

    assertThat(api.get("/v1/recordings/" + r.recordingId(), other.key()).status()).isEqualTo(404);
    assertThat(api.get("/v1/recordings/" + java.util.UUID.randomUUID(), owner.key()).status())
        .isEqualTo(404);
    assertThat(api.get("/v1/recordings/not-a-uuid", owner.key()).status()).isEqualTo(404);
    assertThat(ids(api.get("/v1/recordings", other.key()))).isEmpty();
    assertThat(api.delete("/v1/recordings/" + r.recordingId(), other.key()).status())
        .isEqualTo(204);
    assertThat(api.get("/v1/recordings/" + r.recordingId(), owner.key()).status()).isEqualTo(200);
    assertThat(server.app().blobs().exists(r.storageKey())).isTrue();
  }

  @Test
  void deleteIs204AgainAndAgainAndRemovesTheRecordingAndItsFile() {
    Org org = newOrg();
    Recording r = RecordingFixtures.add(server, org.id(), "/gone", T0, Duration.ofMinutes(1), 100);
    assertThat(server.app().blobs().exists(r.storageKey())).isTrue();

    for (int i = 0; i < 3; i++) {
      Response d = api.delete("/v1/recordings/" + r.recordingId(), org.key());
      assertThat(d.status()).isEqualTo(204);
      assertThat(d.body()).isEmpty();
    }
    assertThat(api.delete("/v1/recordings/nonsense", org.key()).status()).isEqualTo(204);

    assertThat(api.get("/v1/recordings/" + r.recordingId(), org.key()).status()).isEqualTo(404);
    assertThat(ids(api.get("/v1/recordings", org.key()))).isEmpty();
    assertThat(server.app().blobs().exists(r.storageKey())).isFalse();
  }

  @Test
  void theDefaultOrderIsStartDateDescendingWithTiesByRecordingIdAndTheDefaultLimitIs50() {
    Org org = newOrg();
    List<Recording> all = new ArrayList<>();
    for (int i = 0; i < 55; i++) {
      all.add(
          RecordingFixtures.add(server, org.id(), "/r", T0.plusSeconds(i / 2), Duration.ZERO, 1));
    }
    all.sort(
        Comparator.comparing(Recording::startDate)
            .reversed()
            .thenComparing(Recording::recordingId));

    Response first = api.get("/v1/recordings", org.key());

    assertThat(first.status()).isEqualTo(200);
    assertThat(ids(first))
        .containsExactlyElementsOf(
            all.subList(0, 50).stream().map(Recording::recordingId).toList());
    Response rest =
        api.get("/v1/recordings?cursor=" + first.json().get("cursor").asText(), org.key());
    assertThat(ids(rest))
        .containsExactlyElementsOf(
            all.subList(50, 55).stream().map(Recording::recordingId).toList());
    assertThat(rest.json().get("cursor").isNull()).isTrue();
  }

  @ParameterizedTest(name = "sortBy={0}")
  @ValueSource(
      strings = {
        "roomName:asc",
        "roomName:desc",
        "startDate:asc",
        "startDate:desc",
        "duration:asc",
        "duration:desc",
        "sizeInMegaBytes:asc",
        "sizeInMegaBytes:desc"
      })
  void pagingThroughAnySortOrderWhileRecordingsArriveReturnsEveryEarlierRecordingOnceInOrder(
      String sortBy) throws Exception {
    Org org = newOrg();
    String[] rooms = {"/room-a", "/room-b", "/room-c", "/room-d"};
    List<Recording> before = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      before.add(
          RecordingFixtures.add(
              server,
              org.id(),
              rooms[i % 4],
              T0.plusSeconds(i % 7),
              Duration.ofSeconds(i % 5),
              1000 + 10_000 * (i % 3)));
    }
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    Future<Integer> inserter =
        pool.submit(
            () -> {
              int n = 0;
              while (!stop.get() && n < 200) {
                RecordingFixtures.add(
                    server,
                    org.id(),
                    rooms[n % 4],
                    T0.plusSeconds(n % 11 - 3),
                    Duration.ofSeconds(n % 6),
                    1000 + 10_000 * (n % 3));
                n++;
              }
              return n;
            });

    List<JsonNode> seen = new ArrayList<>();
    String cursor = null;
    try {
      do {
        Response page =
            api.get(
                "/v1/recordings?limit=7&sortBy="
                    + sortBy
                    + (cursor == null ? "" : "&cursor=" + cursor),
                org.key());
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        page.json().get("results").forEach(seen::add);
        JsonNode c = page.json().get("cursor");
        cursor = c.isNull() ? null : c.asText();
      } while (cursor != null);
    } finally {
      stop.set(true);
      assertThat(inserter.get()).isPositive();
      pool.shutdown();
    }

    List<String> seenIds = seen.stream().map(j -> j.get("recordingId").asText()).toList();
    assertThat(new HashSet<>(seenIds)).as("no recording twice").hasSameSizeAs(seenIds);
    assertThat(seenIds).containsAll(before.stream().map(Recording::recordingId).toList());
    String field = sortBy.substring(0, sortBy.indexOf(':'));
    boolean desc = sortBy.endsWith(":desc");
    for (int i = 1; i < seen.size(); i++) {
      int c = compare(seen.get(i - 1), seen.get(i), field);
      if (desc) {
        c = -c;
      }
      assertThat(c <= 0)
          .as(sortBy + " at " + i + ": " + seen.get(i - 1) + " then " + seen.get(i))
          .isTrue();
      if (c == 0) {
        assertThat(seenIds.get(i - 1)).as("ties by recordingId").isLessThan(seenIds.get(i));
      }
    }
  }

  private static int compare(JsonNode a, JsonNode b, String field) {
    return switch (field) {
      case "roomName" -> a.get("roomName").asText().compareTo(b.get("roomName").asText());
      case "startDate" ->
          Instant.parse(a.get("startDate").asText())
              .compareTo(Instant.parse(b.get("startDate").asText()));
      case "duration" -> duration(a).compareTo(duration(b));
      default ->
          Double.compare(a.get("sizeInMegaBytes").asDouble(), b.get("sizeInMegaBytes").asDouble());
    };
  }

  private static Duration duration(JsonNode r) {
    return Duration.between(
        Instant.parse(r.get("startDate").asText()), Instant.parse(r.get("endDate").asText()));
  }

  @Test
  void theRoomNameFilterListsOnlyThatRoomWithOrWithoutItsSlashAndPagesWithinIt() {
    Org org = newOrg();
    for (int i = 0; i < 5; i++) {
      RecordingFixtures.add(server, org.id(), "/alpha", T0.plusSeconds(i), Duration.ZERO, 1);
      RecordingFixtures.add(server, org.id(), "/beta", T0.plusSeconds(i), Duration.ZERO, 1);
    }

    Response slash = api.get("/v1/recordings?roomName=" + enc("/alpha") + "&limit=3", org.key());
    Response bare = api.get("/v1/recordings?roomName=alpha&limit=3", org.key());

    assertThat(rooms(slash)).containsOnly("/alpha").hasSize(3);
    assertThat(ids(bare)).isEqualTo(ids(slash));
    Response rest =
        api.get(
            "/v1/recordings?roomName=alpha&limit=3&cursor=" + slash.json().get("cursor").asText(),
            org.key());
    assertThat(rooms(rest)).containsOnly("/alpha").hasSize(2);
    assertThat(ids(api.get("/v1/recordings?roomName=/nobody", org.key()))).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "limit=0|limit",
        "limit=101|limit",
        "limit=ten|limit",
        "sortBy=name:asc|sortBy",
        "sortBy=startDate:up|sortBy",
        "sortBy=startDate:|sortBy",
        "cursor=garbage|cursor",
        "cursor=eyJ4Ijo.AAAAAAAAAAAAAAAA|cursor"
      })
  void aBadLimitSortByOrCursorIsA400NamingTheParameter(String caseText) {
    String[] parts = caseText.split("\\|");
    Org org = newOrg();

    Response r = api.get("/v1/recordings?" + parts[0], org.key());

    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.json().at("/data/field").asText()).isEqualTo(parts[1]);
    assertThat(r.json().get("error").asText()).contains(parts[1]);
  }

  @Test
  void aCursorWorksOnlyWithTheSortAndFilterAndOrganizationItCameFrom() {
    Org org = newOrg();
    Org other = newOrg();
    for (int i = 0; i < 3; i++) {
      RecordingFixtures.add(server, org.id(), "/x", T0.plusSeconds(i), Duration.ZERO, 1);
    }
    String cursor =
        api.get("/v1/recordings?limit=1&sortBy=duration:asc", org.key())
            .json()
            .get("cursor")
            .asText();

    assertThat(
            api.get("/v1/recordings?limit=1&sortBy=duration:asc&cursor=" + cursor, org.key())
                .status())
        .isEqualTo(200);
    assertThat(
            api.get("/v1/recordings?limit=1&sortBy=duration:desc&cursor=" + cursor, org.key())
                .status())
        .isEqualTo(400);
    assertThat(api.get("/v1/recordings?limit=1&cursor=" + cursor, org.key()).status())
        .isEqualTo(400);
    assertThat(
            api.get(
                    "/v1/recordings?limit=1&sortBy=duration:asc&roomName=/x&cursor=" + cursor,
                    org.key())
                .status())
        .isEqualTo(400);
    assertThat(
            api.get("/v1/recordings?limit=1&sortBy=duration:asc&cursor=" + cursor, other.key())
                .status())
        .isEqualTo(400);
  }

  @Test
  void aSortFieldWithoutDirectionSortsAscending() {
    Org org = newOrg();
    Recording big = RecordingFixtures.add(server, org.id(), "/s", T0, Duration.ZERO, 5000);
    Recording small = RecordingFixtures.add(server, org.id(), "/s", T0, Duration.ZERO, 10);

    assertThat(ids(api.get("/v1/recordings?sortBy=sizeInMegaBytes", org.key())))
        .containsExactly(small.recordingId(), big.recordingId());
  }

  static List<String> ids(Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    r.json().get("results").forEach(j -> out.add(j.get("recordingId").asText()));
    return out;
  }

  static Set<String> roomSet(Response r) {
    return new HashSet<>(rooms(r));
  }

  static List<String> rooms(Response r) {
    List<String> out = new ArrayList<>();
    r.json().get("results").forEach(j -> out.add(j.get("roomName").asText()));
    return out;
  }

  static List<String> fieldNames(JsonNode j) {
    List<String> out = new ArrayList<>();
    j.fieldNames().forEachRemaining(out::add);
    return out;
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
