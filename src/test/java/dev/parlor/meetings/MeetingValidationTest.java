package dev.parlor.meetings;

import static dev.parlor.testing.ApiAssertions.assertErrorShape;
import static dev.parlor.testing.ApiAssertions.assertFieldError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parlor.testing.ApiClient;
import dev.parlor.testing.ApiClient.Response;
import dev.parlor.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad create-meeting bodies: a 400 whose message and {@code data.field} name the field. */
class MeetingValidationTest {
  static TestServer server;
  static ApiClient api;
  static String key;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = server.client();
    key = server.newOrganization("unlimited");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Response post(String body) {
    return api.post("/v1/meetings", key, body);
  }

  static String future() {
    return Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static Response createWith(String... members) {
    return post(ApiClient.meetingBody(members));
  }

  @Test
  void aMissingEndDateIsRefused() {
    assertFieldError(post("{\"roomMode\":\"group\"}"), "endDate");
  }

  @Test
  void aNullEndDateIsRefused() {
    assertFieldError(post("{\"endDate\":null}"), "endDate");
  }

  @Test
  void anEmptyBodyIsRefusedForItsMissingEndDate() {
    assertFieldError(api.send("POST", "/v1/meetings", key, ""), "endDate");
    assertFieldError(api.send("POST", "/v1/meetings", key, null), "endDate");
  }

  @ParameterizedTest
  @ValueSource(strings = {"2020-01-01T00:00:00Z", "1999-12-31T23:59:59-05:00"})
  void anEndDateInThePastIsRefused(String endDate) {
    assertFieldError(post("{\"endDate\":\"" + endDate + "\"}"), "endDate");
  }

  @Test
  void anEndDateAMinuteAgoIsRefused() {
    String endDate = Instant.now().minus(Duration.ofMinutes(1)).toString();

    assertFieldError(post("{\"endDate\":\"" + endDate + "\"}"), "endDate");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "tomorrow",
        "",
        "2030-13-01T00:00:00Z",
        "2030-02-30T00:00:00Z",
        "2030-01-01 10:00",
        "2030-01-01T25:00:00Z",
        "2030-01-01T10:00:00+25:00"
      })
  void anUnparsableEndDateIsRefused(String endDate) {
    assertFieldError(post("{\"endDate\":\"" + endDate + "\"}"), "endDate");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "+10000-01-01T00:00:00Z",
        "+999999999-12-31T23:59:59Z",
        "+999999999-12-31T23:59:59-18:00"
      })
  void anEndDateBeyondTheYear9999IsRefused(String endDate) {
    assertFieldError(post("{\"endDate\":\"" + endDate + "\"}"), "endDate");
  }

  @Test
  void theLastSecondOfTheYear9999IsAValidEndDate() {
    Response r =
        post(
            "{\"endDate\":\"9999-12-31T23:59:59Z\",\"fields\":[\"hostRoomUrl\",\"viewerRoomUrl\"]}");

    assertThat(r.status()).as("%s", r).isEqualTo(201);
    assertThat(r.json().get("endDate").asText()).isEqualTo("9999-12-31T23:59:59Z");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1893456000", "1893456000000", "true", "{}", "[]", "[\"2030-01-01\"]"})
  void anEndDateOfTheWrongTypeIsRefused(String endDate) {
    assertFieldError(post("{\"endDate\":" + endDate + "}"), "endDate");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a_b",
        "a!b",
        "caf\\u00e9",
        "a/b",
        "//ab",
        "abcdefghijklmnopqrstuvwxyz0123456789-abc",
        "/abcdefghijklmnopqrstuvwxyz0123456789-abc"
      })
  void aBadRoomNamePrefixIsRefused(String prefix) {
    assertFieldError(createWith("\"roomNamePrefix\":\"" + prefix + "\""), "roomNamePrefix");
  }

  @Test
  void aPrefixOfFortyCharactersIsRefused() {
    String forty = "a".repeat(40);

    assertFieldError(createWith("\"roomNamePrefix\":\"" + forty + "\""), "roomNamePrefix");
    assertThat(createWith("\"roomNamePrefix\":\"" + "a".repeat(39) + "\"").status()).isEqualTo(201);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "roomNamePrefix|5",
        "roomNamePrefix|[\"abc\"]",
        "roomNamePattern|\"short\"",
        "roomNamePattern|\"UUID\"",
        "roomNamePattern|1",
        "roomMode|\"huge\"",
        "roomMode|\"Group\"",
        "roomMode|true",
        "isLocked|\"yes\"",
        "isLocked|1",
        "isLocked|\"true\"",
        "templateType|\"viewermode\"",
        "templateType|\"webinar\"",
        "templateType|{}",
        "fields|\"hostRoomUrl\"",
        "fields|[1]",
        "fields|[\"hostRoomUrl\",null]",
        "fields|{\"hostRoomUrl\":true}",
        "isDialInEnabled|\"yes\"",
        "recording|\"cloud\"",
        "recording|[]",
        "streaming|\"rtmp://x\"",
        "liveTranscription|true"
      })
  void aBadTopLevelMemberIsRefusedByName(String member, String value) {
    assertFieldError(createWith("\"" + member + "\":" + value), member);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "recording.type|{\"type\":\"video\"}",
        "recording.type|{\"type\":1}",
        "recording.type|{\"destination\":null,\"startTrigger\":null}",
        "recording.destination|{\"type\":\"cloud\",\"destination\":\"s3\"}",
        "recording.destination.provider|{\"type\":\"cloud\",\"destination\":{}}",
        "recording.destination.provider|{\"type\":\"cloud\",\"destination\":{\"provider\":\"gcs\"}}",
        "recording.destination.provider|{\"type\":\"cloud\",\"destination\":{\"provider\":true}}",
        "recording.destination.authenticationType|{\"type\":\"cloud\",\"destination\":{\"provider\":\"s3\",\"authenticationType\":\"password\"}}",
        "recording.destination.bucket|{\"type\":\"cloud\",\"destination\":{\"provider\":\"s3\",\"bucket\":5}}",
        "recording.destination.region|{\"type\":\"cloud\",\"destination\":{\"provider\":\"s3\",\"region\":[]}}",
        "recording.destination.endpoint|{\"type\":\"cloud\",\"destination\":{\"provider\":\"s3\",\"endpoint\":{}}}",
        "recording.destination.accessKeyId|{\"type\":\"cloud\",\"destination\":{\"provider\":\"s3\",\"accessKeyId\":1}}",
        "recording.destination.fileFormat|{\"type\":\"cloud\",\"destination\":{\"provider\":\"s3\",\"fileFormat\":\"avi\"}}",
        "recording.startTrigger|{\"type\":\"cloud\",\"startTrigger\":\"sometimes\"}",
        "recording.startTrigger|{\"type\":\"cloud\",\"startTrigger\":false}"
      })
  void aBadRecordingIsRefusedNamingTheDottedField(String field, String recording) {
    assertFieldError(createWith("\"recording\":" + recording), field);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "streaming.destination|{\"destination\":\"rtmp://x\"}",
        "streaming.destination.url|{\"destination\":{}}",
        "streaming.destination.url|{\"destination\":{\"url\":42}}",
        "streaming.startTrigger|{\"startTrigger\":\"manual\"}",
        "streaming.startTrigger|{\"startTrigger\":[]}"
      })
  void aBadStreamingIsRefusedNamingTheDottedField(String field, String streaming) {
    assertFieldError(createWith("\"streaming\":" + streaming), field);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "liveTranscription.destination|{\"destination\":7}",
        "liveTranscription.destination.provider|{\"destination\":{\"provider\":\"ftp\"}}",
        "liveTranscription.destination.bucket|{\"destination\":{\"provider\":\"s3\",\"bucket\":true}}",
        "liveTranscription.startTrigger|{\"startTrigger\":\"prompt\"}",
        "liveTranscription.language|{\"language\":\"xx\"}",
        "liveTranscription.language|{\"language\":\"EN\"}",
        "liveTranscription.language|{\"language\":1}",
        "liveTranscription.liveCaptions|{\"liveCaptions\":\"yes\"}"
      })
  void aBadLiveTranscriptionIsRefusedNamingTheDottedField(String field, String transcription) {
    assertFieldError(createWith("\"liveTranscription\":" + transcription), field);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"recording\":{\"type\":\"cloud\",\"destination\":null,\"startTrigger\":null}",
        "\"recording\":{\"type\":\"local\"}",
        "\"recording\":{\"type\":\"none\",\"destination\":null,\"startTrigger\":\"none\"}",
        "\"recording\":{\"type\":\"cloud\",\"destination\":{\"provider\":\"whereby\"},"
            + "\"startTrigger\":\"automatic\"}",
        "\"recording\":{\"type\":\"cloud\",\"destination\":{\"provider\":\"s3\","
            + "\"authenticationType\":\"accessKey\",\"bucket\":\"b/sub\",\"region\":\"eu-west-1\","
            + "\"endpoint\":\"https://minio.example:9000\",\"accessKeyId\":\"AKIA\","
            + "\"accessKeySecret\":\"s\",\"fileFormat\":\"mkv\"},\"startTrigger\":\"prompt\"}",
        "\"recording\":{\"type\":\"cloud\",\"destination\":{\"provider\":\"s3\","
            + "\"authenticationType\":\"roleBased\",\"bucket\":\"b\","
            + "\"oidcRoleArn\":\"arn:aws:iam::1:role/r\"},\"startTrigger\":\"none\"}",
        "\"streaming\":{\"destination\":null,\"startTrigger\":null}",
        "\"streaming\":{\"destination\":{\"url\":\"rtmp://a.rtmp.youtube.com/live2/k\"},"
            + "\"startTrigger\":\"automatic\"}",
        "\"liveTranscription\":{\"destination\":null,\"startTrigger\":null}",
        "\"liveTranscription\":{\"destination\":{\"provider\":\"s3\",\"bucket\":\"b\","
            + "\"region\":\"us-east-1\"},\"startTrigger\":\"automatic-2nd-participant\","
            + "\"language\":\"en\",\"liveCaptions\":false}",
        "\"liveTranscription\":{\"destination\":null,\"startTrigger\":\"manual\","
            + "\"language\":\"pt-BR\"}",
        "\"liveTranscription\":{\"language\":\"zh-TW\"}",
        "\"liveTranscription\":{\"language\":null,\"liveCaptions\":null}"
      })
  void validRecordingStreamingAndTranscriptionSettingsAreAccepted(String member) {
    Response r = createWith(member);

    assertThat(r.status()).as("create with %s: %s", member, r).isEqualTo(201);
  }

  @Test
  void aBadValueIsRefusedEvenWhenEndDateIsFine() {
    Response r = post("{\"endDate\":\"" + future() + "\",\"roomMode\":\"huge\"}");

    assertThat(assertErrorShape(r, 400).get("error").asText()).contains("roomMode");
  }
}
