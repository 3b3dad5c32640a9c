package dev.parlor.meetings;

import static dev.parlor.testing.ApiAssertions.assertError;
import static dev.parlor.testing.ApiAssertions.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parlor.http.Json;
import dev.parlor.orgs.OrganizationService;
import dev.parlor.testing.ApiClient;
import dev.parlor.testing.ApiClient.Response;
import dev.parlor.testing.MutableClock;
import dev.parlor.testing.TestDatabases;
import dev.parlor.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** POST, GET and DELETE of one meeting: statuses, identifiers, names, URLs and dates. */
class CreateMeetingTest {
  static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  static final String UTC_DATE = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z";

  static MutableClock clock;
  static TestServer server;
  static ApiClient api;
  static String key;
  static long orgId;

  @BeforeAll
  static void start() {
    clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    server = TestServer.start(Map.of(), clock);
    api = server.client();
    OrganizationService.Created org = server.newOrganizationWithId("unlimited");
    key = org.apiKey();
    orgId = org.organization().id();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String endIn(Duration d) {
    return clock.instant().plus(d).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static Response create(String... members) {
    StringBuilder sb = new StringBuilder("{\"endDate\":\"" + endIn(Duration.ofHours(1)) + "\"");
    for (String m : members) {
      sb.append(',').append(m);
    }
    return api.post("/v1/meetings", key, sb.append('}').toString());
  }

  static JsonNode created(String... members) {
    Response r = create(members);
    assertThat(r.status()).as("create %s", r).isEqualTo(201);
    return r.json();
  }

  static Meeting stored(JsonNode meeting) {
    return server.app().meetings().get(orgId, meeting.get("meetingId").asText()).orElseThrow();
  }

  @Test
  void createAnswers201WithExactlyTheHostedApisFieldsInItsOrder() {
    Response r = create();

    assertThat(r.status()).isEqualTo(201);
    assertThat(r.header("Content-Type"))
        .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
    assertThat(fieldNames(r.json()))
        .containsExactly("startDate", "endDate", "roomName", "roomUrl", "meetingId");
  }

  @Test
  void meetingIdIsAStringOfDecimalDigitsThatGrowsWithEveryMeeting() {
    JsonNode first = created();
    JsonNode second = created();

    assertThat(first.get("meetingId").isTextual()).isTrue();
    assertThat(first.get("meetingId").asText()).matches("[0-9]+");
    assertThat(second.get("meetingId").asText()).matches("[0-9]+");
    assertThat(Long.parseLong(second.get("meetingId").asText()))
        .isGreaterThan(Long.parseLong(first.get("meetingId").asText()));
  }

  @Test
  void roomNameIsASlashAndAUuidByDefault() {
    assertThat(created().get("roomName").asText()).matches("/" + UUID);
    assertThat(created("\"roomNamePattern\":\"uuid\"").get("roomName").asText())
        .matches("/" + UUID);
  }

  @Test
  void roomUrlIsThePublicUrlFollowedByTheRoomName() {
    JsonNode m = created();

    assertThat(m.get("roomUrl").asText())
        .isEqualTo(server.app().publicUrl() + m.get("roomName").asText())
        .isEqualTo("http://localhost:" + server.app().port() + m.get("roomName").asText());
  }

  @Test
  void roomUrlUsesTheConfiguredPublicUrlWithoutADoubleSlash() {
    try (TestServer other =
        TestServer.start(Map.of("PARLOR_PUBLIC_URL", "https://meet.example.com/"))) {
      String k = other.newOrganization("unlimited");
      JsonNode m = other.client().post("/v1/meetings", k, ApiClient.meetingBody()).json();

      assertThat(m.get("roomUrl").asText())
          .isEqualTo("https://meet.example.com" + m.get("roomName").asText());
    }
  }

  @Test
  void startDateIsTheCreationTime() {
    clock.advance(Duration.ofMillis(1234));
    Instant now = clock.instant();

    JsonNode m = created();

    assertThat(Instant.parse(m.get("startDate").asText())).isEqualTo(now);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"0001-01-01T00:00:00Z", "2099-12-31T23:59:59Z", "1970-01-01T00:00:00+05:30"})
  void aStartDateInTheRequestIsAcceptedAndIgnored(String startDate) {
    Instant now = clock.instant();

    JsonNode m = created("\"startDate\":\"" + startDate + "\"");

    assertThat(Instant.parse(m.get("startDate").asText())).isEqualTo(now);
  }

  @Test
  void datesAreReturnedInUtcEndingInZ() {
    JsonNode m = created();

    assertThat(m.get("startDate").asText()).matches(UTC_DATE);
    assertThat(m.get("endDate").asText()).matches(UTC_DATE);
  }

  @ParameterizedTest
  @CsvSource({
    "T12:00:00Z, 0, T12:00:00Z",
    "T12:00:00+00:00, 0, T12:00:00Z",
    "T12:00:00-05:00, 0, T17:00:00Z",
    "T12:00:00+05:30, 0, T06:30:00Z",
    "T22:15:00-05:00, 1, T03:15:00Z",
    "T02:00:00+05:30, -1, T20:30:00Z",
    "T12:00:00.250+02:00, 0, T10:00:00.250Z",
    "T12:00:00, 0, T12:00:00Z"
  })
  void endDateWithAnyOffsetIsReturnedInUtc(String time, int dayShift, String utcTime) {
    LocalDate day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(30);

    Response r = api.post("/v1/meetings", key, "{\"endDate\":\"" + day + time + "\"}");

    assertThat(r.status()).as("create %s", r).isEqualTo(201);
    JsonNode m = r.json();

    assertThat(m.get("endDate").asText()).isEqualTo(day.plusDays(dayShift) + utcTime);
  }

  @Test
  void endDateOfTheCurrentSecondIsAccepted() {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();

    Response r = api.post("/v1/meetings", key, "{\"endDate\":\"" + now + "\"}");

    assertThat(r.status()).isEqualTo(201);
  }

  @Test
  void aMeetingReadsBackExactlyAsItWasCreated() {
    JsonNode m = created();

    Response read = api.get("/v1/meetings/" + m.get("meetingId").asText(), key);

    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json()).isEqualTo(m);
  }

  @Test
  void deleteAnswers204WithAnEmptyBodyAndTheMeetingIsThenNotFoundAndUnlisted() {
    JsonNode m = created();
    String id = m.get("meetingId").asText();

    Response deleted = api.delete("/v1/meetings/" + id, key);

    assertThat(deleted.status()).isEqualTo(204);
    assertThat(deleted.body()).isEmpty();
    assertThat(deleted.header("Content-Length").orElse("0")).isEqualTo("0");
    assertError(api.get("/v1/meetings/" + id, key), 404, "The requested resource doesn't exist");
    assertThat(listedIds()).doesNotContain(id);
  }

  @Test
  void deletingAnAlreadyDeletedMeetingAnswers204Again() {
    String id = created().get("meetingId").asText();
    assertThat(api.delete("/v1/meetings/" + id, key).status()).isEqualTo(204);

    Response again = api.delete("/v1/meetings/" + id, key);

    assertThat(again.status()).isEqualTo(204);
    assertThat(again.body()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"999999999", "0", "not-a-number", "12345678901234567890123"})
  void deletingAnUnknownMeetingAnswers204(String id) {
    Response r = api.delete("/v1/meetings/" + id, key);

    assertThat(r.status()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"999999999", "0", "not-a-number", "-1", "12345678901234567890123"})
  void readingAnUnknownMeetingAnswers404(String id) {
    assertError(api.get("/v1/meetings/" + id, key), 404, "The requested resource doesn't exist");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Customer0348-|/customer0348-",
        "/deskmates-|/deskmates-",
        "' My Room '|/myroom",
        "'/Desk Mates - '|/deskmates-",
        "''|/",
        "abcdefghijklmnopqrstuvwxyz0123456789-ab|/abcdefghijklmnopqrstuvwxyz0123456789-ab",
        "/abcdefghijklmnopqrstuvwxyz0123456789-ab|/abcdefghijklmnopqrstuvwxyz0123456789-ab"
      })
  void roomNamePrefixIsNormalizedAndPutBeforeTheUuidWithoutASeparator(
      String prefix, String expected) {
    JsonNode m = created("\"roomNamePrefix\":\"" + prefix + "\"");

    String name = m.get("roomName").asText();
    assertThat(name).startsWith(expected);
    assertThat(name.substring(expected.length())).matches(UUID);
    assertThat(m.get("roomUrl").asText()).endsWith(name);
  }

  @Test
  @EnabledIfEnvironmentVariable(named = "PARLOR_TEST_DATABASE_URL", matches = "jdbc:postgresql:.*")
  void theLongestPrefixFitsOnPostgresql() {
    // A fresh schema of its own, never the shared database's public schema.
    String url = TestDatabases.postgresUrl();
    try (TestServer pg = TestServer.start(Map.of("PARLOR_DATABASE_URL", url))) {
      String k = pg.newOrganization("unlimited");
      String prefix = "abcdefghijklmnopqrstuvwxyz0123456789-ab";

      Response r =
          pg.client()
              .post(
                  "/v1/meetings",
                  k,
                  ApiClient.meetingBody("\"roomNamePrefix\":\"/" + prefix + "\""));

      assertThat(r.status()).as("create %s", r).isEqualTo(201);
      assertThat(r.json().get("roomName").asText()).matches("/" + prefix + UUID);
    }
  }

  @Test
  void roomNamePrefixLosesTabsAndNewlinesToo() {
    JsonNode m = created("\"roomNamePrefix\":\"\\tA b\\nC-\"");

    assertThat(m.get("roomName").asText()).matches("/abc-" + UUID);
  }

  @Test
  void humanShortRoomNamesAreSixDistinguishableCharacters() {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      String name = created("\"roomNamePattern\":\"human-short\"").get("roomName").asText();
      assertThat(name).matches("/[" + RoomNames.HUMAN_ALPHABET + "]{6}");
      assertThat(name).doesNotContain("0", "o", "1", "l", "i");
      names.add(name);
    }
    assertThat(names).hasSize(40);
    assertThat(RoomNames.HUMAN_ALPHABET).doesNotContain("0", "o", "1", "l", "i");
  }

  @Test
  void humanShortRoomNamesFollowThePrefix() {
    JsonNode m = created("\"roomNamePattern\":\"human-short\"", "\"roomNamePrefix\":\"Shop-\"");

    assertThat(m.get("roomName").asText()).matches("/shop-[" + RoomNames.HUMAN_ALPHABET + "]{6}");
  }

  @Test
  void roomModeDefaultsToNormalAndCanBeGroup() {
    assertThat(stored(created()).roomMode()).isEqualTo(Meeting.RoomMode.NORMAL);
    assertThat(stored(created("\"roomMode\":\"normal\"")).roomMode())
        .isEqualTo(Meeting.RoomMode.NORMAL);
    assertThat(stored(created("\"roomMode\":\"group\"")).roomMode())
        .isEqualTo(Meeting.RoomMode.GROUP);
  }

  @Test
  void isLockedDefaultsToFalseAndIsStored() {
    assertThat(stored(created()).locked()).isFalse();
    assertThat(stored(created("\"isLocked\":true")).locked()).isTrue();
    assertThat(stored(created("\"isLocked\":false")).locked()).isFalse();
  }

  @Test
  void viewerModeMakesALockedGroupRoomEvenWhenAskedOtherwise() {
    Meeting m =
        stored(
            created(
                "\"templateType\":\"viewerMode\"",
                "\"isLocked\":false",
                "\"roomMode\":\"normal\""));

    assertThat(m.locked()).isTrue();
    assertThat(m.roomMode()).isEqualTo(Meeting.RoomMode.GROUP);
    assertThat(m.templateType()).contains("viewerMode");
  }

  @Test
  void viewerModeAlwaysReturnsBothExtraUrlsOnCreateReadAndList() {
    JsonNode m = created("\"templateType\":\"viewerMode\"");
    String id = m.get("meetingId").asText();

    assertThat(fieldNames(m))
        .containsExactly(
            "startDate",
            "endDate",
            "roomName",
            "roomUrl",
            "meetingId",
            "hostRoomUrl",
            "viewerRoomUrl");
    JsonNode read = api.get("/v1/meetings/" + id, key).json();
    assertThat(read.get("hostRoomUrl").asText()).isEqualTo(m.get("hostRoomUrl").asText());
    assertThat(read.get("viewerRoomUrl").asText()).isEqualTo(m.get("viewerRoomUrl").asText());
    JsonNode listed = listed(id);
    assertThat(listed.get("hostRoomUrl").isTextual()).isTrue();
    assertThat(listed.get("viewerRoomUrl").isTextual()).isTrue();
  }

  @Test
  void recordingStreamingAndTranscriptionSettingsAreStoredWithTheMeeting() throws Exception {
    JsonNode m =
        created(
            "\"recording\":{\"type\":\"cloud\",\"destination\":{\"provider\":\"s3\","
                + "\"bucket\":\"my-bucket/recordings\",\"region\":\"eu-west-1\","
                + "\"fileFormat\":\"mp4\"},\"startTrigger\":\"automatic-2nd-participant\"}",
            "\"streaming\":{\"destination\":{\"url\":\"rtmp://a.rtmp.example/live2/k\"},"
                + "\"startTrigger\":\"prompt\"}",
            "\"liveTranscription\":{\"destination\":null,\"startTrigger\":\"manual\","
                + "\"language\":\"pt-BR\",\"liveCaptions\":true}");

    JsonNode options = Json.MAPPER.readTree(stored(m).optionsJson());
    assertThat(options.at("/recording/type").asText()).isEqualTo("cloud");
    assertThat(options.at("/recording/destination/provider").asText()).isEqualTo("s3");
    assertThat(options.at("/recording/destination/bucket").asText())
        .isEqualTo("my-bucket/recordings");
    assertThat(options.at("/recording/destination/region").asText()).isEqualTo("eu-west-1");
    assertThat(options.at("/recording/destination/fileFormat").asText()).isEqualTo("mp4");
    assertThat(options.at("/recording/startTrigger").asText())
        .isEqualTo("automatic-2nd-participant");
    assertThat(options.at("/streaming/destination/url").asText())
        .isEqualTo("rtmp://a.rtmp.example/live2/k");
    assertThat(options.at("/streaming/startTrigger").asText()).isEqualTo("prompt");
    assertThat(options.at("/liveTranscription/destination").isNull()).isTrue();
    assertThat(options.at("/liveTranscription/startTrigger").asText()).isEqualTo("manual");
    assertThat(options.at("/liveTranscription/language").asText()).isEqualTo("pt-BR");
    assertThat(options.at("/liveTranscription/liveCaptions").asBoolean()).isTrue();
  }

  static List<String> listedIds() {
    List<String> ids = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          api.get("/v1/meetings?limit=100" + (cursor == null ? "" : "&cursor=" + cursor), key)
              .json();
      page.get("results").forEach(m -> ids.add(m.get("meetingId").asText()));
      cursor = page.get("cursor").isNull() ? null : page.get("cursor").asText();
    } while (cursor != null);
    return ids;
  }

  static JsonNode listed(String id) {
    String cursor = null;
    do {
      JsonNode page =
          api.get("/v1/meetings?limit=100" + (cursor == null ? "" : "&cursor=" + cursor), key)
              .json();
      for (JsonNode m : page.get("results")) {
        if (m.get("meetingId").asText().equals(id)) {
          return m;
        }
      }
      cursor = page.get("cursor").isNull() ? null : page.get("cursor").asText();
    } while (cursor != null);
    throw new AssertionError("meeting " + id + " is not listed");
  }
}
