package dev.parlor.http;

import static dev.parlor.testing.ApiAssertions.assertError;
import static dev.parlor.testing.ApiAssertions.assertErrorShape;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parlor.testing.ApiClient;
import dev.parlor.testing.ApiClient.Response;
import dev.parlor.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every error is {@code {"error": "...", "data": {...}?}} JSON with the right status. */
class ErrorFormatTest {
  static TestServer server;
  static ApiClient api;
  static String key;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("PARLOR_AUTH_FAILURE_LIMIT", "1000000"));
    api = server.client();
    key = server.newOrganization("unlimited");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v1/nope",
        "/v1/meetingsx",
        "/v1/meetings/1/extra",
        "/v1/meetings/1/extra/more",
        "/v2/meetings"
      })
  void anUnknownPathIsAJson404(String path) {
    assertError(api.get(path, key), 404, "The requested resource doesn't exist");
    assertError(
        api.post(path, key, ApiClient.meetingBody()), 404, "The requested resource doesn't exist");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/nope", "/meetings", "/index.html"})
  void anUnknownPathOutsideV1IsAJson404WithoutAKey(String path) {
    assertError(api.get(path, null), 404, "The requested resource doesn't exist");
  }

  @ParameterizedTest
  @CsvSource({
    "PUT, /v1/meetings, 'POST, GET, HEAD'",
    "PATCH, /v1/meetings, 'POST, GET, HEAD'",
    "DELETE, /v1/meetings, 'POST, GET, HEAD'",
    "DELETE, /v1/meetings/, 'POST, GET, HEAD'",
    "POST, /v1/meetings/1, 'GET, DELETE, HEAD'",
    "PUT, /v1/meetings/1, 'GET, DELETE, HEAD'",
    "PATCH, /v1/meetings/1/, 'GET, DELETE, HEAD'"
  })
  void aKnownPathWithTheWrongMethodIsAJson405(String method, String path, String allowed) {
    Response r = api.send(method, path, key, "{}");

    JsonNode body = assertErrorShape(r, 405);
    assertThat(body.get("error").asText()).contains(method);
    assertThat(body.at("/data/allowed").asText()).isEqualTo(allowed);
    assertThat(r.header("Allow")).contains(allowed);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{",
        "{\"endDate\":}",
        "{\"endDate\":\"2030-01-01T00:00:00Z\"}}",
        "{\"endDate\":\"2030-01-01T00:00:00Z\"} {}",
        "{'endDate':'2030-01-01T00:00:00Z'}",
        "{endDate:\"2030-01-01T00:00:00Z\"}",
        "{\"endDate\":\"2030-01-01T00:00:00Z\",}",
        "{\"isLocked\":tru}",
        "{\"n\":NaN}",
        "nul",
        "<xml/>",
        "endDate=2030-01-01T00:00:00Z"
      })
  void malformedJsonIsAJson400(String body) {
    Response r = api.post("/v1/meetings", key, body);

    JsonNode error = assertErrorShape(r, 400);
    assertThat(error.get("error").asText()).contains("JSON");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[]",
        "[{\"endDate\":\"2030-01-01T00:00:00Z\"}]",
        "\"a string\"",
        "42",
        "true",
        "null"
      })
  void aBodyThatIsNotAnObjectIsA400(String body) {
    assertError(api.post("/v1/meetings", key, body), 400, "Request body must be a JSON object");
  }

  @Test
  void deeplyNestedJsonIsA400AndNotA500() {
    String nested =
        "{\"endDate\":\"2030-01-01T00:00:00Z\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";

    assertErrorShape(api.post("/v1/meetings", key, nested), 400);
  }

  static Stream<String> oddNumbers() {
    return Stream.of(
        "9".repeat(5000),
        "1e999999",
        "-0.0000000000000000000001",
        "123456789012345678901234567890");
  }

  @ParameterizedTest
  @MethodSource("oddNumbers")
  void hugeOrOddNumbersInUnknownMembersAreNeverA500(String number) {
    Response r = api.post("/v1/meetings", key, ApiClient.meetingBody("\"n\":" + number));

    assertThat(r.status()).as("%s", r).isIn(201, 400);
    if (r.status() == 400) {
      assertErrorShape(r, 400);
    }
  }

  @Test
  void invalidUtf8IsA400() {
    byte[] body = {'{', '"', 'e', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
    HttpRequest req =
        HttpRequest.newBuilder(api.uri("/v1/meetings"))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();

    assertErrorShape(api.send(req), 400);
  }

  @Test
  void aBodyOverOneMegabyteIsAJson413() {
    String body = ApiClient.meetingBody("\"pad\":\"" + "x".repeat(1024 * 1024) + "\"");

    JsonNode error = assertErrorShape(api.post("/v1/meetings", key, body), 413);

    assertThat(error.get("error").asText()).contains("larger");
  }

  @Test
  void aChunkedBodyOverOneMegabyteIsAJson413() {
    byte[] body =
        ApiClient.meetingBody("\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\"")
            .getBytes(StandardCharsets.UTF_8);
    HttpRequest req =
        HttpRequest.newBuilder(api.uri("/v1/meetings"))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
            .build();

    assertErrorShape(api.send(req), 413);
  }

  @Test
  void aBodyJustUnderOneMegabyteIsAccepted() {
    String body = ApiClient.meetingBody("\"pad\":\"" + "x".repeat(990_000) + "\"");

    assertThat(api.post("/v1/meetings", key, body).status()).isEqualTo(201);
  }

  @Test
  void theServerStillAnswersOnAFreshConnectionAfterA413() {
    String body = ApiClient.meetingBody("\"pad\":\"" + "x".repeat(1024 * 1024) + "\"");
    assertThat(api.post("/v1/meetings", key, body).status()).isEqualTo(413);

    assertThat(api.post("/v1/meetings", key, ApiClient.meetingBody()).status()).isEqualTo(201);
  }

  @ParameterizedTest
  @CsvSource({
    "GET, /v1/transcriptions, /v1/transcriptions",
    "POST, /v1/transcriptions, /v1/transcriptions",
    "GET, /v1/transcriptions/abc, /v1/transcriptions/{id}",
    "DELETE, /v1/transcriptions/abc, /v1/transcriptions/{id}",
    "GET, /v1/summaries, /v1/summaries",
    "POST, /v1/summaries, /v1/summaries",
    "GET, /v1/summaries/abc, /v1/summaries/{id}",
    "GET, /v1/transcriptions/abc/access-link, /v1/transcriptions/{id}/access-link"
  })
  void endpointsNotImplementedYetAnswer501WithAJsonErrorAfterAuthentication(
      String method, String path, String template) {
    String body = method.equals("POST") ? "{}" : null;

    Response r = api.send(method, path, key, body);

    JsonNode error = assertErrorShape(r, 501);
    assertThat(error.at("/data/endpoint").asText()).isEqualTo(method + " " + template);
    assertError(api.send(method, path, null, body), 401, "Access token is missing or invalid");
  }

  @Test
  void aMalformedRequestTargetIsAJson400() throws IOException {
    String raw =
        "GET /v1/meetings/%zz HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
            + key
            + "\r\nConnection: close\r\n\r\n";

    String response = rawExchange(raw);

    assertThat(response).startsWith("HTTP/1.1 400");
    assertThat(response.toLowerCase(java.util.Locale.ROOT))
        .contains("content-type: application/json");
    assertThat(response)
        .contains("{\"error\":")
        .doesNotContain("<html")
        .doesNotContain("Exception");
  }

  @Test
  void anInvalidContentLengthIsAJson400() throws IOException {
    String raw =
        "POST /v1/meetings HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
            + key
            + "\r\nContent-Type: application/json\r\nContent-Length: banana\r\n"
            + "Connection: close\r\n\r\n{}";

    String response = rawExchange(raw);

    assertThat(response).startsWith("HTTP/1.1 400");
    assertThat(response)
        .contains("{\"error\":")
        .doesNotContain("<html")
        .doesNotContain("Exception");
  }

  static String rawExchange(String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.app().port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
