package dev.parlor.http;

import static dev.parlor.testing.ApiAssertions.assertErrorShape;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parlor.orgs.ApiKey;
import dev.parlor.orgs.OrganizationService;
import dev.parlor.testing.ApiClient;
import dev.parlor.testing.ApiClient.Response;
import dev.parlor.testing.MutableClock;
import dev.parlor.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Points per organization per one-minute window: costs, headers, the 429, the reset, concurrency.
 * The clock is moved by hand, so a window never ends during a test unless the test ends it.
 */
class RateLimitTest {
  /** RFC 9110's IMF-fixdate: a two-digit day, which RFC_1123_DATE_TIME does not give. */
  static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.ROOT);

  static MutableClock clock;
  static TestServer server;
  static ApiClient api;

  @BeforeAll
  static void start() {
    clock = MutableClock.startingNow();
    server = TestServer.start(Map.of(), clock);
    api = server.client();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static OrganizationService.Created org(String plan) {
    return server.newOrganizationWithId(plan);
  }

  static long remaining(Response r) {
    return Long.parseLong(
        r.header("X-RateLimit-Remaining")
            .orElseThrow(() -> new AssertionError("no X-RateLimit-Remaining on " + r)));
  }

  static String createdId(String key) {
    Response r = api.post("/v1/meetings", key, ApiClient.meetingBody());
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.json().get("meetingId").asText();
  }

  static void assertRateLimitHeaders(Response r, long limit) {
    assertThat(r.header("X-RateLimit-Limit")).as("limit on %s", r).contains(Long.toString(limit));
    assertThat(remaining(r)).isBetween(0L, limit);
    assertThat(r.header("X-RateLimit-Reset"))
        .as("reset on %s", r)
        .hasValueSatisfying(
            v -> {
              Instant reset =
                  ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
              assertThat(reset)
                  .isAfter(clock.instant().minusSeconds(1))
                  .isBeforeOrEqualTo(clock.instant().plusSeconds(60));
            });
  }

  static void assertNoRateLimitHeaders(Response r) {
    assertThat(r.header("X-RateLimit-Limit")).as("on %s", r).isEmpty();
    assertThat(r.header("X-RateLimit-Remaining")).as("on %s", r).isEmpty();
    assertThat(r.header("X-RateLimit-Reset")).as("on %s", r).isEmpty();
    assertThat(r.header("Retry-After")).as("on %s", r).isEmpty();
  }

  @Test
  void aGetCostsOnePointADeleteTwoAndAPostThree() {
    String key = org("10").apiKey();

    assertThat(remaining(api.get("/v1/meetings", key))).isEqualTo(9);
    assertThat(remaining(api.delete("/v1/meetings/123", key))).isEqualTo(7);
    assertThat(remaining(api.post("/v1/meetings", key, ApiClient.meetingBody()))).isEqualTo(4);
    assertThat(remaining(api.send("HEAD", "/v1/meetings", key, null))).isEqualTo(3);
    assertThat(remaining(api.get("/v1/meetings/123", key))).isEqualTo(2);
  }

  @Test
  void thePlanSetsTheLimitHeader() {
    assertThat(api.get("/v1/meetings", org("10").apiKey()).header("X-RateLimit-Limit"))
        .contains("10");
    assertThat(api.get("/v1/meetings", org("build").apiKey()).header("X-RateLimit-Limit"))
        .contains("100");
    assertThat(api.get("/v1/meetings", org("grow").apiKey()).header("X-RateLimit-Limit"))
        .contains("1000");
    assertThat(api.get("/v1/meetings", org("250").apiKey()).header("X-RateLimit-Limit"))
        .contains("250");
  }

  @Test
  void allKeysOfAnOrganizationShareOneBudget() {
    OrganizationService.Created o = org("10");
    String second =
        server
            .app()
            .organizations()
            .createKey(o.organization().id(), "second", ApiKey.Source.CLI)
            .apiKey();

    assertThat(remaining(api.get("/v1/meetings", o.apiKey()))).isEqualTo(9);
    assertThat(remaining(api.get("/v1/meetings", second))).isEqualTo(8);
    assertThat(remaining(api.post("/v1/meetings", o.apiKey(), ApiClient.meetingBody())))
        .isEqualTo(5);
    assertThat(remaining(api.post("/v1/meetings", second, ApiClient.meetingBody()))).isEqualTo(2);
    assertThat(api.post("/v1/meetings", o.apiKey(), ApiClient.meetingBody()).status())
        .isEqualTo(429);
    assertThat(api.post("/v1/meetings", second, ApiClient.meetingBody()).status()).isEqualTo(429);
  }

  @Test
  void organizationsHaveBudgetsOfTheirOwn() {
    String a = org("3").apiKey();
    String b = org("3").apiKey();
    assertThat(api.post("/v1/meetings", a, ApiClient.meetingBody()).status()).isEqualTo(201);
    assertThat(api.get("/v1/meetings", a).status()).isEqualTo(429);

    Response r = api.get("/v1/meetings", b);

    assertThat(r.status()).isEqualTo(200);
    assertThat(remaining(r)).isEqualTo(2);
  }

  @Test
  void everyAuthenticatedResponseOfALimitedOrganizationCarriesTheThreeHeaders() {
    String key = org("1000").apiKey();
    String id = createdId(key);
    List<Response> responses =
        List.of(
            api.post("/v1/meetings", key, ApiClient.meetingBody()),
            api.get("/v1/meetings", key),
            api.get("/v1/meetings/" + id, key),
            api.delete("/v1/meetings/" + id, key),
            api.get("/v1/meetings/" + id, key),
            api.get("/v1/no-such-thing", key),
            api.post("/v1/meetings", key, "{\"endDate\":\"yesterday\"}"),
            api.post("/v1/meetings", key, "{not json"),
            api.send("PUT", "/v1/meetings", key, "{}"),
            api.get("/v1/meetings?limit=0", key),
            api.get("/v1/transcriptions", key),
            api.post("/v1/meetings", key, "{\"pad\":\"" + "x".repeat(1_100_000) + "\"}"));

    assertThat(responses.stream().map(Response::status))
        .containsExactly(201, 200, 200, 204, 404, 404, 400, 400, 405, 400, 501, 413);
    for (Response r : responses) {
      assertRateLimitHeaders(r, 1000);
    }
  }

  @Test
  void everyRequestThatIsNotRefusedCostsItsPointsWhateverItsStatus() {
    String key = org("100").apiKey();

    assertThat(remaining(api.get("/v1/meetings/999999", key))).as("404").isEqualTo(99);
    assertThat(remaining(api.get("/v1/nowhere", key))).as("unknown path").isEqualTo(98);
    assertThat(remaining(api.post("/v1/meetings", key, "{}"))).as("400").isEqualTo(95);
    assertThat(remaining(api.post("/v1/meetings", key, "[1]"))).as("400").isEqualTo(92);
    assertThat(remaining(api.get("/v1/meetings?limit=abc", key))).as("400").isEqualTo(91);
    assertThat(remaining(api.send("PATCH", "/v1/meetings/1", key, "{}"))).as("405").isEqualTo(88);
    assertThat(remaining(api.delete("/v1/meetings/999999", key))).as("204").isEqualTo(86);
    assertThat(remaining(api.get("/v1/summaries", key))).as("501").isEqualTo(85);
  }

  @Test
  void anUnlimitedOrganizationGetsNoRateLimitHeaders() {
    String key = org("unlimited").apiKey();
    String id = createdId(key);

    for (Response r :
        List.of(
            api.post("/v1/meetings", key, ApiClient.meetingBody()),
            api.get("/v1/meetings", key),
            api.get("/v1/meetings/" + id, key),
            api.delete("/v1/meetings/" + id, key),
            api.get("/v1/meetings/" + id, key),
            api.post("/v1/meetings", key, "{}"),
            api.send("PUT", "/v1/meetings", key, "{}"))) {
      assertNoRateLimitHeaders(r);
    }
    for (int i = 0; i < 300; i++) {
      assertThat(api.get("/v1/meetings/" + id, key).status()).isEqualTo(404);
    }
  }

  @Test
  void aRefusedRequestGets429WithRetryAfterAndTheThrottleBody() {
    OrganizationService.Created o = org("10");
    String key = o.apiKey();
    for (int i = 0; i < 3; i++) {
      assertThat(api.post("/v1/meetings", key, ApiClient.meetingBody()).status()).isEqualTo(201);
    }

    Response r = api.post("/v1/meetings", key, ApiClient.meetingBody());

    assertErrorShape(r, 429);
    long msLeft = r.json().path("data").path("msLeft").asLong();
    assertThat(msLeft).isBetween(1L, 60_000L);
    assertThat(r.body())
        .isEqualTo(
            "{\"error\":\"Rate limit active for throttle key: organization:"
                + o.organization().id()
                + "\",\"data\":{\"msLeft\":"
                + msLeft
                + ",\"ms_left\":"
                + msLeft
                + "}}");
    assertThat(r.json().path("data").path("msLeft").isIntegralNumber()).isTrue();
    assertThat(r.header("Retry-After")).contains(Long.toString((msLeft + 999) / 1000));
    assertThat(Long.parseLong(r.header("Retry-After").orElseThrow())).isGreaterThanOrEqualTo(1);
    assertRateLimitHeaders(r, 10);
    assertThat(remaining(r)).isEqualTo(1);
  }

  @Test
  void aRefusedRequestCostsNothing() {
    String key = org("10").apiKey();
    for (int i = 0; i < 3; i++) {
      api.post("/v1/meetings", key, ApiClient.meetingBody());
    }
    assertThat(api.post("/v1/meetings", key, ApiClient.meetingBody()).status()).isEqualTo(429);
    assertThat(api.delete("/v1/meetings/1", key).status()).isEqualTo(429);

    Response r = api.get("/v1/meetings", key);

    assertThat(r.status()).isEqualTo(200);
    assertThat(remaining(r)).isZero();
    assertThat(api.get("/v1/meetings", key).status()).isEqualTo(429);
  }

  @Test
  void msLeftAndResetTellWhenTheWindowEnds() {
    String key = org("2").apiKey();
    Instant windowStart = clock.instant();
    Response first = api.get("/v1/meetings", key);
    String reset = HTTP_DATE.format(windowStart.plusSeconds(60).atOffset(ZoneOffset.UTC));
    api.get("/v1/meetings", key);
    Response refused = api.get("/v1/meetings", key);
    clock.advance(Duration.ofSeconds(20));

    Response later = api.get("/v1/meetings", key);

    assertThat(first.header("X-RateLimit-Reset")).contains(reset);
    assertThat(refused.header("X-RateLimit-Reset")).contains(reset);
    assertThat(later.header("X-RateLimit-Reset")).contains(reset);
    assertThat(refused.json().at("/data/msLeft").asLong()).isEqualTo(60_000);
    assertThat(refused.header("Retry-After")).contains("60");
    assertThat(later.json().at("/data/msLeft").asLong()).isEqualTo(40_000);
    assertThat(later.header("Retry-After")).contains("40");
  }

  @Test
  void theBudgetIsFullAgainAfterAMinute() {
    String key = org("10").apiKey();
    for (int i = 0; i < 10; i++) {
      assertThat(api.get("/v1/meetings", key).status()).isEqualTo(200);
    }
    assertThat(api.get("/v1/meetings", key).status()).isEqualTo(429);

    clock.advance(Duration.ofSeconds(61));

    Response r = api.get("/v1/meetings", key);
    assertThat(r.status()).isEqualTo(200);
    assertThat(remaining(r)).isEqualTo(9);
    for (int i = 0; i < 9; i++) {
      assertThat(api.get("/v1/meetings", key).status()).isEqualTo(200);
    }
    assertThat(api.get("/v1/meetings", key).status()).isEqualTo(429);
  }

  @Test
  void unusedPointsDoNotCarryOverIntoTheNextWindow() {
    String key = org("10").apiKey();
    api.get("/v1/meetings", key);

    clock.advance(Duration.ofMinutes(5));

    assertThat(remaining(api.get("/v1/meetings", key))).isEqualTo(9);
  }

  @Test
  void underConcurrencyExactlyThePlansPointsAreGrantedInAWindow() throws Exception {
    String key = org("50").apiKey();
    int threads = 32;
    int perThread = 8;
    ConcurrentLinkedQueue<Response> responses = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      workers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      go.await();
                      for (int i = 0; i < perThread; i++) {
                        responses.add(api.get("/v1/meetings", key));
                      }
                    } catch (Throwable e) {
                      failures.add(e);
                    }
                  }));
    }
    go.countDown();
    for (Thread w : workers) {
      assertThat(w.join(Duration.ofSeconds(60))).isTrue();
    }

    assertThat(failures).isEmpty();
    assertThat(responses).hasSize(threads * perThread);
    List<Response> granted = responses.stream().filter(r -> r.status() == 200).toList();
    assertThat(granted).hasSize(50);
    assertThat(responses.stream().filter(r -> r.status() == 429)).hasSize(threads * perThread - 50);
    assertThat(granted.stream().map(RateLimitTest::remaining).sorted())
        .containsExactlyElementsOf(IntStream.range(0, 50).mapToObj(i -> (long) i).toList());
  }

  @Test
  void underConcurrencyMixedCostsNeverExceedThePlan() throws Exception {
    String key = org("60").apiKey();
    ConcurrentLinkedQueue<Long> grantedPoints = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Response> refusedReads = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < 24; t++) {
      int kind = t % 3;
      workers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      go.await();
                      for (int i = 0; i < 6; i++) {
                        Response r =
                            switch (kind) {
                              case 0 -> api.get("/v1/meetings", key);
                              case 1 -> api.delete("/v1/meetings/1", key);
                              default -> api.post("/v1/meetings", key, ApiClient.meetingBody());
                            };
                        if (r.status() != 429) {
                          grantedPoints.add((long) kind + 1);
                        } else if (kind == 0) {
                          refusedReads.add(r);
                        }
                      }
                    } catch (Throwable e) {
                      failures.add(e);
                    }
                  }));
    }
    go.countDown();
    for (Thread w : workers) {
      assertThat(w.join(Duration.ofSeconds(60))).isTrue();
    }

    assertThat(failures).isEmpty();
    long spent = grantedPoints.stream().mapToLong(Long::longValue).sum();
    assertThat(spent).isLessThanOrEqualTo(60);
    if (!refusedReads.isEmpty()) {
      // a one-point read was refused, so the budget was spent to the last point
      assertThat(spent).isEqualTo(60);
    }
  }
}
