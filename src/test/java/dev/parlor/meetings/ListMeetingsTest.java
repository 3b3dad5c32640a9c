package dev.parlor.meetings;

import static dev.parlor.testing.ApiAssertions.assertFieldError;
import static dev.parlor.testing.ApiAssertions.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parlor.testing.ApiClient;
import dev.parlor.testing.ApiClient.Response;
import dev.parlor.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GET /v1/meetings}: order, page size, cursors, and paging while the list changes. */
class ListMeetingsTest {
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

  static List<String> createMeetings(String key, int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(create(key));
    }
    return ids;
  }

  static String create(String key) {
    Response r = api.post("/v1/meetings", key, ApiClient.meetingBody());
    assertThat(r.status()).as("create %s", r).isEqualTo(201);
    return r.json().get("meetingId").asText();
  }

  static Response list(String key, String query) {
    return api.get("/v1/meetings" + (query.isEmpty() ? "" : "?" + query), key);
  }

  static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.get("results").forEach(m -> ids.add(m.get("meetingId").asText()));
    return ids;
  }

  static String cursorQuery(String cursor) {
    return "cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
  }

  @Test
  void anOrganizationWithoutMeetingsGetsAnEmptyLastPage() {
    String key = server.newOrganization("unlimited");

    Response r = list(key, "");

    assertThat(r.status()).isEqualTo(200);
    assertThat(fieldNames(r.json())).containsExactly("results", "cursor");
    assertThat(r.json().get("results").isArray()).isTrue();
    assertThat(r.json().get("results")).isEmpty();
    assertThat(r.json().get("cursor").isNull()).isTrue();
  }

  @Test
  void resultsAreMeetingsInAscendingMeetingIdOrder() {
    String key = server.newOrganization("unlimited");
    List<String> created = createMeetings(key, 12);

    JsonNode page = list(key, "").json();

    assertThat(ids(page)).containsExactlyElementsOf(created);
    List<Long> numeric = ids(page).stream().map(Long::parseLong).toList();
    assertThat(numeric).isSorted();
    JsonNode first = page.get("results").get(0);
    assertThat(fieldNames(first))
        .containsExactly("startDate", "endDate", "roomName", "roomUrl", "meetingId");
    assertThat(first).isEqualTo(api.get("/v1/meetings/" + created.get(0), key).json());
  }

  @Test
  void theDefaultPageSizeIsFifty() {
    String key = server.newOrganization("unlimited");
    List<String> created = createMeetings(key, 53);

    JsonNode first = list(key, "").json();

    assertThat(ids(first)).containsExactlyElementsOf(created.subList(0, 50));
    assertThat(first.get("cursor").isTextual()).isTrue();
    JsonNode second = list(key, cursorQuery(first.get("cursor").asText())).json();
    assertThat(ids(second)).containsExactlyElementsOf(created.subList(50, 53));
    assertThat(second.get("cursor").isNull()).isTrue();
  }

  @Test
  void pagingReturnsEveryMeetingOnceAndTheLastPageHasANullCursor() {
    String key = server.newOrganization("unlimited");
    List<String> created = createMeetings(key, 14);

    JsonNode first = list(key, "limit=7").json();
    JsonNode second = list(key, "limit=7&" + cursorQuery(first.get("cursor").asText())).json();

    assertThat(ids(first)).containsExactlyElementsOf(created.subList(0, 7));
    assertThat(ids(second)).containsExactlyElementsOf(created.subList(7, 14));
    assertThat(second.get("cursor").isNull()).as("a full last page has no cursor").isTrue();
  }

  @Test
  void limitOneAndOneHundredAreAccepted() {
    String key = server.newOrganization("unlimited");
    List<String> created = createMeetings(key, 3);

    assertThat(ids(list(key, "limit=1").json())).containsExactly(created.get(0));
    assertThat(ids(list(key, "limit=100").json())).containsExactlyElementsOf(created);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "101", "abc", "-1", "1.5", "1e2", "99999999999"})
  void aLimitOutsideOneToOneHundredIsRefused(String limit) {
    String key = server.newOrganization("unlimited");

    assertFieldError(list(key, "limit=" + limit), "limit");
  }

  @Test
  void aTamperedCursorIsRefused() {
    String key = server.newOrganization("unlimited");
    createMeetings(key, 3);
    String cursor = list(key, "limit=1").json().get("cursor").asText();
    int dot = cursor.indexOf('.');
    String tag = cursor.substring(dot + 1);
    String forgedPayload =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("1".getBytes(StandardCharsets.UTF_8));
    char c = tag.charAt(0);
    String flippedTag = (c == 'A' ? 'B' : 'A') + tag.substring(1);

    assertThat(list(key, "limit=1&" + cursorQuery(cursor)).status()).isEqualTo(200);
    assertFieldError(list(key, "limit=1&" + cursorQuery(forgedPayload + "." + tag)), "cursor");
    assertFieldError(
        list(key, "limit=1&" + cursorQuery(cursor.substring(0, dot + 1) + flippedTag)), "cursor");
    assertFieldError(list(key, "limit=1&" + cursorQuery(cursor + "x")), "cursor");
    assertFieldError(
        list(key, "limit=1&" + cursorQuery("8f4031bfc7640c5f267b11b6fe0c2507")), "cursor");
    assertFieldError(list(key, "limit=1&" + cursorQuery("not a cursor!")), "cursor");
  }

  @Test
  void aCursorOfAnotherOrganizationIsRefused() {
    String a = server.newOrganization("unlimited");
    String b = server.newOrganization("unlimited");
    createMeetings(a, 2);
    createMeetings(b, 2);
    String cursorOfA = list(a, "limit=1").json().get("cursor").asText();

    assertFieldError(list(b, "limit=1&" + cursorQuery(cursorOfA)), "cursor");
  }

  @Test
  void aDeletedMeetingIsNotListed() {
    String key = server.newOrganization("unlimited");
    List<String> created = createMeetings(key, 3);

    assertThat(api.delete("/v1/meetings/" + created.get(1), key).status()).isEqualTo(204);

    assertThat(ids(list(key, "").json())).containsExactly(created.get(0), created.get(2));
  }

  @Test
  void aCursorStaysValidWhenTheMeetingItPointsAtIsDeleted() {
    String key = server.newOrganization("unlimited");
    List<String> created = createMeetings(key, 4);
    JsonNode first = list(key, "limit=2").json();

    assertThat(api.delete("/v1/meetings/" + created.get(1), key).status()).isEqualTo(204);
    JsonNode second = list(key, "limit=2&" + cursorQuery(first.get("cursor").asText())).json();

    assertThat(ids(second)).containsExactly(created.get(2), created.get(3));
  }

  @Test
  void pagingWhileMeetingsAreCreatedAndDeletedReturnsEveryUntouchedMeetingExactlyOnce()
      throws Exception {
    String key = server.newOrganization("unlimited");
    List<String> kept = new ArrayList<>();
    List<String> doomed = new ArrayList<>();
    for (int i = 0; i < 84; i++) {
      (i % 3 == 1 ? doomed : kept).add(create(key));
    }
    Collections.shuffle(doomed);
    Set<String> preexisting = new HashSet<>(kept);
    preexisting.addAll(doomed);
    CopyOnWriteArrayList<String> createdDuring = new CopyOnWriteArrayList<>();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      writers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      go.await();
                      for (int i = 0; i < 30; i++) {
                        createdDuring.add(create(key));
                      }
                    } catch (Throwable e) {
                      failures.add(e);
                    }
                  }));
    }
    writers.add(
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    go.await();
                    for (String id : doomed) {
                      Response r = api.delete("/v1/meetings/" + id, key);
                      if (r.status() != 204) {
                        failures.add(new AssertionError("delete " + id + ": " + r));
                      }
                    }
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                }));

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Response r = list(key, "limit=7" + (cursor == null ? "" : "&" + cursorQuery(cursor)));
      assertThat(r.status()).as("page %d: %s", pages, r).isEqualTo(200);
      List<String> page = ids(r.json());
      assertThat(page).hasSizeLessThanOrEqualTo(7);
      seen.addAll(page);
      cursor = r.json().get("cursor").isNull() ? null : r.json().get("cursor").asText();
      if (pages++ == 0) {
        go.countDown();
      }
      Thread.sleep(3);
    } while (cursor != null);
    go.countDown();
    for (Thread t : writers) {
      assertThat(t.join(java.time.Duration.ofSeconds(60))).isTrue();
    }

    assertThat(failures).isEmpty();
    assertThat(pages).isGreaterThan(8);
    assertThat(seen).doesNotHaveDuplicates();
    assertThat(seen.stream().map(Long::parseLong).toList()).isSorted();
    for (String id : kept) {
      assertThat(Collections.frequency(seen, id)).as("times %s was listed", id).isEqualTo(1);
    }
    Set<String> known = new HashSet<>(preexisting);
    known.addAll(createdDuring);
    assertThat(known).containsAll(seen);
    assertThat(createdDuring).hasSize(60);
  }
}
