package dev.parlor.meetings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parlor.db.Database;
import dev.parlor.db.WriteBatcher;
import dev.parlor.meetings.MeetingStore.RoomNameTakenException;
import dev.parlor.orgs.Organization;
import dev.parlor.orgs.SqlOrganizationStore;
import dev.parlor.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MeetingStore} must do, whatever the database. Subclasses name the database (see
 * {@link SqlMeetingStoreTest}); each test gets a new, empty one.
 */
public abstract class MeetingStoreContract {
  /** A fixed "now", so cutoffs are exact. Stored times have millisecond precision. */
  static final Instant NOW = Instant.parse("2030-01-02T03:04:05.678Z");

  private String url;
  private Database db;
  private WriteBatcher writer;
  protected MeetingStore store;
  protected long orgA;
  protected long orgB;
  private final AtomicLong ids = new AtomicLong(1000);

  /** A JDBC URL of a new, empty database. */
  protected abstract String newDatabaseUrl();

  /** The store under test; the SQL one unless a subclass says otherwise. */
  protected MeetingStore createStore(Database database, WriteBatcher batcher) {
    return new SqlMeetingStore(database.jdbi(), batcher);
  }

  @BeforeEach
  void openStore() {
    url = newDatabaseUrl();
    db = Database.open(url, 4);
    writer = new WriteBatcher(db.jdbi());
    store = createStore(db, writer);
    SqlOrganizationStore orgs = new SqlOrganizationStore(db.jdbi());
    orgA = 1;
    orgB = 2;
    assertThat(orgs.insert(new Organization(orgA, "a", OptionalLong.empty(), NOW))).isTrue();
    assertThat(orgs.insert(new Organization(orgB, "b", OptionalLong.of(100), NOW))).isTrue();
  }

  @AfterEach
  void closeStore() {
    if (writer != null) {
      writer.close();
    }
    if (db != null) {
      db.close();
    }
    TestDatabases.release(url);
  }

  /** A meeting of {@code org} ending at {@code end}, with a fresh id and room name. */
  protected Meeting meeting(long org, Instant end) {
    return meeting(ids.incrementAndGet(), org, end);
  }

  protected Meeting meeting(long id, long org, Instant end) {
    return new Meeting(
        id,
        org,
        "/room-" + UUID.randomUUID(),
        NOW.minus(Duration.ofMinutes(5)),
        end,
        Meeting.RoomMode.NORMAL,
        false,
        Optional.empty(),
        "{}");
  }

  private static Meeting withRoom(Meeting m, String room) {
    return new Meeting(
        m.id(),
        m.organizationId(),
        room,
        m.startDate(),
        m.endDate(),
        m.roomMode(),
        m.locked(),
        m.templateType(),
        m.optionsJson());
  }

  private static List<Long> idsOf(List<Meeting> meetings) {
    return meetings.stream().map(Meeting::id).toList();
  }

  private Instant later() {
    return NOW.plus(Duration.ofHours(1));
  }

  @Test
  void anInsertedMeetingIsFoundWithEveryField() {
    // A 39-character prefix and a uuid: the longest room name a request can produce (76).
    Meeting full =
        new Meeting(
            ids.incrementAndGet(),
            orgA,
            "/customer0348-0123456789abcdefghijklmnop" + UUID.randomUUID(),
            NOW.minus(Duration.ofMinutes(1)),
            later(),
            Meeting.RoomMode.GROUP,
            true,
            Optional.of("viewerMode"),
            "{\"recording\":{\"type\":\"cloud\"},\"note\":\"caf\u00e9 \u2713\"}");
    Meeting plain = meeting(orgA, later());
    store.insert(full);
    store.insert(plain);

    assertThat(store.findLive(orgA, full.id(), NOW)).contains(full);
    assertThat(store.findLive(orgA, plain.id(), NOW)).contains(plain);
  }

  @Test
  void aMeetingIsLiveOnlyWhileItsEndDateIsAfterTheCutoff() {
    Meeting m = meeting(orgA, later());
    store.insert(m);

    assertThat(store.findLive(orgA, m.id(), m.endDate().minusMillis(1))).contains(m);
    assertThat(store.findLive(orgA, m.id(), m.endDate())).isEmpty();
    assertThat(store.findLive(orgA, m.id(), m.endDate().plusSeconds(1))).isEmpty();
  }

  @Test
  void aLiveMeetingIsFoundByItsRoomNameUntilItsCutoff() {
    Meeting m = meeting(orgA, later());
    store.insert(m);

    assertThat(store.findLiveByRoomName(m.roomName(), NOW)).contains(m);
    assertThat(store.findLiveByRoomName(m.roomName(), m.endDate())).isEmpty();
    assertThat(store.findLiveByRoomName("/no-such-room", NOW)).isEmpty();
    store.delete(orgA, m.id());
    assertThat(store.findLiveByRoomName(m.roomName(), NOW)).isEmpty();
  }

  @Test
  void anUnknownMeetingIsNotFound() {
    assertThat(store.findLive(orgA, 424242, NOW)).isEmpty();
  }

  @Test
  void anotherOrganizationsMeetingIsNeitherFoundNorListed() {
    Meeting ofA = meeting(orgA, later());
    Meeting ofB = meeting(orgB, later());
    store.insert(ofA);
    store.insert(ofB);

    assertThat(store.findLive(orgB, ofA.id(), NOW)).isEmpty();
    assertThat(store.findLive(orgA, ofB.id(), NOW)).isEmpty();
    assertThat(idsOf(store.listLive(orgA, 0, 100, NOW))).containsExactly(ofA.id());
    assertThat(idsOf(store.listLive(orgB, 0, 100, NOW))).containsExactly(ofB.id());
  }

  @Test
  void listLiveReturnsMeetingsInAscendingIdOrderWhateverTheInsertOrder() {
    for (long id : new long[] {50, 7, 31, 8, 12}) {
      store.insert(meeting(id, orgA, later()));
    }

    assertThat(idsOf(store.listLive(orgA, 0, 100, NOW))).containsExactly(7L, 8L, 12L, 31L, 50L);
  }

  @Test
  void listLiveStartsAfterTheGivenIdAndStopsAtTheLimit() {
    for (long id = 1; id <= 10; id++) {
      store.insert(meeting(id, orgA, later()));
    }

    assertThat(idsOf(store.listLive(orgA, 0, 3, NOW))).containsExactly(1L, 2L, 3L);
    assertThat(idsOf(store.listLive(orgA, 3, 3, NOW))).containsExactly(4L, 5L, 6L);
    assertThat(idsOf(store.listLive(orgA, 5, 100, NOW))).containsExactly(6L, 7L, 8L, 9L, 10L);
    assertThat(store.listLive(orgA, 10, 3, NOW)).isEmpty();
    assertThat(idsOf(store.listLive(orgA, 9, 1, NOW))).containsExactly(10L);
  }

  @Test
  void pagingThroughWithAfterIdReturnsEveryLiveMeetingExactlyOnce() {
    List<Long> expected = new ArrayList<>();
    for (long id = 1; id <= 23; id++) {
      store.insert(meeting(id, id % 3 == 0 ? orgB : orgA, later()));
      if (id % 3 != 0) {
        expected.add(id);
      }
    }

    List<Long> seen = new ArrayList<>();
    long after = 0;
    List<Meeting> page;
    do {
      page = store.listLive(orgA, after, 4, NOW);
      assertThat(page.size()).isLessThanOrEqualTo(4);
      seen.addAll(idsOf(page));
      if (!page.isEmpty()) {
        after = page.get(page.size() - 1).id();
      }
    } while (page.size() == 4);
    assertThat(seen).containsExactlyElementsOf(expected);
  }

  @Test
  void listLiveLeavesOutMeetingsWhoseEndDateIsAtOrBeforeTheCutoff() {
    Meeting ended = meeting(1, orgA, NOW.minusSeconds(10));
    Meeting endsAtCutoff = meeting(2, orgA, NOW);
    Meeting live = meeting(3, orgA, NOW.plusMillis(1));
    store.insert(ended);
    store.insert(endsAtCutoff);
    store.insert(live);

    assertThat(idsOf(store.listLive(orgA, 0, 100, NOW))).containsExactly(3L);
    assertThat(idsOf(store.listLive(orgA, 0, 100, NOW.minusSeconds(60))))
        .containsExactly(1L, 2L, 3L);
  }

  @Test
  void theLimitCountsOnlyLiveMeetings() {
    store.insert(meeting(1, orgA, NOW.minusSeconds(1)));
    store.insert(meeting(2, orgA, later()));
    store.insert(meeting(3, orgA, NOW.minusSeconds(1)));
    store.insert(meeting(4, orgA, later()));

    assertThat(idsOf(store.listLive(orgA, 0, 2, NOW))).containsExactly(2L, 4L);
  }

  @Test
  void deleteRemovesTheMeetingAndReportsItOnlyOnce() {
    Meeting m = meeting(orgA, later());
    store.insert(m);

    assertThat(store.delete(orgA, m.id())).isTrue();
    assertThat(store.findLive(orgA, m.id(), NOW)).isEmpty();
    assertThat(store.listLive(orgA, 0, 100, NOW)).isEmpty();
    assertThat(store.delete(orgA, m.id())).isFalse();
  }

  @Test
  void deleteReturnsFalseForAnotherOrganizationsMeetingAndLeavesItInPlace() {
    Meeting ofA = meeting(orgA, later());
    store.insert(ofA);

    assertThat(store.delete(orgB, ofA.id())).isFalse();
    assertThat(store.findLive(orgA, ofA.id(), NOW)).contains(ofA);
  }

  @Test
  void deleteReturnsFalseForAnUnknownMeeting() {
    assertThat(store.delete(orgA, 987654321L)).isFalse();
  }

  @Test
  void aDuplicateRoomNameIsRefusedWithRoomNameTakenExceptionEvenAcrossOrganizations() {
    Meeting first = meeting(orgA, later());
    store.insert(first);

    assertThatThrownBy(() -> store.insert(withRoom(meeting(orgA, later()), first.roomName())))
        .isInstanceOf(RoomNameTakenException.class)
        .hasMessageContaining(first.roomName());
    assertThatThrownBy(() -> store.insert(withRoom(meeting(orgB, later()), first.roomName())))
        .isInstanceOf(RoomNameTakenException.class);
    assertThat(idsOf(store.listLive(orgA, 0, 100, NOW))).containsExactly(first.id());
    assertThat(store.listLive(orgB, 0, 100, NOW)).isEmpty();

    Meeting next = meeting(orgA, later());
    store.insert(next);
    assertThat(store.findLive(orgA, next.id(), NOW)).contains(next);
  }

  @Test
  void aDeletedMeetingsRoomNameCanBeUsedAgain() {
    Meeting first = meeting(orgA, later());
    store.insert(first);
    store.delete(orgA, first.id());

    Meeting again = withRoom(meeting(orgB, later()), first.roomName());
    store.insert(again);

    assertThat(store.findLive(orgB, again.id(), NOW)).contains(again);
  }

  @Test
  void deleteExpiredRemovesOnlyMeetingsAtOrBeforeTheCutoffAndReturnsThem() {
    Meeting longGone = meeting(1, orgA, NOW.minus(Duration.ofDays(1)));
    Meeting atCutoff = meeting(2, orgB, NOW);
    Meeting justLive = meeting(3, orgA, NOW.plusMillis(1));
    Meeting live = meeting(4, orgB, later());
    for (Meeting m : List.of(longGone, atCutoff, justLive, live)) {
      store.insert(m);
    }

    List<Meeting> removed = store.deleteExpired(NOW, 100);

    assertThat(removed).containsExactlyInAnyOrder(longGone, atCutoff);
    assertThat(idsOf(store.listLive(orgA, 0, 100, NOW.minus(Duration.ofDays(2)))))
        .containsExactly(3L);
    assertThat(idsOf(store.listLive(orgB, 0, 100, NOW.minus(Duration.ofDays(2)))))
        .containsExactly(4L);
    assertThat(store.deleteExpired(NOW, 100)).isEmpty();
  }

  @Test
  void deleteExpiredRemovesAtMostMaxAtATimeAndTheRestOnLaterCalls() {
    for (long id = 1; id <= 7; id++) {
      store.insert(meeting(id, id % 2 == 0 ? orgA : orgB, NOW.minusSeconds(100 - id)));
    }
    store.insert(meeting(8, orgA, later()));

    List<Meeting> first = store.deleteExpired(NOW, 3);
    List<Meeting> second = store.deleteExpired(NOW, 3);
    List<Meeting> third = store.deleteExpired(NOW, 3);

    assertThat(first).hasSize(3);
    assertThat(second).hasSize(3);
    assertThat(third).hasSize(1);
    List<Long> all = new ArrayList<>();
    all.addAll(idsOf(first));
    all.addAll(idsOf(second));
    all.addAll(idsOf(third));
    assertThat(all).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(store.deleteExpired(NOW, 3)).isEmpty();
    assertThat(idsOf(store.listLive(orgA, 0, 100, NOW))).containsExactly(8L);
  }

  @Test
  void anExpiredMeetingsRoomNameIsFreeOnceItIsSwept() {
    Meeting old = meeting(orgA, NOW.minusSeconds(5));
    store.insert(old);
    assertThat(store.deleteExpired(NOW, 10)).containsExactly(old);

    Meeting again = withRoom(meeting(orgA, later()), old.roomName());
    store.insert(again);
    assertThat(store.findLive(orgA, again.id(), NOW)).contains(again);
  }

  @Test
  void concurrentInsertsAreAllStoredAndListed() throws Exception {
    int n = 200;
    List<Future<Long>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        long org = i % 2 == 0 ? orgA : orgB;
        futures.add(
            pool.submit(
                () -> {
                  Meeting m = meeting(org, later());
                  store.insert(m);
                  return m.id();
                }));
      }
    }
    List<Long> inserted = new ArrayList<>();
    for (Future<Long> f : futures) {
      inserted.add(f.get());
    }

    List<Long> listed = new ArrayList<>(idsOf(store.listLive(orgA, 0, n, NOW)));
    listed.addAll(idsOf(store.listLive(orgB, 0, n, NOW)));
    assertThat(listed).containsExactlyInAnyOrderElementsOf(inserted);
  }
}
