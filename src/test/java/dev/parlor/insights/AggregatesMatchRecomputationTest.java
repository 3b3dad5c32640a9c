package dev.parlor.insights;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * On random event streams, the aggregates the server maintains incrementally (and every session and
 * participant it reports) equal a recomputation from the raw events by a separate, batch reading of
 * the rules: sessions are the spans with two or more participants whose dips below two are shorter
 * than the idle time, ending where the final dip began; a connection belongs to a session when it
 * joined before its end and left after its start, and counts its time clipped to the session (from
 * the previous session's end at the earliest), rounded up to minutes.
 */
class AggregatesMatchRecomputationTest extends InsightsHttpTest {
  private static final long IDLE_MS = 60_000;

  /** A raw event as the room server reported it. */
  record Event(String room, boolean join, String conn, String participant, Role role, long at) {}

  record Conn(String participant, Role role, long join, long leave) {}

  record Session(long start, long end) {}

  record ParticipantRow(String participant, long joinedAt, long leftAt) {}

  record SessionResult(
      Session span, long[] minutes, List<Set<String>> unique, Map<String, ParticipantRow> people) {}

  record RoomResult(
      List<SessionResult> sessions, long[] minutes, List<Set<String>> unique, int shortDips) {}

  // ------------------------------------------------------------------ the recomputation

  static RoomResult recompute(List<Event> events, long end) {
    Map<String, Conn> conns = new LinkedHashMap<>();
    Map<String, Integer> present = new HashMap<>();
    List<Session> spans = new ArrayList<>();
    Long start = null;
    Long dip = null;
    int shortDips = 0;
    for (Event e : events) {
      if (start != null && dip != null && e.at() - dip >= IDLE_MS) {
        spans.add(new Session(start, dip));
        start = null;
        dip = null;
      }
      if (e.join()) {
        conns.put(e.conn(), new Conn(e.participant(), e.role(), e.at(), Long.MAX_VALUE));
        if (e.role().countsTowardSession()) {
          present.merge(e.participant(), 1, Integer::sum);
        }
      } else {
        Conn c = conns.get(e.conn());
        conns.put(e.conn(), new Conn(c.participant(), c.role(), c.join(), e.at()));
        if (c.role().countsTowardSession()) {
          present.computeIfPresent(c.participant(), (k, n) -> n == 1 ? null : n - 1);
        }
      }
      int n = present.size();
      if (start == null && n >= 2) {
        start = e.at();
      } else if (start != null && dip != null && n >= 2) {
        dip = null;
        shortDips++;
      } else if (start != null && dip == null && n < 2) {
        dip = e.at();
      }
    }
    if (start != null) {
      assertThat(dip).as("the stream ends with everyone gone").isNotNull();
      assertThat(end - dip).as("and the idle time passed").isGreaterThanOrEqualTo(IDLE_MS);
      spans.add(new Session(start, dip));
    }

    long[] roomMinutes = new long[3];
    List<Set<String>> roomUnique = sets();
    List<SessionResult> sessions = new ArrayList<>();
    long previousEnd = Long.MIN_VALUE;
    for (Session s : spans) {
      long[] minutes = new long[3];
      List<Set<String>> unique = sets();
      Map<String, ParticipantRow> people = new LinkedHashMap<>();
      for (Conn c : conns.values()) {
        if (c.join() < s.end() && c.leave() > s.start()) {
          long from = Math.max(c.join(), previousEnd);
          long to = Math.min(c.leave(), s.end());
          long m = (to - from + 59_999) / 60_000;
          int k = c.role().kind().ordinal();
          minutes[k] += m;
          roomMinutes[k] += m;
          unique.get(k).add(c.participant());
          roomUnique.get(k).add(c.participant());
          people.merge(
              c.participant(),
              new ParticipantRow(c.participant(), from, to),
              (a, b) ->
                  new ParticipantRow(
                      a.participant(),
                      Math.min(a.joinedAt(), b.joinedAt()),
                      Math.max(a.leftAt(), b.leftAt())));
        }
      }
      sessions.add(new SessionResult(s, minutes, unique, people));
      previousEnd = s.end();
    }
    return new RoomResult(sessions, roomMinutes, roomUnique, shortDips);
  }

  private static List<Set<String>> sets() {
    return List.of(new HashSet<>(), new HashSet<>(), new HashSet<>());
  }

  // ------------------------------------------------------------------ the stream

  private static final Role[] PEOPLE = {
    Role.HOST, Role.VISITOR, Role.GRANTED_VISITOR, Role.VIEWER, Role.MEMBER
  };

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void theIncrementalAggregatesEqualARecomputationFromTheRawEvents(long seed) {
    Random random = new Random(seed);
    List<String> rooms = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      rooms.add(createRoom());
    }
    Map<String, List<Event>> byRoom = new HashMap<>();
    Map<String, List<String>> open = new HashMap<>();
    for (String r : rooms) {
      byRoom.put(r, new ArrayList<>());
      open.put(r, new ArrayList<>());
    }
    int next = 0;
    for (int step = 0; step < 600; step++) {
      advance(Duration.ofMillis(300 + random.nextInt(40_000)));
      String room = rooms.get(random.nextInt(rooms.size()));
      List<String> inRoom = open.get(room);
      long t = clock.millis();
      boolean join = inRoom.isEmpty() || (inRoom.size() < 6 && random.nextInt(100) < 52);
      if (join) {
        String conn = "conn-" + seed + "-" + next++;
        int pick = random.nextInt(10);
        String participant;
        Role role;
        if (pick == 0) {
          participant = "recorder";
          role = Role.RECORDER;
        } else if (pick == 1) {
          participant = "streamer-" + random.nextInt(2);
          role = Role.STREAMER;
        } else {
          participant = "person-" + random.nextInt(5);
          role = PEOPLE[random.nextInt(PEOPLE.length)];
        }
        join(room, conn, participant, role, "ext-" + participant);
        inRoom.add(conn);
        byRoom.get(room).add(new Event(room, true, conn, participant, role, t));
      } else {
        String conn = inRoom.remove(random.nextInt(inRoom.size()));
        leave(conn);
        byRoom.get(room).add(new Event(room, false, conn, null, null, t));
      }
      if (random.nextInt(4) == 0 && !inRoom.isEmpty()) {
        activity.networkSample(inRoom.get(0), clock.instant(), 1, 2, 3, 4);
      }
      if (random.nextInt(25) == 0) {
        activity.tick();
      }
    }
    for (String room : rooms) {
      for (String conn : open.get(room)) {
        advance(Duration.ofMillis(1 + random.nextInt(2_000)));
        leave(conn);
        byRoom.get(room).add(new Event(room, false, conn, null, null, clock.millis()));
      }
    }
    advance(Duration.ofMillis(IDLE_MS));
    settle();

    int sessionsSeen = 0;
    int shortDips = 0;
    for (String room : rooms) {
      RoomResult expected = recompute(byRoom.get(room), clock.millis());
      sessionsSeen += expected.sessions().size();
      shortDips += expected.shortDips();
      assertRoom(room, expected);
    }
    assertThat(sessionsSeen)
        .as("sessions (each ended by a dip as long as the idle time)")
        .isGreaterThan(5);
    assertThat(shortDips).as("dips shorter than the idle time").isGreaterThan(2);
  }

  private void assertRoom(String room, RoomResult expected) {
    JsonNode r = room(room);
    String what = room + " ";
    assertThat(r.get("totalSessions").asInt())
        .as(what + "sessions")
        .isEqualTo(expected.sessions().size());
    assertThat(totals(r))
        .as(what + "totals")
        .isEqualTo(totals(expected.minutes(), expected.unique()));
    if (!expected.sessions().isEmpty()) {
      assertThat(r.get("firstSessionStartedAt").asText())
          .isEqualTo(at(Instant.ofEpochMilli(expected.sessions().get(0).span().start())));
      assertThat(r.get("lastSessionStartedAt").asText())
          .isEqualTo(at(Instant.ofEpochMilli(expected.sessions().getLast().span().start())));
    }
    List<JsonNode> actual = sessions(room);
    assertThat(actual).as(what + "sessions listed").hasSize(expected.sessions().size());
    for (int i = 0; i < actual.size(); i++) {
      JsonNode s = actual.get(i);
      SessionResult e = expected.sessions().get(i);
      String ws = what + "session " + i + " ";
      assertThat(s.get("startedAt").asText())
          .as(ws + "start")
          .isEqualTo(at(Instant.ofEpochMilli(e.span().start())));
      assertThat(s.get("endedAt").asText())
          .as(ws + "end")
          .isEqualTo(at(Instant.ofEpochMilli(e.span().end())));
      assertThat(totals(s)).as(ws + "totals").isEqualTo(totals(e.minutes(), e.unique()));
      Map<String, List<String>> people = new HashMap<>();
      for (JsonNode p : participants(s.get("roomSessionId").asText())) {
        people.put(
            p.get("participantId").asText(),
            List.of(p.get("joinedAt").asText(), p.get("leftAt").asText()));
      }
      Map<String, List<String>> expectedPeople = new HashMap<>();
      e.people()
          .values()
          .forEach(
              p ->
                  expectedPeople.put(
                      p.participant(),
                      List.of(
                          at(Instant.ofEpochMilli(p.joinedAt())),
                          at(Instant.ofEpochMilli(p.leftAt())))));
      assertThat(people).as(ws + "participants").isEqualTo(expectedPeople);
    }
  }

  private static List<Long> totals(JsonNode n) {
    return List.of(
        n.get("totalParticipantMinutes").asLong(),
        n.get("totalRecorderMinutes").asLong(),
        n.get("totalStreamerMinutes").asLong(),
        n.get("totalUniqueParticipants").asLong(),
        n.get("totalUniqueRecorders").asLong(),
        n.get("totalUniqueStreamers").asLong());
  }

  private static List<Long> totals(long[] minutes, List<Set<String>> unique) {
    return List.of(
        minutes[0],
        minutes[1],
        minutes[2],
        (long) unique.get(0).size(),
        (long) unique.get(1).size(),
        (long) unique.get(2).size());
  }
}
