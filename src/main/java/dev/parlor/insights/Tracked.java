package dev.parlor.insights;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@link ActivityTracker} holds in memory per room: its aggregates, open connections, running
 * session, participants and connection segments. Plain data, changed only under the room's monitor
 * by the tracker's state machine.
 */
final class Tracked {
  static final int KINDS = Role.Kind.values().length;

  private Tracked() {}

  /** A room in memory: its aggregates, its open connections and its running session. */
  static final class RoomState {
    final long meetingId;
    final long organizationId;
    final String roomName;
    final long createdAt;
    final long endAt;
    Long firstSessionStartedAt;
    Long lastSessionStartedAt;
    final long[] minutes = new long[KINDS];
    final List<Set<String>> identities = new ArrayList<>();
    long sessions;

    /** Open connections by the room server's id, in join order. */
    final Map<String, Conn> open = new LinkedHashMap<>();

    /** Participant ids present with a participant or viewer role: how many connections each. */
    final Map<String, Integer> present = new HashMap<>();

    Session session;
    long lastTime = Long.MIN_VALUE;
    long lastSeq;
    volatile boolean retired;

    RoomState(RoomRecord r, Map<Role.Kind, Set<String>> seen) {
      this.meetingId = r.meetingId();
      this.organizationId = r.organizationId();
      this.roomName = r.roomName();
      this.createdAt = r.createdAt();
      this.endAt = r.endAt();
      this.firstSessionStartedAt = r.firstSessionStartedAt();
      this.lastSessionStartedAt = r.lastSessionStartedAt();
      for (Role.Kind k : Role.Kind.values()) {
        minutes[k.ordinal()] = r.totals().minutes(k);
        identities.add(new HashSet<>(seen.getOrDefault(k, Set.of())));
      }
      this.sessions = r.sessions();
    }

    /** The event time to use: never before the room's previous event. */
    long advance(Instant at) {
      long t = at.toEpochMilli();
      if (t < lastTime) {
        t = lastTime;
      }
      lastTime = t;
      return t;
    }

    RoomRecord record() {
      long[] unique = new long[KINDS];
      for (int k = 0; k < KINDS; k++) {
        unique[k] = identities.get(k).size();
      }
      return new RoomRecord(
          meetingId,
          organizationId,
          roomName,
          createdAt,
          endAt,
          firstSessionStartedAt,
          lastSessionStartedAt,
          Totals.of(minutes, unique),
          sessions);
    }
  }

  static final class Session {
    final long id;
    final String uuid;
    final long startedAt;
    Long endedAt;
    final long[] minutes = new long[KINDS];
    final List<Set<String>> unique = new ArrayList<>();
    final Map<String, Part> parts = new HashMap<>();

    /** When the count dropped below two; null while it is two or more. */
    Long dipStart;

    /** Connections that joined during the dip: part of the session only if it resumes. */
    final List<Conn> dipJoiners = new ArrayList<>();

    /** Segments whose connection left during the dip, after it began. */
    final List<Seg> dipLeavers = new ArrayList<>();

    boolean written;

    Session(long id, String uuid, long startedAt) {
      this.id = id;
      this.uuid = uuid;
      this.startedAt = startedAt;
      for (int k = 0; k < KINDS; k++) {
        unique.add(new HashSet<>());
      }
    }
  }

  /** A participant of a session. */
  static final class Part {
    final long id;
    final String participantId;
    String deviceId;
    Role role;
    String displayName;
    String externalId;
    long joinedAt;
    long lastLeft = Long.MIN_VALUE;
    int open;
    boolean written;

    Part(long id, Conn c, long joinedAt) {
      this.id = id;
      this.participantId = c.participantId;
      this.joinedAt = joinedAt;
      describe(c);
    }

    Part(ParticipantRecord r) {
      this.id = r.id();
      this.participantId = r.participantId();
      this.deviceId = r.deviceId();
      this.role = Role.fromWire(r.roleName()).orElse(Role.VISITOR);
      this.displayName = r.displayName();
      this.externalId = r.externalId();
      this.joinedAt = r.joinedAt();
    }

    void describe(Conn c) {
      this.deviceId = c.deviceId;
      this.role = c.role;
      this.displayName = c.displayName;
      this.externalId = c.externalId;
    }
  }

  /** A connection's time in one session. */
  static final class Seg {
    final long id;
    final Session session;
    final Conn conn;
    final long from;
    Long leftAt;

    /** When the connection left during a dip, until the dip is settled. */
    long tentativeEnd;

    boolean written;

    Seg(long id, Session session, Conn conn, long from) {
      this.id = id;
      this.session = session;
      this.conn = conn;
      this.from = from;
    }
  }

  /** An open (or, in a dip, recently closed) connection. */
  static final class Conn {
    final long id;
    final String key;
    final RoomState room;
    final String participantId;
    final String deviceId;
    final Role role;
    final String displayName;
    final String externalId;
    final String userAgent;
    final long connectedAt;

    /** Where its time in the next session it joins starts. */
    long pendingSince;

    /** Its time in the running session, if it is part of it. */
    Seg seg;

    Long closedAt;

    // Guarded by the connection's own lock.
    boolean closed;
    int chunkSeq;
    int eventSeq;
    final ChunkBuffer chunk = new ChunkBuffer();

    Conn(long id, String key, RoomState room, RoomActivity.Join j, long at) {
      this.id = id;
      this.key = key;
      this.room = room;
      this.participantId = clip(j.participantId(), 128);
      this.deviceId = clip(j.deviceId(), 128);
      this.role = j.role();
      this.displayName = clip(j.displayName(), 200);
      this.externalId = clip(j.externalId(), 64);
      this.userAgent = clip(j.userAgent(), 1000);
      this.connectedAt = at;
      this.pendingSince = at;
    }

    Conn(ConnectionRecord r, RoomState room) {
      this.id = r.connectionId();
      this.key = "recovered:" + r.id();
      this.room = room;
      this.participantId = r.participantId();
      this.deviceId = r.deviceId();
      this.role = Role.fromWire(r.roleName()).orElse(Role.VISITOR);
      this.displayName = r.displayName();
      this.externalId = r.externalId();
      this.userAgent = r.userAgent();
      this.connectedAt = r.connectedAt();
      this.pendingSince = r.joinedAt();
    }
  }

  /** The samples of a connection not yet written, at most one chunk's worth. */
  static final class ChunkBuffer {
    final StringBuilder data = new StringBuilder(SampleCodec.MAX_SAMPLES * 24);
    int count;
    long firstAt;
    long lastAt;

    void add(long at, int lossSend, int lossRecv, long rateSend, long rateRecv) {
      if (count == 0) {
        firstAt = at;
      }
      if (at < lastAt) {
        at = lastAt;
      }
      lastAt = at;
      SampleCodec.append(data, at - firstAt, lossSend, lossRecv, rateSend, rateRecv);
      count++;
    }

    SampleChunk take(long connectionId, int seq, long meetingId) {
      SampleChunk c =
          new SampleChunk(connectionId, seq, meetingId, firstAt, lastAt, count, data.toString());
      data.setLength(0);
      count = 0;
      return c;
    }
  }

  static String clip(String s, int max) {
    if (s == null) {
      return null;
    }
    return s.length() <= max ? s : s.substring(0, max);
  }
}
