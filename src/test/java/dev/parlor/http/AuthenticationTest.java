package dev.parlor.http;

import static dev.parlor.testing.ApiAssertions.assertError;
import static dev.parlor.testing.ApiAssertions.assertErrorShape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.parlor.orgs.ApiKey;
import dev.parlor.orgs.ApiKeys;
import dev.parlor.orgs.OrganizationService;
import dev.parlor.testing.ApiClient;
import dev.parlor.testing.ApiClient.Response;
import dev.parlor.testing.MutableClock;
import dev.parlor.testing.TestServer;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** Bearer keys, their revocation, and the per-address limit on failed attempts. */
class AuthenticationTest {
  static final String UNAUTHORIZED = "Access token is missing or invalid";

  static TestServer server;
  static ApiClient api;
  static OrganizationService.Created main;

  @BeforeAll
  static void start() {
    // So the many 401s of this class are not themselves limited; the limit has its own tests.
    server = TestServer.start(Map.of("PARLOR_AUTH_FAILURE_LIMIT", "1000000"));
    api = server.client();
    main = server.newOrganizationWithId("unlimited");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Response withAuthorization(TestServer s, String method, String path, String value) {
    return s.client()
        .send(
            method,
            path,
            null,
            method.equals("POST") ? ApiClient.meetingBody() : null,
            "Authorization",
            value);
  }

  @ParameterizedTest
  @CsvSource({
    "GET, /v1/meetings",
    "POST, /v1/meetings",
    "GET, /v1/meetings/1",
    "DELETE, /v1/meetings/1",
    "PUT, /v1/meetings",
    "GET, /v1/no-such-thing",
    "GET, /v1",
    "GET, /v1/transcriptions",
    "GET, /v1/summaries"
  })
  void everyV1EndpointAnswers401WithoutAKey(String method, String path) {
    Response r =
        api.send(method, path, null, method.equals("POST") ? ApiClient.meetingBody() : null);

    assertError(r, 401, UNAUTHORIZED);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Basic dXNlcjpwYXNz",
        "Token KEY",
        "KEY",
        "Bearer",
        "Bearer ",
        "BearerKEY",
        "Bearer: KEY",
        "Digest KEY",
        "Bearer KEY KEY"
      })
  void aWrongSchemeOrShapeAnswers401(String header) {
    Response r =
        withAuthorization(server, "GET", "/v1/meetings", header.replace("KEY", main.apiKey()));

    assertError(r, 401, UNAUTHORIZED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"prl_unknown", "prl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
  void anUnknownKeyAnswers401(String key) {
    assertError(api.get("/v1/meetings", key), 401, UNAUTHORIZED);
    assertError(api.post("/v1/meetings", key, ApiClient.meetingBody()), 401, UNAUTHORIZED);
  }

  @Test
  void aKeyThatDiffersFromAValidOneInOneCharacterAnswers401() {
    String valid = main.apiKey();
    String last = valid.substring(valid.length() - 1);
    String changed = valid.substring(0, valid.length() - 1) + (last.equals("A") ? "B" : "A");

    assertError(api.get("/v1/meetings", changed), 401, UNAUTHORIZED);
    assertError(api.get("/v1/meetings", valid + "x"), 401, UNAUTHORIZED);
    assertError(api.get("/v1/meetings", valid.substring(1)), 401, UNAUTHORIZED);
  }

  @Test
  void anOverlongKeyAnswers401() {
    assertError(api.get("/v1/meetings", "k".repeat(4000)), 401, UNAUTHORIZED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Bearer", "bearer", "BEARER", "BeArEr"})
  void theSchemeIsCaseInsensitive(String scheme) {
    Response r = withAuthorization(server, "GET", "/v1/meetings", scheme + " " + main.apiKey());

    assertThat(r.status()).as("%s", r).isEqualTo(200);
  }

  @Test
  void aRevokedKeyAnswers401() {
    OrganizationService.Created other = server.newOrganizationWithId("unlimited");

    server.app().organizations().revoke(other.key().id());

    assertError(api.get("/v1/meetings", other.apiKey()), 401, UNAUTHORIZED);
  }

  @Test
  void aKeyRevokedWhileInUseStopsWorkingWithinASecond() throws InterruptedException {
    OrganizationService.Created other = server.newOrganizationWithId("unlimited");
    assertThat(api.get("/v1/meetings", other.apiKey()).status()).isEqualTo(200);

    server.app().organizations().revoke(other.key().id());

    assertError(firstRefusalWithinASecond(other.apiKey()), 401, UNAUTHORIZED);
    Thread.sleep(600);
    assertError(api.get("/v1/meetings", other.apiKey()), 401, UNAUTHORIZED);
  }

  /** Polls with {@code key} until it is refused, failing when that takes more than a second. */
  static Response firstRefusalWithinASecond(String key) throws InterruptedException {
    long start = System.nanoTime();
    Response r = api.get("/v1/meetings", key);
    while (r.status() == 200 && System.nanoTime() - start < 1_000_000_000L) {
      Thread.sleep(20);
      r = api.get("/v1/meetings", key);
    }
    assertThat(System.nanoTime() - start).isLessThan(1_100_000_000L);
    return r;
  }

  @Test
  void everyKeyOfAnOrganizationSeesTheSameMeetingsAndRevokingOneLeavesTheOthers()
      throws InterruptedException {
    OrganizationService.Created o = server.newOrganizationWithId("unlimited");
    OrganizationService.NewKey second =
        server.app().organizations().createKey(o.organization().id(), "second", ApiKey.Source.CLI);
    Response created = api.post("/v1/meetings", o.apiKey(), ApiClient.meetingBody());
    String id = created.json().get("meetingId").asText();

    assertThat(api.get("/v1/meetings/" + id, second.apiKey()).status()).isEqualTo(200);
    server.app().organizations().revoke(o.key().id());

    assertError(firstRefusalWithinASecond(o.apiKey()), 401, UNAUTHORIZED);
    assertThat(api.get("/v1/meetings/" + id, second.apiKey()).status()).isEqualTo(200);
  }

  @Test
  void keysCarryAtLeast256RandomBitsAndAreStoredOnlyAsAHash() {
    OrganizationService.Created o = server.newOrganizationWithId("unlimited");
    String plain = o.apiKey();

    assertThat(plain).startsWith("prl_");
    assertThat(Base64.getUrlDecoder().decode(plain.substring(4)).length).isGreaterThanOrEqualTo(32);
    assertThat(server.newOrganization("unlimited")).isNotEqualTo(plain);
    List<Map<String, Object>> rows =
        server
            .app()
            .database()
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT * FROM api_keys WHERE organization_id = :org")
                        .bind("org", o.organization().id())
                        .mapToMap()
                        .list());
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).toString()).doesNotContain(plain).doesNotContain(plain.substring(4));
    assertThat(rows.get(0).get("key_hash")).isEqualTo(ApiKeys.hash(plain));
  }

  @Test
  void neitherValidNorInvalidKeysAreLogged() throws InterruptedException {
    Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
    AppenderBase<ILoggingEvent> appender =
        new AppenderBase<>() {
          @Override
          protected void append(ILoggingEvent e) {
            events.add(e);
          }
        };
    appender.start();
    root.addAppender(appender);
    String wrong = "prl_wrongwrongwrongwrongwrongwrongwrongwrong";
    String envKey = "env-key-0123456789abcdef";
    try (TestServer logged =
        TestServer.start(Map.of("PARLOR_ACCESS_LOG", "true", "PARLOR_API_KEY", envKey))) {
      String valid = logged.newOrganization("unlimited");
      logged.client().get("/v1/meetings", valid);
      logged.client().post("/v1/meetings", valid, ApiClient.meetingBody());
      logged.client().get("/v1/meetings", wrong);
      logged.client().get("/v1/meetings", envKey);
      logged.client().get("/v1/meetings?token=" + valid, valid);
      long deadline = System.nanoTime() + 2_000_000_000L;
      while (accessLines(events).size() < 5 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }

      assertThat(accessLines(events)).hasSize(5);
      assertThat(events)
          .allSatisfy(
              e ->
                  assertThat(e.getFormattedMessage() + " " + e.getMDCPropertyMap())
                      .doesNotContain(valid)
                      .doesNotContain(wrong)
                      .doesNotContain(envKey));
    } finally {
      root.detachAppender(appender);
    }
  }

  static List<String> accessLines(List<ILoggingEvent> events) {
    return events.stream()
        .filter(e -> e.getLoggerName().equals("parlor.access"))
        .map(ILoggingEvent::getFormattedMessage)
        .filter(m -> m.contains("/v1/meetings"))
        .toList();
  }

  // --- Failed-authentication limit per client address ---

  static TestServer limited(Map<String, String> env) {
    return TestServer.start(env, MutableClock.startingNow());
  }

  static Response fail(TestServer s, String... headers) {
    return s.client().send("GET", "/v1/meetings", "prl_guess", null, headers);
  }

  static void assertThrottled(Response r) {
    assertErrorShape(r, 429);
    assertThat(r.json().get("error").asText()).startsWith("Rate limit active for throttle key: ");
    assertThat(r.header("Retry-After"))
        .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isGreaterThanOrEqualTo(1));
  }

  @Test
  void sixtyFailuresAMinuteAreAnswered401ByDefaultAndTheNextIs429() {
    try (TestServer s = limited(Map.of())) {
      for (int i = 0; i < 60; i++) {
        assertError(fail(s), 401, UNAUTHORIZED);
      }

      assertThrottled(fail(s));
      assertThrottled(s.client().get("/v1/meetings", null));
    }
  }

  @Test
  void aLimitOfThirtyIsAllowedAndALowerOneIsRefusedAtStartup() {
    try (TestServer s = limited(Map.of("PARLOR_AUTH_FAILURE_LIMIT", "30"))) {
      for (int i = 0; i < 30; i++) {
        assertError(fail(s), 401, UNAUTHORIZED);
      }
      assertThrottled(fail(s));
    }
    assertThatThrownBy(() -> limited(Map.of("PARLOR_AUTH_FAILURE_LIMIT", "29")).close())
        .hasMessageContaining("PARLOR_AUTH_FAILURE_LIMIT");
  }

  @Test
  void onlyFailuresCountTowardsTheLimit() {
    try (TestServer s = limited(Map.of("PARLOR_AUTH_FAILURE_LIMIT", "30"))) {
      String valid = s.newOrganization("unlimited");
      for (int i = 0; i < 100; i++) {
        assertThat(s.client().get("/v1/meetings", valid).status()).isEqualTo(200);
      }

      for (int i = 0; i < 30; i++) {
        Response r =
            switch (i % 3) {
              case 0 -> fail(s);
              case 1 -> s.client().get("/v1/meetings", null);
              default -> withAuthorization(s, "GET", "/v1/meetings", "Basic " + valid);
            };
        assertError(r, 401, UNAUTHORIZED);
      }
      assertThrottled(fail(s));
    }
  }

  @Test
  void aValidKeyIsNeverRefusedForTheAddressesFailures() {
    try (TestServer s = limited(Map.of("PARLOR_AUTH_FAILURE_LIMIT", "30"))) {
      String valid = s.newOrganization("unlimited");
      for (int i = 0; i < 40; i++) {
        fail(s);
      }
      assertThrottled(fail(s));

      for (int i = 0; i < 20; i++) {
        assertThat(s.client().get("/v1/meetings", valid).status()).isEqualTo(200);
      }
      assertThat(s.client().post("/v1/meetings", valid, ApiClient.meetingBody()).status())
          .isEqualTo(201);
      assertThrottled(fail(s));
    }
  }

  @Test
  void theFailureBudgetRefillsAfterAMinute() {
    MutableClock clock = MutableClock.startingNow();
    try (TestServer s = TestServer.start(Map.of("PARLOR_AUTH_FAILURE_LIMIT", "30"), clock)) {
      for (int i = 0; i < 30; i++) {
        fail(s);
      }
      assertThrottled(fail(s));

      clock.advance(Duration.ofSeconds(61));

      assertError(fail(s), 401, UNAUTHORIZED);
    }
  }

  @Test
  void xForwardedForIsIgnoredUnlessThePeerIsATrustedProxy() {
    try (TestServer s = limited(Map.of("PARLOR_AUTH_FAILURE_LIMIT", "30"))) {
      for (int i = 0; i < 30; i++) {
        assertError(fail(s, "X-Forwarded-For", "198.51.100." + i), 401, UNAUTHORIZED);
      }

      assertThrottled(fail(s, "X-Forwarded-For", "198.51.100.200"));
      assertThrottled(fail(s, "X-Forwarded-For", "203.0.113.9, 198.51.100.201"));
      assertThrottled(fail(s));
    }
  }

  @Test
  void aTrustedProxysXForwardedForNamesTheClient() {
    try (TestServer s =
        limited(Map.of("PARLOR_AUTH_FAILURE_LIMIT", "30", "PARLOR_TRUSTED_PROXIES", "127.0.0.1"))) {
      for (int i = 0; i < 30; i++) {
        assertError(fail(s, "X-Forwarded-For", "203.0.113.7"), 401, UNAUTHORIZED);
      }

      assertThrottled(fail(s, "X-Forwarded-For", "203.0.113.7"));
      assertThrottled(fail(s, "X-Forwarded-For", "198.51.100.1, 203.0.113.7"));
      assertError(fail(s, "X-Forwarded-For", "203.0.113.8"), 401, UNAUTHORIZED);
      assertError(fail(s), 401, UNAUTHORIZED);
    }
  }

  @Test
  void theTrustedProxyListAcceptsCidrRanges() {
    try (TestServer s =
        limited(
            Map.of(
                "PARLOR_AUTH_FAILURE_LIMIT",
                "30",
                "PARLOR_TRUSTED_PROXIES",
                "10.0.0.0/8, 127.0.0.0/8"))) {
      for (int i = 0; i < 30; i++) {
        fail(s, "X-Forwarded-For", "203.0.113.7, 10.1.2.3");
      }

      assertThrottled(fail(s, "X-Forwarded-For", "203.0.113.7"));
      assertError(fail(s, "X-Forwarded-For", "203.0.113.8, 10.1.2.3"), 401, UNAUTHORIZED);
    }
  }
}
