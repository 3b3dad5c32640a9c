package dev.parlor.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parlor.testing.ApiClient.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Assertions on the wire format every Parlor error and meeting shares. */
public final class ApiAssertions {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ApiAssertions() {}

  /**
   * Asserts {@code status} and the error shape {@code {"error": "<non-empty>", "data": {...}?}}
   * with nothing else in it, served as JSON; returns the body.
   */
  public static JsonNode assertErrorShape(Response r, int status) {
    assertThat(r.status()).as("status of %s", r).isEqualTo(status);
    assertThat(r.header("Content-Type"))
        .as("content type of %s", r)
        .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
    JsonNode body = r.json();
    assertThat(body.isObject()).as("error body %s is an object", r.body()).isTrue();
    assertThat(fieldNames(body)).as("members of %s", r.body()).isSubsetOf("error", "data");
    assertThat(body.path("error").isTextual()).as("error of %s is a string", r.body()).isTrue();
    assertThat(body.get("error").asText()).isNotBlank();
    if (body.has("data")) {
      assertThat(body.get("data").isObject()).as("data of %s is an object", r.body()).isTrue();
    }
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    return body;
  }

  /** Asserts exactly {@code {"error": message}} with this status. */
  public static void assertError(Response r, int status, String message) {
    assertErrorShape(r, status);
    assertThat(r.json()).isEqualTo(MAPPER.createObjectNode().put("error", message));
  }

  /** Asserts a 400 whose message names {@code field} and whose {@code data.field} is it. */
  public static JsonNode assertFieldError(Response r, String field) {
    JsonNode body = assertErrorShape(r, 400);
    assertThat(body.get("error").asText()).as("message of %s", r.body()).contains(field);
    assertThat(body.path("data").path("field").asText())
        .as("data.field of %s", r.body())
        .isEqualTo(field);
    return body;
  }

  public static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** The payload (middle segment) of a JWT, decoded without verifying it, as the SDK does. */
  public static JsonNode jwtPayload(String jwt) {
    return jwtSegment(jwt, 1);
  }

  public static JsonNode jwtHeader(String jwt) {
    return jwtSegment(jwt, 0);
  }

  private static JsonNode jwtSegment(String jwt, int index) {
    String[] parts = jwt.split("\\.");
    assertThat(parts).as("segments of JWT %s", jwt).hasSize(3);
    try {
      return MAPPER.readTree(
          new String(Base64.getUrlDecoder().decode(parts[index]), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
