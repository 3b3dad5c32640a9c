package dev.parlor.insights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parlor.meetings.Meeting;
import dev.parlor.signaling.RoomObserver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The adapter from the signaling's observer to {@link RoomActivity}. */
class SignalingInsightsTest {
  static final Instant T = Instant.parse("2030-01-01T00:00:00Z");

  /** Records calls; refuses joins to the room "/refused". */
  static final class Recorder implements RoomActivity {
    final List<String> calls = new ArrayList<>();

    @Override
    public void participantConnected(Join j) {
      if (j.roomName().equals("/refused")) {
        throw new IllegalArgumentException("no live meeting has the room /refused");
      }
      calls.add(
          "join "
              + j.connectionId()
              + " "
              + j.participantId()
              + " "
              + j.role()
              + " "
              + j.deviceId()
              + " "
              + j.externalId());
    }

    @Override
    public void participantDisconnected(String connectionId, Instant at) {
      calls.add("leave " + connectionId);
    }

    @Override
    public void networkSample(
        String connectionId, Instant at, double ls, double lr, long bs, long br) {
      calls.add("sample " + connectionId + " " + ls + " " + lr + " " + bs + " " + br);
    }

    @Override
    public void mediaEvent(String connectionId, MediaEvent event, Instant at) {
      calls.add("media " + connectionId + " " + event);
    }

    @Override
    public void tick() {}

    @Override
    public void flush() {}
  }

  final Recorder activity = new Recorder();
  final SignalingInsights adapter = new SignalingInsights(activity);

  private static RoomObserver.Participant participant(String room, String conn, String role) {
    Meeting m =
        new Meeting(
            1,
            1,
            room,
            T,
            T.plusSeconds(3600),
            Meeting.RoomMode.NORMAL,
            false,
            Optional.empty(),
            "{}");
    return new RoomObserver.Participant(m, conn, "p-" + conn, "", role, "Name", "", "", "UA");
  }

  private void connect(String room, String conn, String role) {
    adapter.connected(participant(room, conn, role), Map.of(role, 1), T);
  }

  private void disconnect(String room, String conn) {
    adapter.disconnected(participant(room, conn, "visitor"), Map.of(), T);
  }

  @Test
  void joinsLeavesSamplesAndMediaChangesArePassedOnWithTheirNamesMapped() {
    connect("/r", "c1", "granted_visitor");
    adapter.sample("c1", 1.5, 0.25, 250_000.4, 99.6, T);
    for (String type :
        List.of(
            "audio_off",
            "audio_on",
            "video_off",
            "video_on",
            "screenshare_on",
            "screenshare_off",
            "something_new")) {
      adapter.mediaEvent("c1", type, T);
    }
    disconnect("/r", "c1");

    assertThat(activity.calls)
        .containsExactly(
            "join c1 p-c1 GRANTED_VISITOR null null",
            "sample c1 1.5 0.25 250000 100",
            "media c1 MICROPHONE_OFF",
            "media c1 MICROPHONE_ON",
            "media c1 CAMERA_OFF",
            "media c1 CAMERA_ON",
            "media c1 SCREENSHARE_ON",
            "media c1 SCREENSHARE_OFF",
            "leave c1");
  }

  @Test
  void aLeaveReportedBeforeItsJoinCancelsTheJoin() {
    disconnect("/r", "c2");
    connect("/r", "c2", "host");
    connect("/r", "c3", "host");

    assertThat(activity.calls).containsExactly("join c3 p-c3 HOST null null");
  }

  @Test
  void aJoinInsightsRefusesIsLoggedAndItsLeaveIgnored() {
    connect("/refused", "c4", "viewer");
    disconnect("/refused", "c4");

    assertThat(activity.calls).isEmpty();
  }
}
