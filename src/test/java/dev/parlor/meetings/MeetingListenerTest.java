package dev.parlor.meetings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parlor.testing.ApiClient;
import dev.parlor.testing.MutableClock;
import dev.parlor.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MeetingListenerTest {
  MutableClock clock = MutableClock.startingNow();
  TestServer server;
  String key;
  List<String> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    server = TestServer.start(Map.of("PARLOR_MEETING_GRACE", "PT2S"), clock);
    key = server.newOrganization("unlimited");
    server
        .app()
        .meetings()
        .addListener(
            new MeetingListener() {
              @Override
              public void meetingCreated(Meeting m) {
                events.add("created " + m.meetingId());
              }

              @Override
              public void meetingRemoved(Meeting m) {
                events.add("removed " + m.meetingId());
              }
            });
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String create() {
    return server
        .client()
        .post("/v1/meetings", key, ApiClient.meetingBody())
        .json()
        .get("meetingId")
        .asText();
  }

  @Test
  void listenersHearOfCreationAndOfDeletionOnceEvenWhenDeletedTwice() {
    String id = create();
    server.client().delete("/v1/meetings/" + id, key);
    server.client().delete("/v1/meetings/" + id, key);

    assertThat(events).containsExactly("created " + id, "removed " + id);
  }

  @Test
  void listenersHearOfMeetingsTheSweepRemoves() {
    String id = create();
    clock.advance(Duration.ofHours(2));

    server.app().sweeper().sweepAll();

    assertThat(events).containsExactly("created " + id, "removed " + id);
  }

  @Test
  void anotherOrganizationsDeleteIsNoEvent() {
    String id = create();
    String other = server.newOrganization("unlimited");

    server.client().delete("/v1/meetings/" + id, other);

    assertThat(events).containsExactly("created " + id);
  }

  @Test
  void aLiveMeetingIsFoundByRoomNameWithOrWithoutItsSlash() {
    String id = create();
    String room = server.client().get("/v1/meetings/" + id, key).json().get("roomName").asText();

    assertThat(server.app().meetings().findLiveByRoomName(room)).isPresent();
    assertThat(server.app().meetings().findLiveByRoomName(room.substring(1))).isPresent();
    clock.advance(Duration.ofHours(2));
    assertThat(server.app().meetings().findLiveByRoomName(room)).isEmpty();
  }
}
