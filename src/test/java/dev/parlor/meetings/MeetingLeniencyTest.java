package dev.parlor.meetings;

import static dev.parlor.testing.ApiAssertions.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parlor.testing.ApiClient;
import dev.parlor.testing.ApiClient.Response;
import dev.parlor.testing.TestServer;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a long-lived public API tolerates: nulls, unknown members, slashes, stray bodies. */
class MeetingLeniencyTest {
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

  static String createdId() {
    Response r = api.post("/v1/meetings", key, ApiClient.meetingBody());
    assertThat(r.status()).isEqualTo(201);
    return r.json().get("meetingId").asText();
  }

  @Test
  void nullIsAcceptedForEveryOptionalMember() {
    Response r =
        api.post(
            "/v1/meetings",
            key,
            ApiClient.meetingBody(
                "\"startDate\":null",
                "\"isLocked\":null",
                "\"roomMode\":null",
                "\"roomNamePrefix\":null",
                "\"roomNamePattern\":null",
                "\"templateType\":null",
                "\"recording\":null",
                "\"streaming\":null",
                "\"liveTranscription\":null",
                "\"isDialInEnabled\":null",
                "\"fields\":null"));

    assertThat(r.status()).as("%s", r).isEqualTo(201);
    assertThat(r.json().get("roomName").asText()).matches("/" + CreateMeetingTest.UUID);
    assertThat(fieldNames(r.json()))
        .containsExactly("startDate", "endDate", "roomName", "roomUrl", "meetingId");
  }

  @Test
  void unknownMembersAreIgnored() {
    Response r =
        api.post(
            "/v1/meetings",
            key,
            ApiClient.meetingBody(
                "\"futureOption\":true",
                "\"nested\":{\"a\":[1,2,{\"b\":null}]}",
                "\"meetingId\":\"123\"",
                "\"roomUrl\":\"https://evil.example/x\"",
                "\"recording\":{\"type\":\"local\",\"unknownToo\":1}"));

    assertThat(r.status()).as("%s", r).isEqualTo(201);
    assertThat(r.json().get("roomUrl").asText()).startsWith(server.app().publicUrl() + "/");
    assertThat(r.json().get("meetingId").asText()).isNotEqualTo("123");
  }

  @Test
  void anEmptyFieldsArrayIsAcceptedAndAddsNoUrl() {
    Response r = api.post("/v1/meetings", key, ApiClient.meetingBody("\"fields\":[]"));

    assertThat(r.status()).isEqualTo(201);
    assertThat(fieldNames(r.json())).doesNotContain("hostRoomUrl", "viewerRoomUrl");
  }

  @Test
  void dialInIsAnAcceptedFieldThatAddsNothing() {
    Response r =
        api.post(
            "/v1/meetings",
            key,
            ApiClient.meetingBody("\"fields\":[\"dialIn\"]", "\"isDialInEnabled\":true"));

    assertThat(r.status()).isEqualTo(201);
    assertThat(fieldNames(r.json()))
        .containsExactly("startDate", "endDate", "roomName", "roomUrl", "meetingId");
  }

  @Test
  void theCollectionAnswersWithATrailingSlash() {
    Response created = api.post("/v1/meetings/", key, ApiClient.meetingBody());
    assertThat(created.status()).isEqualTo(201);
    String id = created.json().get("meetingId").asText();

    Response listed = api.get("/v1/meetings/", key);

    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.json().get("results").findValuesAsText("meetingId")).contains(id);
  }

  @Test
  void oneMeetingAnswersWithATrailingSlash() {
    String id = createdId();

    Response read = api.get("/v1/meetings/" + id + "/", key);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().get("meetingId").asText()).isEqualTo(id);

    Response deleted = api.delete("/v1/meetings/" + id + "/", key);
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(api.get("/v1/meetings/" + id, key).status()).isEqualTo(404);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "{\"limit\":1}", "[]", "not json at all"})
  void getIgnoresAJsonBodyAndContentType(String body) {
    String id = createdId();

    Response one = api.send("GET", "/v1/meetings/" + id, key, body);
    Response list = api.send("GET", "/v1/meetings", key, body);

    assertThat(one.status()).as("%s", one).isEqualTo(200);
    assertThat(one.json().get("meetingId").asText()).isEqualTo(id);
    assertThat(list.status()).as("%s", list).isEqualTo(200);
    assertThat(list.json().get("results").findValuesAsText("meetingId")).contains(id);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "{\"meetingId\":\"1\"}", "[]"})
  void deleteIgnoresAJsonBodyAndContentType(String body) {
    String id = createdId();

    Response r = api.send("DELETE", "/v1/meetings/" + id, key, body);

    assertThat(r.status()).as("%s", r).isEqualTo(204);
    assertThat(r.body()).isEmpty();
    assertThat(api.get("/v1/meetings/" + id, key).status()).isEqualTo(404);
  }

  @Test
  void aJsonContentTypeWithoutABodyIsFineOnGetAndDelete() {
    String id = createdId();

    Response get =
        api.send("GET", "/v1/meetings/" + id, key, null, "Content-Type", "application/json");
    Response delete =
        api.send("DELETE", "/v1/meetings/" + id, key, null, "Content-Type", "application/json");

    assertThat(get.status()).isEqualTo(200);
    assertThat(delete.status()).isEqualTo(204);
  }

  @Test
  void aJsonContentTypeWithACharsetIsFineOnPost() {
    HttpRequest req =
        HttpRequest.newBuilder(api.uri("/v1/meetings"))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(ApiClient.meetingBody()))
            .build();

    assertThat(api.send(req).status()).isEqualTo(201);
  }

  @Test
  void headOnTheCollectionAnswers200WithoutABody() {
    Response r = api.send("HEAD", "/v1/meetings", key, null);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
  }
}
