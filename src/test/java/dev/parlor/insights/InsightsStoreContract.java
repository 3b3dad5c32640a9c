package dev.parlor.insights;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.parlor.db.Database;
import dev.parlor.db.WriteBatcher;
import dev.parlor.testing.TestDatabases;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link InsightsStore} must do, whatever the database: subclasses name it (see {@link
 * SqlInsightsStoreTest}); each test gets a new, empty one.
 */
public abstract class InsightsStoreContract {
  static final long T0 = 1_900_000_000_000L;
  static final long ORG = 7;
  static final long OTHER_ORG = 8;

  private String url;
  private Database db;
  private WriteBatcher writer;
  protected InsightsStore store;
  private long nextId = 1;

  protected abstract String newDatabaseUrl();

  @BeforeEach
  void open() {
    url = newDatabaseUrl();
    db = Database.open(url, 4);
    writer = new WriteBatcher(db.jdbi());
    store = new SqlInsightsStore(db.jdbi(), writer);
  }

  @AfterEach
  void close() {
    if (writer != null) {
      writer.close();
    }
    if (db != null) {
      db.close();
    }
    TestDatabases.release(url);
  }

  // ------------------------------------------------------------------ fixtures

  private long id() {
    return nextId++;
  }

  private RoomRecord room(long org, String name, long created) {
    RoomRecord r = RoomRecord.empty(id(), org, name, created, created + 3_600_000);
    store.insertRoom(r);
    return r;
  }

  private static RoomRecord withTotals(RoomRecord r, Long first, Long last, Totals t, long n) {
    return new RoomRecord(
        r.meetingId(),
        r.organizationId(),
        r.roomName(),
        r.createdAt(),
        r.endAt(),
        first,
        last,
        t,
        n);
  }

  private SessionRecord session(RoomRecord r, long start, Long end, Totals t) {
    return new SessionRecord(
        id(),
        UUID.randomUUID().toString(),
        r.meetingId(),
        r.organizationId(),
        r.roomName(),
        start,
        end,
        t);
  }

  private static ParticipantRecord participant(
      long id, SessionRecord s, String pid, String ext, long joined, Long left) {
    return new ParticipantRecord(
        id,
        s.id(),
        s.meetingId(),
        s.organizationId(),
        s.roomSessionId(),
        pid,
        "dev-" + pid,
        "visitor",
        "Name " + pid,
        ext,
        joined,
        left);
  }

  private static ConnectionRecord connection(
      long id, long connectionId, SessionRecord s, String pid, long joined, Long left) {
    return new ConnectionRecord(
        id,
        connectionId,
        s.id(),
        s.meetingId(),
        pid,
        "dev-" + pid,
        "host",
        "Name " + pid,
        null,
        "UA " + id,
        joined - 1000,
        joined,
        left);
  }

  private void write(Consumer<WriteBatch> fill) {
    WriteBatch b = new WriteBatch();
    fill.accept(b);
    store.write(b);
  }

  private static InsightsStore.RoomQuery rooms(long org, RoomSort sort, boolean desc, int limit) {
    return new InsightsStore.RoomQuery(
        org,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        OptionalLong.empty(),
        OptionalLong.empty(),
        sort,
        desc,
        Optional.empty(),
        limit);
  }

  private static InsightsStore.RoomQuery withName(
      String exact, String startsWith, String contains) {
    return new InsightsStore.RoomQuery(
        ORG,
        Optional.ofNullable(exact),
        Optional.ofNullable(startsWith),
        Optional.ofNullable(contains),
        OptionalLong.empty(),
        OptionalLong.empty(),
        RoomSort.CREATED_AT,
        false,
        Optional.empty(),
        100);
  }

  private static List<String> names(List<RoomRecord> rooms) {
    return rooms.stream().map(RoomRecord::roomName).toList();
  }

  // ------------------------------------------------------------------ rooms

  @Test
  void aRoomIsInsertedOnceWithEmptyTotalsAndNullSessionDates() {
    RoomRecord r = room(ORG, "/room-a", T0);
    store.insertRoom(r);
    store.insertRoom(RoomRecord.empty(r.meetingId(), ORG, "/other-name", T0 + 5, T0 + 6));

    assertThat(store.findRoom(r.meetingId())).contains(r);
    assertThat(store.rooms(rooms(ORG, RoomSort.CREATED_AT, true, 10))).containsExactly(r);
    assertThat(store.findRoom(424242)).isEmpty();
  }

  @Test
  void roomsOfNewMeetingsAndTheirRemovalsArriveInBatchesInOrderAndAreIdempotent() {
    RoomRecord existing = room(ORG, "/there", T0);
    RoomRecord fresh = RoomRecord.empty(id(), ORG, "/fresh", T0 + 1, T0 + 2);
    RoomRecord totals = withTotals(fresh, T0 + 5, T0 + 5, new Totals(1, 0, 0, 1, 0, 0), 1);
    write(
        b -> {
          b.newRooms.add(RoomRecord.empty(existing.meetingId(), ORG, "/other", 0, 0));
          b.newRooms.add(fresh);
          b.removedRooms.add(new WriteBatch.RoomRemoval(fresh.meetingId(), T0 + 10));
          b.changedRooms.add(totals);
        });
    write(b -> b.removedRooms.add(new WriteBatch.RoomRemoval(fresh.meetingId(), T0 + 99)));

    assertThat(store.findRoom(existing.meetingId())).contains(existing);
    assertThat(store.findRoom(fresh.meetingId())).contains(totals);
    assertThat(store.sweep(T0 + 9, Long.MIN_VALUE, 10)).as("removed at the first removal").isZero();
    assertThat(store.sweep(T0 + 10, Long.MIN_VALUE, 10)).isEqualTo(1);
  }

  @Test
  void roomTotalsAreUpdatedFromTheIngestionsImages() {
    RoomRecord r = room(ORG, "/room-a", T0);
    RoomRecord updated = withTotals(r, T0 + 10, T0 + 20, new Totals(1, 2, 3, 4, 5, 6), 7);
    write(b -> b.changedRooms.add(updated));

    assertThat(store.findRoom(r.meetingId())).contains(updated);
  }

  @Test
  void everyRoomSortInBothDirectionsPagesThroughEveryRoomOnceEvenWithManyTies() {
    Random random = new Random(42);
    List<RoomRecord> all = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      RoomRecord r = room(ORG, "/room-" + i, T0 + random.nextInt(5) * 1000L);
      boolean sessions = random.nextBoolean();
      RoomRecord t =
          withTotals(
              r,
              sessions ? T0 + random.nextInt(3) : null,
              sessions ? T0 + random.nextInt(3) : null,
              new Totals(
                  random.nextInt(3),
                  random.nextInt(2),
                  random.nextInt(2),
                  random.nextInt(3),
                  random.nextInt(2),
                  random.nextInt(2)),
              random.nextInt(3));
      write(b -> b.changedRooms.add(t));
      all.add(t);
    }
    room(OTHER_ORG, "/room-x", T0);
    for (RoomSort sort : RoomSort.values()) {
      for (boolean desc : new boolean[] {false, true}) {
        List<RoomRecord> paged = new ArrayList<>();
        Optional<InsightsStore.Keyset> after = Optional.empty();
        while (true) {
          InsightsStore.RoomQuery base = rooms(ORG, sort, desc, 3);
          List<RoomRecord> page =
              store.rooms(
                  new InsightsStore.RoomQuery(
                      ORG,
                      Optional.empty(),
                      Optional.empty(),
                      Optional.empty(),
                      OptionalLong.empty(),
                      OptionalLong.empty(),
                      sort,
                      desc,
                      after,
                      base.limit()));
          paged.addAll(page);
          if (page.size() < 3) {
            break;
          }
          RoomRecord last = page.get(2);
          after = Optional.of(new InsightsStore.Keyset(sort.keyOf(last), last.meetingId()));
        }
        Comparator<RoomRecord> order =
            Comparator.comparingLong((RoomRecord r) -> sort.keyOf(r))
                .thenComparingLong(RoomRecord::meetingId);
        List<RoomRecord> expected = all.stream().sorted(desc ? order.reversed() : order).toList();
        assertThat(paged).as(sort + (desc ? " desc" : " asc")).isEqualTo(expected);
      }
    }
  }

  @Test
  void nullSessionDatesSortAfterEveryDate() {
    RoomRecord none = room(ORG, "/none", T0);
    RoomRecord some = room(ORG, "/some", T0);
    write(b -> b.changedRooms.add(withTotals(some, T0, T0, Totals.ZERO, 1)));

    assertThat(names(store.rooms(rooms(ORG, RoomSort.FIRST_SESSION_STARTED_AT, false, 10))))
        .containsExactly("/some", "/none");
    assertThat(names(store.rooms(rooms(ORG, RoomSort.LAST_SESSION_STARTED_AT, true, 10))))
        .containsExactly("/none", "/some");
    assertThat(none.firstSessionStartedAt()).isNull();
  }

  @Test
  void roomNamesMatchExactlyByPrefixOrSubstringInLowerCaseWithWildcardsTakenLiterally() {
    for (String n :
        List.of("/team-a1", "/team-b2", "/TEAM_odd", "/teamxc3", "/x%y", "/ab\\cd", "/bang!x")) {
      room(ORG, n.toLowerCase(), T0);
    }
    room(OTHER_ORG, "/team-a1-other", T0);

    assertThat(names(store.rooms(withName("/team-a1", null, null)))).containsExactly("/team-a1");
    assertThat(names(store.rooms(withName("/TEAM-A1", null, null)))).containsExactly("/team-a1");
    assertThat(names(store.rooms(withName(null, "/team-", null))))
        .containsExactlyInAnyOrder("/team-a1", "/team-b2");
    assertThat(names(store.rooms(withName(null, "/team_", null)))).containsExactly("/team_odd");
    assertThat(names(store.rooms(withName(null, null, "%")))).containsExactly("/x%y");
    assertThat(names(store.rooms(withName(null, null, "\\")))).containsExactly("/ab\\cd");
    assertThat(names(store.rooms(withName(null, null, "!")))).containsExactly("/bang!x");
    assertThat(names(store.rooms(withName(null, "/bang!", "!x")))).containsExactly("/bang!x");
    assertThat(names(store.rooms(withName(null, null, "B2")))).containsExactly("/team-b2");
    assertThat(names(store.rooms(withName(null, "/team", "a1")))).containsExactly("/team-a1");
    assertThat(store.rooms(withName(null, null, "other"))).isEmpty();
  }

  @Test
  void createdAtBoundsAreInclusive() {
    for (int i = 0; i < 5; i++) {
      room(ORG, "/r" + i, T0 + i);
    }
    InsightsStore.RoomQuery q =
        new InsightsStore.RoomQuery(
            ORG,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            OptionalLong.of(T0 + 1),
            OptionalLong.of(T0 + 3),
            RoomSort.CREATED_AT,
            false,
            Optional.empty(),
            10);
    assertThat(names(store.rooms(q))).containsExactly("/r1", "/r2", "/r3");
  }

  // ------------------------------------------------------------------ sessions, participants

  @Test
  void sessionsAreWrittenUpdatedAndListedByRoomNameWithEverySortAndKeyset() {
    RoomRecord r = room(ORG, "/room-s", T0);
    RoomRecord sameNameLater = room(ORG, "/room-s", T0 + 100);
    RoomRecord foreign = room(OTHER_ORG, "/room-s", T0);
    Random random = new Random(7);
    List<SessionRecord> all = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      RoomRecord owner = i % 3 == 0 ? sameNameLater : r;
      SessionRecord s =
          session(
              owner, T0 + random.nextInt(4), null, new Totals(random.nextInt(3), 0, 0, 1, 0, 0));
      write(b -> b.newSessions.add(s));
      boolean ends = random.nextBoolean();
      SessionRecord changed =
          new SessionRecord(
              s.id(),
              s.roomSessionId(),
              s.meetingId(),
              s.organizationId(),
              s.roomName(),
              s.startedAt(),
              ends ? s.startedAt() + random.nextInt(3) : null,
              new Totals(random.nextInt(3), random.nextInt(2), 0, random.nextInt(3), 0, 1));
      write(b -> b.changedSessions.add(changed));
      all.add(changed);
    }
    SessionRecord theirs = session(foreign, T0, null, Totals.ZERO);
    write(b -> b.newSessions.add(theirs));

    for (SessionSort sort : SessionSort.values()) {
      for (boolean desc : new boolean[] {false, true}) {
        List<SessionRecord> paged = new ArrayList<>();
        Optional<InsightsStore.Keyset> after = Optional.empty();
        while (true) {
          List<SessionRecord> page =
              store.sessions(
                  new InsightsStore.SessionQuery(
                      ORG, "/room-s", Optional.empty(), sort, desc, after, 4));
          paged.addAll(page);
          if (page.size() < 4) {
            break;
          }
          SessionRecord last = page.get(3);
          after = Optional.of(new InsightsStore.Keyset(sort.keyOf(last), last.id()));
        }
        Comparator<SessionRecord> order =
            Comparator.comparingLong((SessionRecord s) -> sort.keyOf(s))
                .thenComparingLong(SessionRecord::id);
        assertThat(paged)
            .as(sort + (desc ? " desc" : " asc"))
            .isEqualTo(all.stream().sorted(desc ? order.reversed() : order).toList());
      }
    }
    SessionRecord one = all.get(4);
    assertThat(
            store.sessions(
                new InsightsStore.SessionQuery(
                    ORG,
                    "/room-s",
                    Optional.of(one.roomSessionId()),
                    SessionSort.STARTED_AT,
                    false,
                    Optional.empty(),
                    10)))
        .containsExactly(one);
    assertThat(
            store.sessions(
                new InsightsStore.SessionQuery(
                    ORG,
                    "/room-s",
                    Optional.of(theirs.roomSessionId()),
                    SessionSort.STARTED_AT,
                    false,
                    Optional.empty(),
                    10)))
        .isEmpty();
    assertThat(store.openSessions()).extracting(SessionRecord::endedAt).containsOnlyNulls();
    assertThat(store.openSessions())
        .hasSize((int) all.stream().filter(s -> s.endedAt() == null).count() + 1);
  }

  @Test
  void participantsAreListedBySessionOrExternalIdWithBothSortsAndNullLeftAtLast() {
    RoomRecord r = room(ORG, "/room-p", T0);
    SessionRecord s1 = session(r, T0, null, Totals.ZERO);
    SessionRecord s2 = session(r, T0 + 50, null, Totals.ZERO);
    SessionRecord foreign = session(room(OTHER_ORG, "/room-q", T0), T0, null, Totals.ZERO);
    List<ParticipantRecord> inS1 = new ArrayList<>();
    write(
        b -> {
          b.newSessions.addAll(List.of(s1, s2, foreign));
          for (int i = 0; i < 9; i++) {
            ParticipantRecord p =
                participant(
                    id(),
                    s1,
                    "p" + i,
                    i % 2 == 0 ? "ext-even" : null,
                    T0 + i % 3,
                    i % 4 == 0 ? null : T0 + 10 + i % 2);
            b.newParticipants.add(p);
            inS1.add(p);
          }
          b.newParticipants.add(participant(id(), s2, "p0", "ext-even", T0 + 60, null));
          b.newParticipants.add(participant(id(), foreign, "f0", "ext-even", T0, null));
        });
    ParticipantRecord left =
        new ParticipantRecord(
            inS1.get(0).id(),
            s1.id(),
            s1.meetingId(),
            ORG,
            s1.roomSessionId(),
            "p0",
            "dev-new",
            "host",
            "New name",
            "ext-even",
            T0,
            T0 + 99);
    write(b -> b.changedParticipants.add(left));
    inS1.set(0, left);

    for (ParticipantSort sort : ParticipantSort.values()) {
      for (boolean desc : new boolean[] {false, true}) {
        List<ParticipantRecord> paged = new ArrayList<>();
        Optional<InsightsStore.Keyset> after = Optional.empty();
        while (true) {
          List<ParticipantRecord> page =
              store.participants(
                  new InsightsStore.ParticipantQuery(
                      ORG,
                      Optional.of(s1.roomSessionId()),
                      Optional.empty(),
                      sort,
                      desc,
                      after,
                      2));
          paged.addAll(page);
          if (page.size() < 2) {
            break;
          }
          ParticipantRecord last = page.get(1);
          after = Optional.of(new InsightsStore.Keyset(sort.keyOf(last), last.id()));
        }
        Comparator<ParticipantRecord> order =
            Comparator.comparingLong((ParticipantRecord p) -> sort.keyOf(p))
                .thenComparingLong(ParticipantRecord::id);
        assertThat(paged)
            .as(sort + (desc ? " desc" : " asc"))
            .isEqualTo(inS1.stream().sorted(desc ? order.reversed() : order).toList());
      }
    }
    List<ParticipantRecord> byExternal =
        store.participants(
            new InsightsStore.ParticipantQuery(
                ORG,
                Optional.empty(),
                Optional.of("ext-even"),
                ParticipantSort.JOINED_AT,
                false,
                Optional.empty(),
                100));
    assertThat(byExternal).hasSize(6).allMatch(p -> p.organizationId() == ORG);
    assertThat(
            store.participants(
                new InsightsStore.ParticipantQuery(
                    ORG,
                    Optional.of(s2.roomSessionId()),
                    Optional.of("ext-even"),
                    ParticipantSort.JOINED_AT,
                    false,
                    Optional.empty(),
                    100)))
        .extracting(ParticipantRecord::participantId)
        .containsExactly("p0");
    assertThat(
            store.participants(
                new InsightsStore.ParticipantQuery(
                    ORG,
                    Optional.of(foreign.roomSessionId()),
                    Optional.empty(),
                    ParticipantSort.JOINED_AT,
                    false,
                    Optional.empty(),
                    100)))
        .isEmpty();
    assertThat(store.participantsOf(s1.id())).hasSize(9).contains(left);
  }

  // ------------------------------------------------------------------ connections, samples

  @Test
  void aParticipantsConnectionsComeWithTheirSamplesAndEventsWithinTheirTimeInTheSession() {
    RoomRecord r = room(ORG, "/room-c", T0);
    SessionRecord s1 = session(r, T0, T0 + 10_000, Totals.ZERO);
    SessionRecord s2 = session(r, T0 + 20_000, null, Totals.ZERO);
    long conn = 1001;
    ConnectionRecord in1 = connection(id(), conn, s1, "alice", T0, T0 + 10_000);
    ConnectionRecord in2 = connection(id(), conn, s2, "alice", T0 + 10_000, null);
    ConnectionRecord reload = connection(id(), 1002, s2, "alice", T0 + 30_000, null);
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      samples.add(new Sample(T0 + i * 2000L, i % 7 * 1.5, 0.25, 1_000_000L + i, 2_000L * i));
    }
    write(
        b -> {
          b.newSessions.addAll(List.of(s1, s2));
          b.newConnections.addAll(List.of(in1, in2, reload));
          b.chunks.add(
              new SampleChunk(
                  conn,
                  0,
                  r.meetingId(),
                  T0,
                  T0 + 18_000,
                  10,
                  SampleCodec.encode(T0, samples.subList(0, 10))));
          b.chunks.add(
              new SampleChunk(
                  conn,
                  1,
                  r.meetingId(),
                  T0 + 20_000,
                  T0 + 38_000,
                  10,
                  SampleCodec.encode(T0 + 20_000, samples.subList(10, 20))));
          b.events.add(new MediaEventRecord(conn, 0, r.meetingId(), T0 + 1, MediaEvent.CAMERA_ON));
          b.events.add(
              new MediaEventRecord(conn, 1, r.meetingId(), T0 + 15_000, MediaEvent.SCREENSHARE_ON));
          b.events.add(
              new MediaEventRecord(1002, 0, r.meetingId(), T0 + 31_000, MediaEvent.MICROPHONE_OFF));
        });

    List<ConnectionDetail> first = store.participantConnections(ORG, s1.roomSessionId(), "alice");
    assertThat(first).hasSize(1);
    assertThat(first.get(0).connection()).isEqualTo(in1);
    assertThat(first.get(0).samples()).isEqualTo(samples.subList(0, 5));
    assertThat(first.get(0).events())
        .extracting(MediaEventRecord::event)
        .containsExactly(MediaEvent.CAMERA_ON);

    List<ConnectionDetail> second = store.participantConnections(ORG, s2.roomSessionId(), "alice");
    assertThat(second).extracting(ConnectionDetail::connection).containsExactly(in2, reload);
    assertThat(second.get(0).samples()).isEqualTo(samples.subList(5, 20));
    assertThat(second.get(0).events())
        .extracting(MediaEventRecord::event)
        .containsExactly(MediaEvent.SCREENSHARE_ON);
    assertThat(second.get(1).samples()).isEmpty();
    assertThat(second.get(1).events()).hasSize(1);
    assertThat(store.participantConnections(OTHER_ORG, s2.roomSessionId(), "alice")).isEmpty();
    assertThat(store.participantConnections(ORG, s2.roomSessionId(), "bob")).isEmpty();

    ConnectionRecord closed =
        new ConnectionRecord(
            in2.id(),
            in2.connectionId(),
            in2.sessionId(),
            in2.meetingId(),
            "alice",
            in2.deviceId(),
            in2.roleName(),
            in2.displayName(),
            null,
            in2.userAgent(),
            in2.connectedAt(),
            in2.joinedAt(),
            T0 + 40_000);
    write(b -> b.changedConnections.add(closed));
    assertThat(store.connectionsOf(s2.id())).containsExactly(closed, reload);
    assertThat(store.lastSeen(List.of(conn, 1002L, 999L)))
        .isEqualTo(Map.of(conn, T0 + 38_000, 1002L, T0 + 31_000));
    assertThat(store.identities(r.meetingId()))
        .isEqualTo(Map.of(Role.Kind.PARTICIPANT, Set.of("alice")));
  }

  @Test
  void theLongestValuesTheTrackerKeepsFitTheColumns() {
    String longName = "/" + "n".repeat(127);
    RoomRecord r = room(ORG, longName, T0);
    SessionRecord s = session(r, T0, null, Totals.ZERO);
    String pid = "p".repeat(128);
    ConnectionRecord c =
        new ConnectionRecord(
            id(),
            5,
            s.id(),
            r.meetingId(),
            pid,
            "d".repeat(128),
            "granted_visitor",
            "\u00e9\u2713".repeat(100),
            "e".repeat(64),
            "u".repeat(1000),
            T0,
            T0,
            null);
    ParticipantRecord p =
        new ParticipantRecord(
            id(),
            s.id(),
            r.meetingId(),
            ORG,
            s.roomSessionId(),
            pid,
            "d".repeat(128),
            "granted_visitor",
            "\u00e9\u2713".repeat(100),
            "e".repeat(64),
            T0,
            null);
    write(
        b -> {
          b.newSessions.add(s);
          b.newConnections.add(c);
          b.newParticipants.add(p);
        });
    assertThat(store.connectionsOf(s.id())).containsExactly(c);
    assertThat(store.participantsOf(s.id())).containsExactly(p);
    assertThat(store.findRoom(r.meetingId()).orElseThrow().roomName()).isEqualTo(longName);
  }

  // ------------------------------------------------------------------ retention

  @Test
  void theSweepDeletesWholeHistoriesOfRoomsRemovedOrEndedBeforeTheCutoffsAndNothingElse() {
    RoomRecord removed = room(ORG, "/removed", T0);
    RoomRecord ended = room(ORG, "/ended", T0 - 10_000_000);
    RoomRecord kept = room(ORG, "/kept", T0);
    for (RoomRecord r : List.of(removed, ended, kept)) {
      SessionRecord s = session(r, T0, T0 + 1, Totals.ZERO);
      write(
          b -> {
            b.newSessions.add(s);
            b.newParticipants.add(participant(id(), s, "a", null, T0, T0 + 1));
            b.newConnections.add(connection(id(), r.meetingId() * 100, s, "a", T0, T0 + 1));
            b.chunks.add(
                new SampleChunk(r.meetingId() * 100, 0, r.meetingId(), T0, T0, 1, "0,0,0,0,0"));
            b.events.add(
                new MediaEventRecord(
                    r.meetingId() * 100, 0, r.meetingId(), T0, MediaEvent.CAMERA_ON));
          });
    }
    store.markRoomRemoved(removed.meetingId(), T0 + 500);
    store.markRoomRemoved(removed.meetingId(), T0 + 99_999_999);

    assertThat(store.sweep(T0 + 499, ended.endAt() - 1, 10)).isZero();
    assertThat(store.sweep(T0 + 500, ended.endAt(), 1)).isEqualTo(1);
    assertThat(store.sweep(T0 + 500, ended.endAt(), 10)).isEqualTo(1);
    assertThat(store.sweep(T0 + 500, ended.endAt(), 10)).isZero();

    assertThat(store.findRoom(removed.meetingId())).isEmpty();
    assertThat(store.findRoom(ended.meetingId())).isEmpty();
    assertThat(store.findRoom(kept.meetingId())).isPresent();
    assertThat(count("insights_sessions")).isEqualTo(1);
    assertThat(count("insights_participants")).isEqualTo(1);
    assertThat(count("insights_connections")).isEqualTo(1);
    assertThat(count("insights_samples")).isEqualTo(1);
    assertThat(count("insights_media_events")).isEqualTo(1);
  }

  private long count(String table) {
    return db.jdbi()
        .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
  }

  // ------------------------------------------------------------------ the migration

  @Test
  void meetingsThatExistedBeforeInsightsGetARoomWhenTheSchemaIsMigrated() {
    String fresh = newDatabaseUrl();
    try {
      try (HikariDataSource ds = new HikariDataSource()) {
        ds.setJdbcUrl(fresh);
        Flyway.configure()
            .dataSource(ds)
            .locations("classpath:db/migration")
            .target("1")
            .load()
            .migrate();
        Jdbi.create(ds)
            .useHandle(
                h -> {
                  h.execute(
                      "INSERT INTO organizations (id, name, points_per_minute, created_at)"
                          + " VALUES (1, 'o', NULL, 0)");
                  h.execute(
                      "INSERT INTO meetings (id, organization_id, room_name, start_date, end_date,"
                          + " room_mode, is_locked, template_type, options_json) VALUES"
                          + " (42, 1, '/old-room', 1000, 2000, 'normal', FALSE, NULL, '{}')");
                });
      }
      try (Database migrated = Database.open(fresh, 2);
          WriteBatcher w = new WriteBatcher(migrated.jdbi())) {
        assertThat(new SqlInsightsStore(migrated.jdbi(), w).findRoom(42))
            .contains(RoomRecord.empty(42, 1, "/old-room", 1000, 2000));
      }
    } finally {
      TestDatabases.release(fresh);
    }
  }
}
