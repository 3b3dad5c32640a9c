package dev.parlor.webhooks;

import dev.parlor.db.WriteBatcher;
import dev.parlor.insights.SessionListener;
import dev.parlor.meetings.Meeting;
import dev.parlor.recordings.Recording;
import dev.parlor.recordings.RecordingEvents;
import dev.parlor.signaling.RoomObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what happens in rooms, sessions and recordings into the hosted service's webhook events,
 * with its {@code data} fields, and stores them in the outbox before returning. Room events are
 * sent only between the meeting's creation and its end plus the grace period, as the hosted service
 * does.
 */
public final class WebhookEvents implements RoomObserver, SessionListener, RecordingEvents {
  private static final Logger log = LoggerFactory.getLogger(WebhookEvents.class);
  private static final int MAX_KNOWN_MEETINGS = 10_000;

  private final WebhookOutbox outbox;
  private final Clock clock;
  private final Duration grace;
  private final LongFunction<Optional<String>> currentSession;
  private final Function<String, Optional<Meeting>> liveMeetings;

  /** Meetings seen in rooms: sessions are reported by meeting id and may end after a delete. */
  private final Map<Long, Meeting> known = new ConcurrentHashMap<>();

  private final ThreadLocal<Boolean> stagedRecording = ThreadLocal.withInitial(() -> false);

  public WebhookEvents(
      WebhookOutbox outbox,
      Clock clock,
      Duration grace,
      LongFunction<Optional<String>> currentSession,
      Function<String, Optional<Meeting>> liveMeetings) {
    this.outbox = outbox;
    this.clock = clock;
    this.grace = grace;
    this.currentSession = currentSession;
    this.liveMeetings = liveMeetings;
  }

  // ------------------------------------------------------------------ rooms

  @Override
  public void connected(Participant p, Map<String, Integer> present, Instant time) {
    remember(p.meeting());
    emitRoom(p.meeting(), EventType.ROOM_CLIENT_JOINED, () -> client(p, present));
  }

  @Override
  public void disconnected(Participant p, Map<String, Integer> present, Instant time) {
    emitRoom(p.meeting(), EventType.ROOM_CLIENT_LEFT, () -> client(p, present));
  }

  @Override
  public void knocked(Knocker k, Instant time) {
    emitRoom(k.meeting(), EventType.ROOM_CLIENT_KNOCKED, () -> knock(k));
  }

  @Override
  public void knockCancelled(Knocker k, Instant time) {
    emitRoom(k.meeting(), EventType.ROOM_CLIENT_KNOCK_CANCELLED, () -> knock(k));
  }

  private Map<String, Object> room(Meeting m) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("meetingId", m.meetingId());
    d.put("roomName", m.roomName());
    d.put("roomSessionId", currentSession.apply(m.id()).orElse(null));
    return d;
  }

  private Map<String, Object> client(Participant p, Map<String, Integer> present) {
    Map<String, Object> d = room(p.meeting());
    d.put("participantId", p.participantId());
    d.put("displayName", emptyToNull(p.displayName()));
    d.put("externalId", emptyToNull(p.externalId()));
    d.put("metadata", emptyToNull(p.metadata()));
    d.put("roleName", p.roleName());
    int total = 0;
    Map<String, Object> byRole = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> e : present.entrySet()) {
      byRole.put(e.getKey(), e.getValue());
      total += e.getValue();
    }
    d.put("numClients", total);
    d.put("numClientsByRoleName", byRole);
    d.put("isDialIn", false);
    return d;
  }

  private Map<String, Object> knock(Knocker k) {
    Map<String, Object> d = room(k.meeting());
    d.put("participantId", k.knockId());
    d.put("displayName", emptyToNull(k.displayName()));
    d.put("externalId", emptyToNull(k.externalId()));
    d.put("metadata", emptyToNull(k.metadata()));
    return d;
  }

  private void emitRoom(Meeting m, EventType type, Supplier<Map<String, Object>> data) {
    Instant now = clock.instant();
    if (now.isAfter(m.endDate().plus(grace))) {
      return;
    }
    try {
      outbox.emit(m.organizationId(), type, now, data);
    } catch (RuntimeException e) {
      log.warn("Could not store a {} webhook event: {}", type.wire(), e.toString());
    }
  }

  private void remember(Meeting m) {
    if (known.size() >= MAX_KNOWN_MEETINGS) {
      Instant cutoff = clock.instant().minus(grace);
      known.values().removeIf(x -> x.endDate().isBefore(cutoff));
    }
    known.put(m.id(), m);
  }

  // ------------------------------------------------------------------ sessions

  @Override
  public void sessionStarted(
      long meetingId, String roomName, String roomSessionId, Instant startedAt) {
    meeting(meetingId, roomName)
        .ifPresent(
            m -> emitRoom(m, EventType.ROOM_SESSION_STARTED, () -> session(m, roomSessionId)));
  }

  @Override
  public void sessionEnded(
      long meetingId, String roomName, String roomSessionId, Instant startedAt, Instant endedAt) {
    meeting(meetingId, roomName)
        .ifPresent(m -> emitRoom(m, EventType.ROOM_SESSION_ENDED, () -> session(m, roomSessionId)));
  }

  private Optional<Meeting> meeting(long meetingId, String roomName) {
    Meeting m = known.get(meetingId);
    if (m != null) {
      return Optional.of(m);
    }
    return liveMeetings.apply(roomName).filter(x -> x.id() == meetingId);
  }

  private static Map<String, Object> session(Meeting m, String roomSessionId) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("meetingId", m.meetingId());
    d.put("roomName", m.roomName());
    d.put("roomSessionId", roomSessionId);
    return d;
  }

  // ------------------------------------------------------------------ recordings

  @Override
  public WriteBatcher.Work<?> available(Recording r) {
    stagedRecording.set(false);
    if (!outbox.wanted(r.organizationId(), EventType.RECORDING_FINISHED)) {
      return h -> null;
    }
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("recordingId", r.recordingId());
    d.put("roomName", r.roomName());
    d.put("roomSessionId", r.roomSessionId());
    d.put("filename", r.filename());
    d.put("status", "completed");
    WebhookEvent e =
        WebhookEvent.create(r.organizationId(), EventType.RECORDING_FINISHED, clock.instant(), d);
    WriteBatcher.Work<Integer> stage = outbox.stage(e);
    stagedRecording.set(true);
    return stage;
  }

  @Override
  public void committed() {
    if (stagedRecording.get()) {
      stagedRecording.set(false);
      outbox.staged();
    }
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
