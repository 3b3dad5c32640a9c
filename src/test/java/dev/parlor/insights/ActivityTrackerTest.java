package dev.parlor.insights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parlor.db.Database;
import dev.parlor.db.IdAllocator;
import dev.parlor.db.WriteBatcher;
import dev.parlor.meetings.Meeting;
import dev.parlor.testing.MutableClock;
import dev.parlor.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tracker with rooms the test controls: name reuse, eviction from memory. */
class ActivityTrackerTest {
  static final Instant T0 = Instant.parse("2031-01-01T00:00:00Z");
  MutableClock clock = new MutableClock(T0);
  String url;
  Database db;
  WriteBatcher batcher;
  SqlInsightsStore store;
  InsightsWriter writer;
  ActivityTracker tracker;
  final Map<String, Meeting> live = new HashMap<>();

  @BeforeEach
  void open() {
    url = TestDatabases.sqliteUrl();
    db = Database.open(url, 4);
    batcher = new WriteBatcher(db.jdbi());
    store = new SqlInsightsStore(db.jdbi(), batcher);
    writer = new InsightsWriter(store);
    tracker =
        new ActivityTracker(
            store,
            writer,
            new IdAllocator(db.jdbi(), 10),
            clock,
            Duration.ofMinutes(1),
            name -> Optional.ofNullable(live.get(name)));
  }

  @AfterEach
  void close() {
    tracker.close();
    writer.close();
    batcher.close();
    db.close();
    TestDatabases.release(url);
  }

  private Meeting meeting(long id, String room) {
    Meeting m =
        new Meeting(
            id,
            1,
            room,
            clock.instant(),
            clock.instant().plus(Duration.ofDays(1)),
            Meeting.RoomMode.GROUP,
            false,
            Optional.empty(),
            "{}");
    live.put(room, m);
    return m;
  }

  private void session(String room, String prefix, int minutes) {
    for (String p : List.of("a", "b")) {
      tracker.participantConnected(
          new RoomActivity.Join(
              room, prefix + p, p, p, Role.VISITOR, p, null, null, clock.instant()));
    }
    clock.advance(Duration.ofMinutes(minutes));
    tracker.participantDisconnected(prefix + "a", clock.instant());
    tracker.participantDisconnected(prefix + "b", clock.instant());
    clock.advance(Duration.ofMinutes(2));
    tracker.tick();
    tracker.flush();
  }

  private List<SessionRecord> sessions(String room) {
    return store.sessions(
        new InsightsStore.SessionQuery(
            1, room, Optional.empty(), SessionSort.STARTED_AT, false, Optional.empty(), 100));
  }

  @Test
  void aRoomNameReusedByALaterMeetingStartsANewHistory() {
    Meeting first = meeting(10, "/same");
    store.insertRoom(InsightsService.roomOf(first));
    session("/same", "x", 3);
    live.remove("/same");
    tracker.roomRemoved(first.id(), "/same", clock.millis());
    Meeting second = meeting(11, "/same");

    session("/same", "y", 5);

    assertThat(store.findRoom(first.id()).orElseThrow().totals().participantMinutes()).isEqualTo(6);
    RoomRecord later = store.findRoom(second.id()).orElseThrow();
    assertThat(later.totals().participantMinutes())
        .as("recorded though never announced")
        .isEqualTo(10);
    assertThat(later.sessions()).isEqualTo(1);
    assertThat(sessions("/same")).extracting(SessionRecord::meetingId).containsExactly(10L, 11L);
  }

  @Test
  void aQuietRoomLeavesMemoryAndComesBackWithItsHistory() {
    Meeting m = meeting(20, "/quiet");
    store.insertRoom(InsightsService.roomOf(m));
    session("/quiet", "x", 2);
    assertThat(tracker.roomsInMemory()).isEqualTo(1);

    clock.advance(Duration.ofMinutes(10));
    tracker.tick();
    assertThat(tracker.roomsInMemory()).isZero();

    tracker.participantConnected(
        new RoomActivity.Join(
            "/quiet", "z1", "c", "c", Role.HOST, "c", null, null, clock.instant()));
    session("/quiet", "y", 1);
    RoomRecord r = store.findRoom(m.id()).orElseThrow();
    assertThat(r.sessions()).isEqualTo(2);
    assertThat(r.totals().uniqueParticipants()).as("a, b and c").isEqualTo(3);
    assertThat(r.totals().participantMinutes()).as("c till the end, a and b").isEqualTo(4 + 3);
    assertThat(tracker.openConnections()).containsExactly("z1");
  }

  @Test
  void minutesRoundUpFromTheFirstMillisecond() {
    assertThat(ActivityTracker.minutesOf(0)).isZero();
    assertThat(ActivityTracker.minutesOf(1)).isEqualTo(1);
    assertThat(ActivityTracker.minutesOf(60_000)).isEqualTo(1);
    assertThat(ActivityTracker.minutesOf(60_001)).isEqualTo(2);
    assertThat(OptionalLong.of(ActivityTracker.minutesOf(3_600_000)).getAsLong()).isEqualTo(60);
  }
}
