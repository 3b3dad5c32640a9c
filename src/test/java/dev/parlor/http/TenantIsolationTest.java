package dev.parlor.http;

import static dev.parlor.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parlor.testing.ApiClient;
import dev.parlor.testing.ApiClient.Response;
import dev.parlor.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One organization never sees or touches another's meetings. */
class TenantIsolationTest {
  static final String NOT_FOUND = "The requested resource doesn't exist";

  static TestServer server;
  static ApiClient api;
  static String alice;
  static String bob;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = server.client();
    alice = server.newOrganization("unlimited");
    bob = server.newOrganization("unlimited");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonNode create(String key) {
    Response r = api.post("/v1/meetings", key, ApiClient.meetingBody());
    assertThat(r.status()).isEqualTo(201);
    return r.json();
  }

  static List<String> listed(String key) {
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

  @Test
  void anotherOrganizationsMeetingIsNotFound() {
    String id = create(alice).get("meetingId").asText();

    assertError(api.get("/v1/meetings/" + id, bob), 404, NOT_FOUND);
    assertError(
        api.get("/v1/meetings/" + id + "?fields=hostRoomUrl,viewerRoomUrl", bob), 404, NOT_FOUND);
    assertThat(api.get("/v1/meetings/" + id, alice).status()).isEqualTo(200);
  }

  @Test
  void anotherOrganizationsMeetingIsNotListed() {
    String id = create(alice).get("meetingId").asText();
    String own = create(bob).get("meetingId").asText();

    assertThat(listed(bob)).contains(own).doesNotContain(id);
    assertThat(listed(alice)).contains(id).doesNotContain(own);
  }

  @Test
  void aNewOrganizationListsNothingOfOthers() {
    create(alice);
    String carol = server.newOrganization("unlimited");

    JsonNode page = api.get("/v1/meetings", carol).json();

    assertThat(page.get("results")).isEmpty();
    assertThat(page.get("cursor").isNull()).isTrue();
  }

  @Test
  void deletingAnotherOrganizationsMeetingIsANoOp204() {
    JsonNode m = create(alice);
    String id = m.get("meetingId").asText();

    Response r = api.delete("/v1/meetings/" + id, bob);

    assertThat(r.status()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
    Response stillThere = api.get("/v1/meetings/" + id, alice);
    assertThat(stillThere.status()).isEqualTo(200);
    assertThat(stillThere.json()).isEqualTo(m);
    assertThat(listed(alice)).contains(id);
  }

  @Test
  void aDeletedMeetingAndAnotherOrganizationsMeetingLookTheSame() {
    String foreign = create(alice).get("meetingId").asText();
    String deleted = create(bob).get("meetingId").asText();
    api.delete("/v1/meetings/" + deleted, bob);

    Response a = api.get("/v1/meetings/" + foreign, bob);
    Response b = api.get("/v1/meetings/" + deleted, bob);

    assertThat(a.status()).isEqualTo(b.status()).isEqualTo(404);
    assertThat(a.body()).isEqualTo(b.body());
  }
}
