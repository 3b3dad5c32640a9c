import dev.parlor.db.Database;
import dev.parlor.db.IdAllocator;
import dev.parlor.insights.SampleCodec;
import dev.parlor.insights.Sample;
import dev.parlor.orgs.OrganizationService;
import dev.parlor.orgs.Plan;
import dev.parlor.orgs.SqlOrganizationStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Writes a large insights history straight into a Parlor database (bulk JDBC batches, no server):
 * 100 organizations of 1,000 rooms (100,000 rooms, 15% of them without a session), exactly
 * 1,000,000 participant connections in their sessions (10 per room of an organization, shared
 * among its rooms with sessions), 10 network samples per connection (10,000,000 samples, stored
 * one chunk row per connection) and a media event for every fourth connection, with every aggregate consistent with
 * the rows below it (rooms = sum of sessions, sessions = sum of connections, minutes rounded up per
 * connection). Then writes a manifest (one line per organization: its API key and sample room
 * names, session ids, participant ids and external ids) for the load client.
 *
 * <pre>
 *   java -cp 'target/classes:target/lib/*' bench/InsightsGenerate.java JDBC_URL MANIFEST [orgs] [rooms-per-org]
 * </pre>
 *
 * The database must be empty (the schema is created by the migrations). Deterministic (seed 5).
 */
public final class InsightsGenerate {
  /** Connections per room on average: 1,000,000 for 100,000 rooms; rooms without sessions have 0. */
  static final int CONNECTIONS_PER_ROOM = 10;
  static final String[] PREFIXES = {
    "sales-", "support-", "team-", "demo-", "class-", "", "", "", "interview-", "standup-"
  };
  static final String[] ROLES = {"visitor", "granted_visitor", "viewer", "member"};
  static final long DAY = 86_400_000L;
  static final int BATCH = 10_000;

  public static void main(String[] args) throws Exception {
    String url = args[0];
    Path manifest = Path.of(args[1]);
    int orgs = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    int roomsPerOrg = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
    long t0 = System.nanoTime();
    try (Database db = Database.open(url, 2)) {
      IdAllocator ids = new IdAllocator(db.jdbi(), 100);
      OrganizationService orgService =
          new OrganizationService(new SqlOrganizationStore(db.jdbi()), ids, Clock.systemUTC());
      List<String> keys = new ArrayList<>();
      List<Long> orgIds = new ArrayList<>();
      for (int o = 0; o < orgs; o++) {
        OrganizationService.Created c =
            orgService.create("bench-org-" + o, Plan.parse("unlimited"));
        keys.add(c.apiKey());
        orgIds.add(c.organization().id());
      }
      try (Connection c = db.jdbi().open().getConnection();
          PrintWriter out = new PrintWriter(Files.newBufferedWriter(manifest))) {
        c.setAutoCommit(false);
        Generator g = new Generator(c, new Random(5));
        for (int o = 0; o < orgs; o++) {
          OrgSample sample = g.org(orgIds.get(o), roomsPerOrg);
          out.println(sample.line(keys.get(o)));
          if ((o + 1) % 10 == 0) {
            System.out.printf(
                "%d organizations, %,d connections, %.0f s%n",
                o + 1, g.connections, (System.nanoTime() - t0) / 1e9);
          }
        }
        g.finish();
        try (Statement st = c.createStatement()) {
          st.executeUpdate(
              "UPDATE id_sequences SET next_value = " + (g.nextId + 1) + " WHERE name = 'insights'");
        }
        c.commit();
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
          st.execute("ANALYZE");
        }
        System.out.printf(
            "done: %,d rooms, %,d sessions, %,d participants, %,d connections, %,d samples"
                + " (%,d chunk rows), %,d media events in %.0f s%n",
            g.rooms, g.sessions, g.participants, g.connections, g.samples, g.chunks, g.events,
            (System.nanoTime() - t0) / 1e9);
      }
    }
  }

  /** What the load client needs to know about one organization. */
  record OrgSample(
      List<String> rooms, List<String> sessionsAndParticipants, List<String> externalIds) {
    String line(String key) {
      return key
          + "\t"
          + String.join(",", rooms)
          + "\t"
          + String.join(",", sessionsAndParticipants)
          + "\t"
          + String.join(",", externalIds);
    }
  }

  static final class Generator {
    final Connection c;
    final Random random;
    final PreparedStatement room;
    final PreparedStatement session;
    final PreparedStatement participant;
    final PreparedStatement connection;
    final PreparedStatement sample;
    final PreparedStatement event;
    long nextId = 1_000_000_000L;
    long meetingId = 5_000_000_000L;
    long rooms, sessions, participants, connections, samples, chunks, events;
    int pending;
    final long now = System.currentTimeMillis();

    Generator(Connection c, Random random) throws SQLException {
      this.c = c;
      this.random = random;
      room =
          c.prepareStatement(
              "INSERT INTO insights_rooms (meeting_id, organization_id, room_name, created_at,"
                  + " end_at, removed_at, first_session_started_at, last_session_started_at,"
                  + " total_participant_minutes, total_recorder_minutes, total_streamer_minutes,"
                  + " total_unique_participants, total_unique_recorders, total_unique_streamers,"
                  + " total_sessions) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
      session =
          c.prepareStatement(
              "INSERT INTO insights_sessions (id, room_session_id, meeting_id, organization_id,"
                  + " room_name, started_at, ended_at, total_participant_minutes,"
                  + " total_recorder_minutes, total_streamer_minutes, total_unique_participants,"
                  + " total_unique_recorders, total_unique_streamers)"
                  + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
      participant =
          c.prepareStatement(
              "INSERT INTO insights_participants (id, session_id, meeting_id, organization_id,"
                  + " room_session_id, participant_id, device_id, role_name, display_name,"
                  + " external_id, joined_at, left_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
      connection =
          c.prepareStatement(
              "INSERT INTO insights_connections (id, connection_id, session_id, meeting_id,"
                  + " participant_id, device_id, role_name, display_name, external_id,"
                  + " user_agent, connected_at, joined_at, left_at)"
                  + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
      sample =
          c.prepareStatement(
              "INSERT INTO insights_samples (connection_id, seq, meeting_id, first_at, last_at,"
                  + " sample_count, data) VALUES (?,?,?,?,?,?,?)");
      event =
          c.prepareStatement(
              "INSERT INTO insights_media_events (connection_id, seq, meeting_id, occurred_at,"
                  + " event_type) VALUES (?,?,?,?,?)");
    }

    String uuid() {
      return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    OrgSample org(long org, int roomCount) throws SQLException {
      List<String> sampleRooms = new ArrayList<>();
      List<String> samplePairs = new ArrayList<>();
      Set<String> sampleExternal = new HashSet<>();
      // Session counts first, so the organization's connections (exactly 10 per room) can be
      // shared out among its rooms that have sessions.
      int[] sessionCounts = new int[roomCount];
      int withSessions = 0;
      for (int r = 0; r < roomCount; r++) {
        sessionCounts[r] = pickSessions();
        withSessions += sessionCounts[r] > 0 ? 1 : 0;
      }
      int budget = CONNECTIONS_PER_ROOM * roomCount;
      int seen = 0;
      for (int r = 0; r < roomCount; r++) {
        long mid = meetingId++;
        String name = "/" + PREFIXES[random.nextInt(PREFIXES.length)] + uuid();
        long created = now - random.nextLong(90 * DAY);
        long end = created + 3_600_000L + random.nextLong(30 * DAY);
        int sessionCount = sessionCounts[r];
        long[] roomMinutes = new long[3];
        Set<String>[] roomUnique = sets();
        Long first = null;
        Long last = null;
        int conns = 0;
        if (sessionCount > 0) {
          conns = budget / withSessions + (seen < budget % withSessions ? 1 : 0);
          seen++;
        }
        long t = created + random.nextLong(3_600_000L);
        for (int s = 0; s < sessionCount; s++) {
          int inSession = conns / sessionCount + (s < conns % sessionCount ? 1 : 0);
          long sid = nextId++;
          String suuid = uuid();
          long start = t;
          long sessionEnd = start + 60_000L * (5 + random.nextInt(55));
          long[] minutes = new long[3];
          Set<String>[] unique = sets();
          // participants: about 4 of 5 connections are a new participant, the rest reloads
          List<String> pids = new ArrayList<>();
          List<long[]> bounds = new ArrayList<>();
          List<String[]> info = new ArrayList<>();
          for (int k = 0; k < inSession; k++) {
            int kind = k == inSession - 1 && random.nextInt(10) == 0 ? 1 : k == inSession - 2 && random.nextInt(20) == 0 ? 2 : 0;
            String pid;
            if (kind == 1) {
              pid = "recorder-" + suuid.substring(0, 8);
            } else if (kind == 2) {
              pid = "streamer-" + suuid.substring(0, 8);
            } else if (k >= 2 && random.nextInt(5) == 0) {
              pid = pids.get(random.nextInt(pids.size()));
            } else {
              pid = uuid();
            }
            long join = k < 2 ? start - (k == 0 ? random.nextLong(120_000) : 0) : start + random.nextLong(sessionEnd - start);
            long leave = Math.min(sessionEnd, join + 60_000L + random.nextLong(40 * 60_000L));
            if (k < 2) {
              leave = sessionEnd;
            }
            String role = kind == 1 ? "recorder" : kind == 2 ? "streamer" : k == 0 ? "host" : ROLES[random.nextInt(ROLES.length)];
            String ext = kind == 0 && random.nextInt(10) < 3 ? "crm-" + org + "-" + random.nextInt(500) : null;
            long m = (leave - join + 59_999) / 60_000;
            minutes[kind] += m;
            unique[kind].add(pid);
            roomUnique[kind].add(pid);
            pids.add(pid);
            bounds.add(new long[] {join, leave});
            info.add(new String[] {pid, role, ext});
            long cid = nextId++;
            long rowId = nextId++;
            addConnection(rowId, cid, sid, mid, pid, role, ext, join, leave);
            addSamples(cid, mid, join);
            if (random.nextInt(4) == 0) {
              addEvent(cid, mid, join + 1000);
            }
            if (ext != null && sampleExternal.size() < 10) {
              sampleExternal.add(ext);
            }
          }
          // participant rows: one per participant id, first join to last leave
          Set<String> done = new HashSet<>();
          for (int k = 0; k < pids.size(); k++) {
            String pid = pids.get(k);
            if (!done.add(pid)) {
              continue;
            }
            long joined = Long.MAX_VALUE;
            long left = Long.MIN_VALUE;
            String[] latest = info.get(k);
            for (int j = 0; j < pids.size(); j++) {
              if (pids.get(j).equals(pid)) {
                joined = Math.min(joined, bounds.get(j)[0]);
                left = Math.max(left, bounds.get(j)[1]);
                latest = info.get(j);
              }
            }
            addParticipant(nextId++, sid, mid, org, suuid, pid, latest[1], latest[2], joined, left);
            if (samplePairs.size() < 20 && random.nextInt(20) == 0) {
              samplePairs.add(suuid + "/" + pid);
            }
          }
          for (int k = 0; k < 3; k++) {
            roomMinutes[k] += minutes[k];
          }
          addSession(sid, suuid, mid, org, name, start, sessionEnd, minutes, unique);
          if (first == null) {
            first = start;
          }
          last = start;
          t = sessionEnd + 120_000L + random.nextLong(DAY);
        }
        addRoom(mid, org, name, created, end, first, last, roomMinutes, roomUnique, sessionCount);
        if (sampleRooms.size() < 20 && sessionCount > 0 && random.nextInt(10) == 0) {
          sampleRooms.add(name);
        }
      }
      return new OrgSample(sampleRooms, samplePairs, new ArrayList<>(sampleExternal));
    }

    int pickSessions() {
      int p = random.nextInt(100);
      return p < 15 ? 0 : p < 50 ? 1 : p < 80 ? 2 : 3;
    }

    @SuppressWarnings("unchecked")
    static Set<String>[] sets() {
      return new Set[] {new HashSet<>(), new HashSet<>(), new HashSet<>()};
    }

    void addRoom(
        long mid, long org, String name, long created, long end, Long first, Long last,
        long[] minutes, Set<String>[] unique, int sessionCount)
        throws SQLException {
      int i = 1;
      room.setLong(i++, mid);
      room.setLong(i++, org);
      room.setString(i++, name);
      room.setLong(i++, created);
      room.setLong(i++, end);
      room.setNull(i++, Types.BIGINT);
      setLong(room, i++, first);
      setLong(room, i++, last);
      for (int k = 0; k < 3; k++) {
        room.setLong(i++, minutes[k]);
      }
      for (int k = 0; k < 3; k++) {
        room.setLong(i++, unique[k].size());
      }
      room.setLong(i, sessionCount);
      room.addBatch();
      rooms++;
      tick();
    }

    void addSession(
        long id, String uuid, long mid, long org, String name, long start, long end,
        long[] minutes, Set<String>[] unique)
        throws SQLException {
      int i = 1;
      session.setLong(i++, id);
      session.setString(i++, uuid);
      session.setLong(i++, mid);
      session.setLong(i++, org);
      session.setString(i++, name);
      session.setLong(i++, start);
      session.setLong(i++, end);
      for (int k = 0; k < 3; k++) {
        session.setLong(i++, minutes[k]);
      }
      for (int k = 0; k < 3; k++) {
        session.setLong(i++, unique[k].size());
      }
      session.addBatch();
      sessions++;
      tick();
    }

    void addParticipant(
        long id, long sid, long mid, long org, String suuid, String pid, String role, String ext,
        long joined, long left)
        throws SQLException {
      int i = 1;
      participant.setLong(i++, id);
      participant.setLong(i++, sid);
      participant.setLong(i++, mid);
      participant.setLong(i++, org);
      participant.setString(i++, suuid);
      participant.setString(i++, pid);
      participant.setString(i++, "device-" + pid.substring(0, Math.min(8, pid.length())));
      participant.setString(i++, role);
      participant.setString(i++, "Participant " + pid.substring(0, Math.min(4, pid.length())));
      participant.setString(i++, ext);
      participant.setLong(i++, joined);
      participant.setLong(i, left);
      participant.addBatch();
      participants++;
      tick();
    }

    void addConnection(
        long id, long cid, long sid, long mid, String pid, String role, String ext, long join,
        long leave)
        throws SQLException {
      int i = 1;
      connection.setLong(i++, id);
      connection.setLong(i++, cid);
      connection.setLong(i++, sid);
      connection.setLong(i++, mid);
      connection.setString(i++, pid);
      connection.setString(i++, "device-" + pid.substring(0, Math.min(8, pid.length())));
      connection.setString(i++, role);
      connection.setString(i++, "Participant " + pid.substring(0, Math.min(4, pid.length())));
      connection.setString(i++, ext);
      connection.setString(
          i++,
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko)"
              + " Chrome/130.0.0.0 Safari/537.36");
      connection.setLong(i++, join);
      connection.setLong(i++, join);
      connection.setLong(i, leave);
      connection.addBatch();
      connections++;
      tick();
    }

    void addSamples(long cid, long mid, long join) throws SQLException {
      List<Sample> s = new ArrayList<>(10);
      for (int k = 0; k < 10; k++) {
        s.add(
            new Sample(
                join + 2000L * k,
                random.nextInt(300) / 100.0,
                random.nextInt(300) / 100.0,
                800_000 + random.nextInt(1_200_000),
                800_000 + random.nextInt(1_200_000)));
      }
      int i = 1;
      sample.setLong(i++, cid);
      sample.setInt(i++, 0);
      sample.setLong(i++, mid);
      sample.setLong(i++, join);
      sample.setLong(i++, join + 18_000);
      sample.setInt(i++, 10);
      sample.setString(i, SampleCodec.encode(join, s));
      sample.addBatch();
      samples += 10;
      chunks++;
      tick();
    }

    void addEvent(long cid, long mid, long at) throws SQLException {
      int i = 1;
      event.setLong(i++, cid);
      event.setInt(i++, 0);
      event.setLong(i++, mid);
      event.setLong(i++, at);
      event.setString(i, random.nextBoolean() ? "camera_off" : "microphone_off");
      event.addBatch();
      events++;
      tick();
    }

    static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
      if (v == null) {
        ps.setNull(i, Types.BIGINT);
      } else {
        ps.setLong(i, v);
      }
    }

    void tick() throws SQLException {
      if (++pending >= BATCH) {
        flush();
      }
    }

    void flush() throws SQLException {
      for (PreparedStatement ps : List.of(room, session, participant, connection, sample, event)) {
        ps.executeBatch();
      }
      c.commit();
      pending = 0;
    }

    void finish() throws SQLException {
      flush();
    }
  }
}
