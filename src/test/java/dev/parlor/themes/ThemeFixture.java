package dev.parlor.themes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parlor.testing.ApiClient;
import dev.parlor.testing.ApiClient.Response;
import dev.parlor.testing.Multipart;
import dev.parlor.testing.TestServer;
import java.net.URI;
import java.time.Instant;

/** Calls the theme tests share: rooms, uploads, the public theme and its images. */
final class ThemeFixture {
  private ThemeFixture() {}

  /** A new meeting of {@code key}'s organization; returns its room name (with its slash). */
  static String room(TestServer server, String key) {
    return room(server, key, server.clock().instant().plusSeconds(3600));
  }

  static String room(TestServer server, String key, Instant endDate) {
    Response r = server.client().post("/v1/meetings", key, "{\"endDate\":\"" + endDate + "\"}");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("roomName").asText();
  }

  static String meetingIdOf(TestServer server, String key, String roomName) {
    for (JsonNode m : server.client().get("/v1/meetings?limit=100", key).json().get("results")) {
      if (m.get("roomName").asText().equals(roomName)) {
        return m.get("meetingId").asText();
      }
    }
    throw new AssertionError("no meeting with room " + roomName);
  }

  /** The room name as the path segment: without its slash. */
  static String segment(String roomName) {
    return roomName.substring(1);
  }

  static Response putTokens(ApiClient api, String key, String roomName, String json) {
    return api.send("PUT", "/v1/rooms/" + segment(roomName) + "/theme/tokens", key, json);
  }

  static Response putJson(
      ApiClient api, String key, String roomName, String endpoint, String json) {
    return api.send("PUT", "/v1/rooms/" + segment(roomName) + "/theme/" + endpoint, key, json);
  }

  static Response upload(
      ApiClient api, String key, String roomName, String endpoint, Multipart body) {
    return api.sendBytes(
        "PUT",
        "/v1/rooms/" + segment(roomName) + "/theme/" + endpoint,
        key,
        body.contentType(),
        body.bytes());
  }

  static Response upload(
      ApiClient api, String key, String roomName, String endpoint, String type, byte[] image) {
    return upload(api, key, roomName, endpoint, Multipart.image("upload", type, image));
  }

  static JsonNode theme(ApiClient api, String roomName) {
    Response r = api.get("/rooms/" + segment(roomName) + "/theme.json", null);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  /** The path (no host) of an image URL in theme.json. */
  static String path(JsonNode image) {
    return URI.create(image.get("url").asText()).getPath();
  }

  static ApiClient.BinaryResponse fetch(ApiClient api, JsonNode image) {
    return api.getBytes(path(image));
  }
}
