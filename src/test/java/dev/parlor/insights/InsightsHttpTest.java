package dev.parlor.insights;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parlor.testing.ApiClient.Response;
import dev.parlor.testing.MutableClock;
import dev.parlor.testing.TestDatabases;
import dev.parlor.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A real server on a clock the test moves, an organization, and helpers to create meetings over
 * HTTP, feed their rooms through {@link RoomActivity} and read the insights endpoints.
 */
abstract class InsightsHttpTest {
  static final Instant START = Instant.parse("2030-03-04T10:00:00Z");

  MutableClock clock;
  String databaseUrl;
  TestServer server;
  RoomActivity activity;
  String key;

  /** Extra configuration for the server (PARLOR_* variables). */
  Map<String, String> config() {
    return Map.of();
  }

  /** The database the server uses; null for SQLite in its data directory. */
  String newDatabaseUrl() {
    return null;
  }

  @BeforeEach
  void startServer() {
    clock = new MutableClock(START);
    databaseUrl = newDatabaseUrl();
    Map<String, String> env = new HashMap<>(config());
    if (databaseUrl != null) {
      env.put("PARLOR_DATABASE_URL", databaseUrl);
    }
    server = TestServer.start(env, clock);
    activity = server.app().roomActivity();
    key = server.newOrganization("unlimited");
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
    TestDatabases.release(databaseUrl);
  }

  // ------------------------------------------------------------------ meetings

  /** Creates a meeting ending in a day and returns its room name. */
  String createRoom() {
    return createRoom(key, "");
  }

  String createRoom(String apiKey, String prefix) {
    Response r = server.client().post("/v1/meetings", apiKey, meetingBody(prefix, 24 * 60));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("roomName").asText();
  }

  /** A meeting created over HTTP: its id, room name and end date as the API reported them. */
  record Created(String meetingId, String roomName, String endDate, String startDate) {}

  Created createMeeting(String apiKey, String prefix, int minutes) {
    Response r = server.client().post("/v1/meetings", apiKey, meetingBody(prefix, minutes));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    JsonNode j = r.json();
    return new Created(
        j.get("meetingId").asText(),
        j.get("roomName").asText(),
        j.get("endDate").asText(),
        j.get("startDate").asText());
  }

  String meetingBody(String prefix, int minutes) {
    return "{\"endDate\":\""
        + clock.instant().plus(Duration.ofMinutes(minutes))
        + "\",\"roomNamePrefix\":\""
        + prefix
        + "\"}";
  }

  // ------------------------------------------------------------------ activity

  private final Map<String, String> participantOf = new HashMap<>();

  /** A participant (role visitor) joins now on connection {@code conn}. */
  void join(String room, String conn, String participant) {
    join(room, conn, participant, Role.VISITOR);
  }

  void join(String room, String conn, String participant, Role role) {
    join(room, conn, participant, role, null);
  }

  void join(String room, String conn, String participant, Role role, String externalId) {
    participantOf.put(conn, participant);
    activity.participantConnected(
        new RoomActivity.Join(
            room,
            conn,
            participant,
            "device-" + participant,
            role,
            "Name " + participant,
            externalId,
            "Mozilla/5.0 (" + conn + ")",
            clock.instant()));
  }

  void leave(String conn) {
    activity.participantDisconnected(conn, clock.instant());
  }

  void advance(Duration d) {
    clock.advance(d);
  }

  void advanceSeconds(long s) {
    clock.advance(Duration.ofSeconds(s));
  }

  /** Lets the idle timer act at the clock's now and writes everything. */
  void settle() {
    activity.tick();
    activity.flush();
  }

  // ------------------------------------------------------------------ reading

  Response get(String path) {
    return server.client().get(path, key);
  }

  JsonNode ok(String path) {
    return ok(path, key);
  }

  JsonNode ok(String path, String apiKey) {
    Response r = server.client().get(path, apiKey);
    assertThat(r.status()).as(path + ": " + r).isEqualTo(200);
    return r.json();
  }

  static String q(String name, String value) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8)
        + "="
        + URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** The room's insights, found by its exact name. */
  JsonNode room(String roomName) {
    JsonNode results = ok("/v1/insights/rooms?" + q("roomName[exact]", roomName)).get("results");
    assertThat(results).as("rooms named " + roomName).hasSize(1);
    return results.get(0);
  }

  /** The room's sessions, oldest first. */
  List<JsonNode> sessions(String roomName) {
    List<JsonNode> out = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          ok(
              "/v1/insights/room-sessions?"
                  + q("roomName", roomName)
                  + "&sortBy=startedAt:asc&limit=100"
                  + (cursor == null ? "" : "&" + q("cursor", cursor)));
      page.get("results").forEach(out::add);
      cursor = page.get("cursor").isNull() ? null : page.get("cursor").asText();
    } while (cursor != null);
    return out;
  }

  JsonNode onlySession(String roomName) {
    List<JsonNode> s = sessions(roomName);
    assertThat(s).as("sessions of " + roomName).hasSize(1);
    return s.get(0);
  }

  /** The participants of a session, in join order. */
  List<JsonNode> participants(String roomSessionId) {
    List<JsonNode> out = new ArrayList<>();
    ok("/v1/insights/participants?roomSessionId=" + roomSessionId + "&limit=100")
        .get("results")
        .forEach(out::add);
    return out;
  }

  static String at(Instant i) {
    return InsightsRoutes.date(i.toEpochMilli());
  }
}
