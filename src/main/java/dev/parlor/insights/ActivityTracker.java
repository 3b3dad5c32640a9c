package dev.parlor.insights;

import dev.parlor.db.IdAllocator;
import dev.parlor.insights.Tracked.Conn;
import dev.parlor.insights.Tracked.Part;
import dev.parlor.insights.Tracked.RoomState;
import dev.parlor.insights.Tracked.Seg;
import dev.parlor.insights.Tracked.Session;
import dev.parlor.meetings.Meeting;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live side of insights: which connections are in which room, the session state machine, and
 * the aggregates, kept up to date in memory as events arrive and written through {@link
 * InsightsWriter} as row images (never recomputed).
 *
 * <h2>Sessions</h2>
 *
 * A room's session starts when at least two participants (distinct participant ids with a
 * participant or viewer role; recorders and streamers do not count) are present, and ends when
 * fewer than two have been present for the idle time; it ends at the moment the count dropped below
 * two for good, not that moment plus the idle time. While the count is below two (a dip), what
 * happens is tentative: if the count is back to two within the idle time, the dip was part of the
 * session; otherwise the session ended when the dip began, and nothing after that belongs to it.
 *
 * <h2>Connections in sessions</h2>
 *
 * A connection belongs to a session when it was present when the session started or joined while it
 * ran (not during its final dip). Its time in the session runs from when it joined (or, for a
 * connection still present from an earlier session, from that session's end) to when it left or the
 * session ended, whichever came first. Its minutes are that time rounded up to whole minutes; the
 * session's minutes are the sum over its connections, by kind, and a room's the sum over its
 * sessions. Unique counts are distinct participant ids, by kind, in the session or in any session
 * of the room. Minutes count once a connection's time in the session is over.
 *
 * <p>Events of one room are applied under that room's lock, in call order; times are made monotonic
 * per room. Samples only take their connection's lock.
 */
public final class ActivityTracker implements RoomActivity, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ActivityTracker.class);
  static final String ID_SEQUENCE = "insights";
  private static final long MINUTE_MS = 60_000;

  /** A room with nothing going on is dropped from memory after this long (in clock time). */
  private static final long EVICT_AFTER_MS = 10 * MINUTE_MS;

  /** A partial chunk of samples is written once its first sample is this old (in clock time). */
  private static final long CHUNK_MAX_AGE_MS = 60_000;

  private static final int KINDS = Tracked.KINDS;

  private final InsightsStore store;
  private final InsightsWriter writer;
  private final IdAllocator ids;
  private final Clock clock;
  private final long idleMs;
  private final Function<String, Optional<Meeting>> liveMeetings;

  /** Rooms by name, for joins; a removed meeting's room leaves this map at once. */
  private final ConcurrentHashMap<String, RoomState> byName = new ConcurrentHashMap<>();

  /** Every room in memory, for ticks. */
  private final ConcurrentHashMap<Long, RoomState> byMeeting = new ConcurrentHashMap<>();

  private final ConcurrentHashMap<String, Conn> connections = new ConcurrentHashMap<>();
  private final Object activation = new Object();
  private volatile SessionListener sessionListener = SessionListener.NONE;

  /** Session changes made under a room's monitor, told to the listener once it is released. */
  private static final ThreadLocal<List<Runnable>> SESSION_NEWS =
      ThreadLocal.withInitial(ArrayList::new);

  public ActivityTracker(
      InsightsStore store,
      InsightsWriter writer,
      IdAllocator ids,
      Clock clock,
      Duration idle,
      Function<String, Optional<Meeting>> liveMeetings) {
    this.store = store;
    this.writer = writer;
    this.ids = ids;
    this.clock = clock;
    this.idleMs = idle.toMillis();
    this.liveMeetings = liveMeetings;
  }

  /** Who is told of sessions starting and ending (webhooks). */
  public void setSessionListener(SessionListener listener) {
    this.sessionListener = listener;
  }

  /** The id of the room's running session, if one is running. */
  public Optional<String> currentSessionId(long meetingId) {
    RoomState room = byMeeting.get(meetingId);
    if (room == null) {
      return Optional.empty();
    }
    synchronized (room) {
      return room.session == null ? Optional.empty() : Optional.of(room.session.uuid);
    }
  }

  private void tellSessionNews() {
    List<Runnable> news = SESSION_NEWS.get();
    if (news.isEmpty()) {
      return;
    }
    List<Runnable> batch = new ArrayList<>(news);
    news.clear();
    for (Runnable r : batch) {
      try {
        r.run();
      } catch (RuntimeException e) {
        log.warn("session listener failed: {}", e.toString());
      }
    }
  }

  // ------------------------------------------------------------------ ingestion

  @Override
  public void participantConnected(Join j) {
    if (j == null
        || j.roomName() == null
        || j.connectionId() == null
        || j.participantId() == null
        || j.role() == null
        || j.at() == null) {
      throw new IllegalArgumentException(
          "a join needs a room name, a connection id, a participant id, a role and a time");
    }
    String name = j.roomName().startsWith("/") ? j.roomName() : "/" + j.roomName();
    try {
      connect(name, j);
    } finally {
      tellSessionNews();
    }
  }

  private void connect(String name, Join j) {
    while (true) {
      RoomState room = activate(name);
      synchronized (room) {
        if (room.retired) {
          continue;
        }
        long t = room.advance(j.at());
        settle(room, t);
        Conn c = new Conn(ids.next(ID_SEQUENCE), j.connectionId(), room, j, t);
        if (connections.putIfAbsent(c.key, c) != null) {
          throw new IllegalStateException("connection " + c.key + " is already open");
        }
        room.open.put(c.key, c);
        if (c.role.countsTowardSession()) {
          room.present.merge(c.participantId, 1, Integer::sum);
        }
        Session s = room.session;
        if (s == null) {
          if (room.present.size() >= 2) {
            startSession(room, t);
          }
        } else if (s.dipStart == null) {
          attach(room, s, c, t);
        } else {
          s.dipJoiners.add(c);
          if (room.present.size() >= 2) {
            resume(room, s);
          }
        }
        return;
      }
    }
  }

  @Override
  public void participantDisconnected(String connectionId, Instant at) {
    if (connectionId == null || at == null) {
      return;
    }
    Conn c = connections.remove(connectionId);
    if (c == null) {
      return;
    }
    RoomState room = c.room;
    try {
      synchronized (room) {
        long t = room.advance(at);
        settle(room, t);
        leave(room, c, t);
      }
    } finally {
      tellSessionNews();
    }
  }

  private void leave(RoomState room, Conn c, long t) {
    room.open.remove(c.key);
    if (c.role.countsTowardSession()) {
      room.present.computeIfPresent(c.participantId, (k, n) -> n <= 1 ? null : n - 1);
    }
    c.closedAt = t;
    SampleChunk rest;
    synchronized (c) {
      c.closed = true;
      rest = c.chunk.count > 0 ? c.chunk.take(c.id, c.chunkSeq++, room.meetingId) : null;
    }
    if (rest != null) {
      writer.append(rest);
    }
    Session s = room.session;
    if (c.seg != null) {
      if (s.dipStart == null || t <= s.dipStart) {
        finish(room, c.seg, t);
      } else {
        c.seg.tentativeEnd = t;
        s.dipLeavers.add(c.seg);
      }
    }
    if (s != null && s.dipStart == null && room.present.size() < 2) {
      s.dipStart = t;
    }
  }

  @Override
  public void networkSample(
      String connectionId,
      Instant at,
      double packetLossSendPercent,
      double packetLossRecvPercent,
      long bitrateSendBps,
      long bitrateRecvBps) {
    if (connectionId == null || at == null) {
      return;
    }
    Conn c = connections.get(connectionId);
    if (c == null) {
      return;
    }
    int ls = SampleCodec.lossHundredths(packetLossSendPercent);
    int lr = SampleCodec.lossHundredths(packetLossRecvPercent);
    long bs = SampleCodec.bitrate(bitrateSendBps);
    long br = SampleCodec.bitrate(bitrateRecvBps);
    SampleChunk full = null;
    synchronized (c) {
      if (c.closed) {
        return;
      }
      c.chunk.add(at.toEpochMilli(), ls, lr, bs, br);
      if (c.chunk.count >= SampleCodec.MAX_SAMPLES) {
        full = c.chunk.take(c.id, c.chunkSeq++, c.room.meetingId);
      }
    }
    if (full != null) {
      writer.append(full);
    }
  }

  @Override
  public void mediaEvent(String connectionId, MediaEvent event, Instant at) {
    if (connectionId == null || event == null || at == null) {
      return;
    }
    Conn c = connections.get(connectionId);
    if (c == null) {
      return;
    }
    int seq;
    synchronized (c) {
      if (c.closed) {
        return;
      }
      seq = c.eventSeq++;
    }
    writer.append(new MediaEventRecord(c.id, seq, c.room.meetingId, at.toEpochMilli(), event));
  }

  @Override
  public void tick() {
    try {
      tickRooms();
    } finally {
      tellSessionNews();
    }
  }

  private void tickRooms() {
    long now = clock.millis();
    for (RoomState room : byMeeting.values()) {
      synchronized (room) {
        if (room.retired) {
          continue;
        }
        settle(room, now);
        if (room.open.isEmpty()
            && room.session == null
            && room.lastSeq <= writer.durableSeq()
            && now - room.lastTime >= EVICT_AFTER_MS) {
          room.retired = true;
          byName.remove(room.roomName, room);
          byMeeting.remove(room.meetingId, room);
        }
      }
    }
    for (Conn c : connections.values()) {
      SampleChunk aged = null;
      synchronized (c) {
        if (!c.closed && c.chunk.count > 0 && now - c.chunk.firstAt >= CHUNK_MAX_AGE_MS) {
          aged = c.chunk.take(c.id, c.chunkSeq++, c.room.meetingId);
        }
      }
      if (aged != null) {
        writer.append(aged);
      }
    }
  }

  @Override
  public void flush() {
    for (Conn c : connections.values()) {
      SampleChunk partial = null;
      synchronized (c) {
        if (!c.closed && c.chunk.count > 0) {
          partial = c.chunk.take(c.id, c.chunkSeq++, c.room.meetingId);
        }
      }
      if (partial != null) {
        writer.append(partial);
      }
    }
    writer.flush();
  }

  /** A meeting was created: its room is recorded with the next flush. */
  void roomCreated(RoomRecord room) {
    writer.appendNewRoom(room);
  }

  /**
   * A meeting was deleted or swept at {@code at}: its room's retention starts, and a later meeting
   * with its room name starts a new history.
   */
  void roomRemoved(long meetingId, String roomName, long at) {
    RoomState r = byName.get(roomName);
    if (r != null && r.meetingId == meetingId) {
      byName.remove(roomName, r);
    }
    writer.appendRemoval(meetingId, at);
  }

  /** Writes partial sample chunks so a restart knows when each connection was last seen. */
  @Override
  public void close() {
    try {
      flush();
    } catch (RuntimeException e) {
      log.warn("Could not write the last insights before stopping: {}", e.toString());
    }
  }

  // ------------------------------------------------------------------ the state machine

  private RoomState activate(String name) {
    RoomState r = byName.get(name);
    if (r != null && !r.retired) {
      return r;
    }
    synchronized (activation) {
      r = byName.get(name);
      if (r != null && !r.retired) {
        return r;
      }
      Meeting m =
          liveMeetings
              .apply(name)
              .orElseThrow(
                  () -> new IllegalArgumentException("no live meeting has the room " + name));
      r = byMeeting.get(m.id());
      if (r == null || r.retired) {
        RoomRecord rec =
            store
                .findRoom(m.id())
                .orElseGet(
                    () -> {
                      RoomRecord fresh = InsightsService.roomOf(m);
                      store.insertRoom(fresh);
                      return fresh;
                    });
        r = new RoomState(rec, store.identities(m.id()));
        byMeeting.put(m.id(), r);
      }
      byName.put(name, r);
      return r;
    }
  }

  /** Ends the room's session if its dip has lasted the idle time by {@code t}. */
  private void settle(RoomState room, long t) {
    Session s = room.session;
    if (s != null && s.dipStart != null && t - s.dipStart >= idleMs) {
      end(room, s);
    }
  }

  private void startSession(RoomState room, long t) {
    Session s = new Session(ids.next(ID_SEQUENCE), UUID.randomUUID().toString(), t);
    room.session = s;
    room.sessions++;
    if (room.firstSessionStartedAt == null) {
      room.firstSessionStartedAt = t;
    }
    room.lastSessionStartedAt = t;
    for (Conn c : room.open.values()) {
      attach(room, s, c, c.pendingSince);
    }
    emitSession(room, s);
    emitRoom(room);
    long meetingId = room.meetingId;
    String name = room.roomName;
    SessionListener l = sessionListener;
    SESSION_NEWS
        .get()
        .add(() -> l.sessionStarted(meetingId, name, s.uuid, Instant.ofEpochMilli(t)));
  }

  /** The count is back to two within the idle time: the dip was part of the session. */
  private void resume(RoomState room, Session s) {
    s.dipStart = null;
    for (Seg g : s.dipLeavers) {
      finish(room, g, g.tentativeEnd);
    }
    s.dipLeavers.clear();
    for (Conn c : s.dipJoiners) {
      attach(room, s, c, c.pendingSince);
      if (c.closedAt != null) {
        finish(room, c.seg, c.closedAt);
      }
    }
    s.dipJoiners.clear();
  }

  /** The dip lasted the idle time: the session ended when it began. */
  private void end(RoomState room, Session s) {
    long d = s.dipStart;
    for (Seg g : s.dipLeavers) {
      finish(room, g, d);
    }
    s.dipLeavers.clear();
    for (Conn c : room.open.values()) {
      if (c.seg != null) {
        finish(room, c.seg, d);
        c.pendingSince = d;
      }
    }
    // Connections that joined during the dip were never part of it; the open ones wait for the
    // next session with their own join time.
    s.dipJoiners.clear();
    s.dipStart = null;
    s.endedAt = d;
    room.session = null;
    emitSession(room, s);
    long meetingId = room.meetingId;
    String name = room.roomName;
    SessionListener l = sessionListener;
    SESSION_NEWS
        .get()
        .add(
            () ->
                l.sessionEnded(
                    meetingId,
                    name,
                    s.uuid,
                    Instant.ofEpochMilli(s.startedAt),
                    Instant.ofEpochMilli(d)));
  }

  private void attach(RoomState room, Session s, Conn c, long from) {
    Seg g = new Seg(ids.next(ID_SEQUENCE), s, c, from);
    c.seg = g;
    int k = c.role.kind().ordinal();
    s.unique.get(k).add(c.participantId);
    room.identities.get(k).add(c.participantId);
    Part p = s.parts.get(c.participantId);
    if (p == null) {
      p = new Part(ids.next(ID_SEQUENCE), c, from);
      s.parts.put(c.participantId, p);
    } else {
      p.describe(c);
      p.joinedAt = Math.min(p.joinedAt, from);
    }
    p.open++;
    emitSegment(room, g);
    emitPart(room, s, p);
    emitSession(room, s);
    emitRoom(room);
  }

  /** A connection's time in the session is over at {@code end}: its minutes count. */
  private void finish(RoomState room, Seg g, long end) {
    Session s = g.session;
    Conn c = g.conn;
    g.leftAt = end;
    long m = minutesOf(end - g.from);
    int k = c.role.kind().ordinal();
    s.minutes[k] += m;
    room.minutes[k] += m;
    Part p = s.parts.get(c.participantId);
    p.open--;
    p.lastLeft = Math.max(p.lastLeft, end);
    if (c.seg == g) {
      c.seg = null;
    }
    emitSegment(room, g);
    emitPart(room, s, p);
    emitSession(room, s);
    emitRoom(room);
  }

  /** Minutes of a connection's time, rounded up. */
  static long minutesOf(long ms) {
    return ms <= 0 ? 0 : (ms + MINUTE_MS - 1) / MINUTE_MS;
  }

  // ------------------------------------------------------------------ row images

  private void emitRoom(RoomState room) {
    room.lastSeq = writer.putRoom(room.record());
  }

  private void emitSession(RoomState room, Session s) {
    long[] unique = new long[KINDS];
    for (int k = 0; k < KINDS; k++) {
      unique[k] = s.unique.get(k).size();
    }
    SessionRecord r =
        new SessionRecord(
            s.id,
            s.uuid,
            room.meetingId,
            room.organizationId,
            room.roomName,
            s.startedAt,
            s.endedAt,
            Totals.of(s.minutes, unique));
    room.lastSeq = writer.putSession(r, !s.written);
    s.written = true;
  }

  private void emitPart(RoomState room, Session s, Part p) {
    ParticipantRecord r =
        new ParticipantRecord(
            p.id,
            s.id,
            room.meetingId,
            room.organizationId,
            s.uuid,
            p.participantId,
            p.deviceId,
            p.role.wireName(),
            p.displayName,
            p.externalId,
            p.joinedAt,
            p.open > 0 ? null : p.lastLeft);
    room.lastSeq = writer.putParticipant(r, !p.written);
    p.written = true;
  }

  private void emitSegment(RoomState room, Seg g) {
    Conn c = g.conn;
    ConnectionRecord r =
        new ConnectionRecord(
            g.id,
            c.id,
            g.session.id,
            room.meetingId,
            c.participantId,
            c.deviceId,
            c.role.wireName(),
            c.displayName,
            c.externalId,
            c.userAgent,
            c.connectedAt,
            g.from,
            g.leftAt);
    room.lastSeq = writer.putConnection(r, !g.written);
    g.written = true;
  }

  // ------------------------------------------------------------------ after a restart

  /**
   * Ends the sessions a previous process left running: its connections are gone (the room server
   * ran in that process), each closed when it was last seen (its last sample or media event, else
   * its join), and the session ends by the usual rule. Returns how many sessions were ended.
   */
  public int recover() {
    int ended = 0;
    for (SessionRecord sr : store.openSessions()) {
      try {
        recover(sr);
        ended++;
      } catch (RuntimeException e) {
        log.warn("Could not close insights session {}: {}", sr.roomSessionId(), e.toString());
      } finally {
        tellSessionNews();
      }
    }
    if (ended > 0) {
      writer.flush();
      log.info("Closed {} insights sessions left open by the previous run", ended);
    }
    return ended;
  }

  private void recover(SessionRecord sr) {
    RoomRecord rec =
        store
            .findRoom(sr.meetingId())
            .orElseGet(
                () ->
                    RoomRecord.empty(
                        sr.meetingId(), sr.organizationId(), sr.roomName(), sr.startedAt(), 0));
    RoomState room = byMeeting.get(sr.meetingId());
    if (room == null) {
      room = new RoomState(rec, store.identities(sr.meetingId()));
    }
    synchronized (room) {
      Session s = new Session(sr.id(), sr.roomSessionId(), sr.startedAt());
      s.written = true;
      for (Role.Kind k : Role.Kind.values()) {
        s.minutes[k.ordinal()] = sr.totals().minutes(k);
      }
      List<ConnectionRecord> rows = store.connectionsOf(sr.id());
      Map<String, Integer> openByParticipant = new HashMap<>();
      long lastLeft = sr.startedAt();
      for (ConnectionRecord r : rows) {
        Role role = Role.fromWire(r.roleName()).orElse(Role.VISITOR);
        s.unique.get(role.kind().ordinal()).add(r.participantId());
        if (r.leftAt() == null) {
          openByParticipant.merge(r.participantId(), 1, Integer::sum);
        } else {
          lastLeft = Math.max(lastLeft, r.leftAt());
        }
      }
      for (ParticipantRecord pr : store.participantsOf(sr.id())) {
        Part p = new Part(pr);
        p.written = true;
        p.open = openByParticipant.getOrDefault(pr.participantId(), 0);
        p.lastLeft = pr.leftAt() == null ? Long.MIN_VALUE : pr.leftAt();
        s.parts.put(pr.participantId(), p);
      }
      room.session = s;
      List<Conn> open = new ArrayList<>();
      long latest = sr.startedAt();
      for (ConnectionRecord r : rows) {
        if (r.leftAt() != null) {
          continue;
        }
        Conn c = new Conn(r, room);
        Seg g = new Seg(r.id(), s, c, r.joinedAt());
        g.written = true;
        c.seg = g;
        room.open.put(c.key, c);
        if (c.role.countsTowardSession()) {
          room.present.merge(c.participantId, 1, Integer::sum);
        }
        open.add(c);
        latest = Math.max(latest, r.joinedAt());
      }
      if (room.present.size() < 2) {
        // It was in a dip when the process stopped; the dip began at the last leave.
        s.dipStart = lastLeft;
      }
      Map<Long, Long> seen = store.lastSeen(open.stream().map(c -> c.id).toList());
      Map<Conn, Long> closeAt = new HashMap<>();
      for (Conn c : open) {
        closeAt.put(c, Math.max(c.seg.from, seen.getOrDefault(c.id, c.seg.from)));
      }
      open.sort(Comparator.comparingLong(closeAt::get));
      room.lastTime = Math.max(latest, lastLeft);
      for (Conn c : open) {
        long t = Math.max(room.lastTime, closeAt.get(c));
        room.lastTime = t;
        leave(room, c, t);
      }
      if (room.session != null) {
        end(room, room.session);
      }
      emitRoom(room);
    }
  }

  /** For tests: the rooms and connections held in memory. */
  int roomsInMemory() {
    return byMeeting.size();
  }

  Collection<String> openConnections() {
    return List.copyOf(connections.keySet());
  }
}
