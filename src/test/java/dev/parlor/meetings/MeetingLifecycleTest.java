package dev.parlor.meetings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parlor.testing.ApiClient;
import dev.parlor.testing.ApiClient.Response;
import dev.parlor.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MeetingLifecycleTest {
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

  @Test
  void aCreatedMeetingCanBeReadListedAndDeleted() {
    Response created = api.post("/v1/meetings", key, ApiClient.meetingBody());
    assertThat(created.status()).isEqualTo(201);
    String id = created.json().get("meetingId").asText();
    assertThat(id).matches("\\d+");
    assertThat(created.json().get("roomUrl").asText())
        .isEqualTo(server.app().publicUrl() + created.json().get("roomName").asText());

    Response read = api.get("/v1/meetings/" + id, key);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json()).isEqualTo(created.json());

    Response deleted = api.delete("/v1/meetings/" + id, key);
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(deleted.body()).isEmpty();
    assertThat(api.get("/v1/meetings/" + id, key).status()).isEqualTo(404);
    assertThat(api.delete("/v1/meetings/" + id, key).status()).isEqualTo(204);
  }
}
