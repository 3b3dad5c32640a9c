package dev.parlor.signaling;

import static dev.parlor.signaling.Messages.DEVICE_ID;
import static dev.parlor.signaling.Messages.EXTERNAL_ID;
import static dev.parlor.signaling.Messages.IMAGE;
import static dev.parlor.signaling.Messages.ROOM;
import static dev.parlor.signaling.Messages.describe;
import static dev.parlor.signaling.Messages.describeKnock;
import static dev.parlor.signaling.Messages.displayName;
import static dev.parlor.signaling.Messages.error;
import static dev.parlor.signaling.Messages.invalid;
import static dev.parlor.signaling.Messages.knocker;
import static dev.parlor.signaling.Messages.number;
import static dev.parlor.signaling.Messages.obj;
import static dev.parlor.signaling.Messages.optionalString;
import static dev.parlor.signaling.Messages.participant;
import static dev.parlor.signaling.Messages.requiredBoolean;
import static dev.parlor.signaling.Messages.requiredString;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parlor.meetings.Meeting;
import dev.parlor.meetings.MeetingListener;
import dev.parlor.meetings.MeetingService;
import dev.parlor.rooms.RoomKeys;
import dev.parlor.signaling.Messages.Refusal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of a room: who may join and as what, knocking, host-only actions, relaying of WebRTC
 * signaling between two participants, and the end of a meeting. The protocol is described in {@code
 * docs/signaling.md}. Every message is validated; a bad one is answered with an {@code error} and
 * changes nothing.
 */
public final class SignalingService implements MeetingListener {
  private static final Logger log = LoggerFactory.getLogger(SignalingService.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** Close codes sent with the WebSocket close frame. */
  public static final int CLOSE_NORMAL = 1000;

  public static final int CLOSE_POLICY = 1008;
  public static final int CLOSE_TOO_BIG = 1009;

  public static final int MAX_MESSAGE_CHARS = 256 * 1024;

  /** Caps of a mesh room. */
  public record Caps(int normal, int group, int viewers) {
    public static final Caps MESH = new Caps(4, 8, 8);
  }

  private final MeetingService meetings;
  private final RoomKeys roomKeys;
  private final RoomBus bus;
  private final ObserverFanOut observer = new ObserverFanOut();
  private final Clock clock;
  private final Supplier<JsonNode> iceServers;
  private final Caps caps;
  private final ParticipantTokens participantTokens;

  /** Meetings removed recently (id to when), so a join racing the removal cannot slip in. */
  private final ConcurrentHashMap<String, Instant> endedMeetings = new ConcurrentHashMap<>();

  public SignalingService(
      MeetingService meetings,
      RoomKeys roomKeys,
      RoomBus bus,
      RoomObserver observer,
      Clock clock,
      Supplier<JsonNode> iceServers,
      Caps caps,
      byte[] serverSecret) {
    this.participantTokens = new ParticipantTokens(serverSecret);
    this.meetings = meetings;
    this.roomKeys = roomKeys;
    this.bus = bus;
    this.observer.add(observer);
    this.clock = clock;
    this.iceServers = iceServers;
    this.caps = caps;
  }

  public RoomBus bus() {
    return bus;
  }

  private final java.util.concurrent.atomic.AtomicInteger openConnections =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Signaling sockets open on this node. */
  public int openConnections() {
    return openConnections.get();
  }

  /** Rooms with someone connected or knocking. */
  public int activeRooms() {
    return bus.roomNames().size();
  }

  private volatile java.time.Duration joinTimeout = java.time.Duration.ofSeconds(30);

  /** A socket that has not sent {@code join} after this long is closed. */
  java.time.Duration joinTimeout() {
    return joinTimeout;
  }

  void setJoinTimeout(java.time.Duration d) {
    joinTimeout = d;
  }

  /** Adds an observer beside the one given at construction (tests, extra consumers). */
  public void addObserver(RoomObserver o) {
    observer.add(o);
  }

  /** A new connection; it must {@code join} before anything else. */
  public Session open(String userAgent, RoomBus.Endpoint endpoint) {
    openConnections.incrementAndGet();
    Session s = new Session(UUID.randomUUID().toString(), userAgent);
    bus.attach(s.connectionId, endpoint);
    return s;
  }

  /** Handles one text message of {@code s}; never throws. */
  public void onMessage(Session s, String text) {
    handleMessage(s, text);
  }

  private void handleMessage(Session s, String text) {
    if (s.closed) {
      return;
    }
    String type = "";
    try {
      if (text.length() > MAX_MESSAGE_CHARS) {
        throw new Refusal("message_too_large", "Messages are at most 262144 characters", false);
      }
      if (!s.allowMessage()) {
        throw new Refusal("rate_limited", "Too many messages; slow down", false);
      }
      JsonNode msg;
      try {
        msg = MAPPER.readTree(text);
      } catch (JsonProcessingException e) {
        throw invalid("Messages must be JSON objects");
      }
      if (msg == null || !msg.isObject()) {
        throw invalid("Messages must be JSON objects");
      }
      JsonNode t = msg.get("type");
      if (t == null || !t.isTextual()) {
        throw invalid("Every message needs a string 'type'");
      }
      type = t.asText();
      dispatch(s, type, msg);
    } catch (Refusal r) {
      ObjectNode e = error(r.code, r.getMessage());
      if (!type.isEmpty() && type.length() <= 40) {
        e.put("replyTo", type);
      }
      send(s.connectionId, e);
      if (r.fatal) {
        s.closed = true;
        bus.disconnect(s.connectionId, CLOSE_POLICY, r.code);
      }
    } catch (RuntimeException e) {
      log.warn("signaling message of {} failed", s.connectionId, e);
      send(s.connectionId, error("internal_error", "The server could not handle that message"));
    }
  }

  private void dispatch(Session s, String type, JsonNode msg) {
    switch (type) {
      case "join" -> join(s, msg);
      case "ping" -> send(s.connectionId, obj("pong"));
      case "knock" -> knock(s, msg);
      case "leave" -> {
        s.closed = true;
        leave(s);
        bus.disconnect(s.connectionId, CLOSE_NORMAL, "left");
      }
      case "offer", "answer", "candidate" -> relay(s, type, msg);
      case "chat" -> chat(s, msg);
      case "media_state" -> mediaState(s, msg);
      case "stats" -> stats(s, msg);
      case "lock" -> lock(s, msg);
      case "remove" -> remove(s, msg);
      case "mute_request" -> muteRequest(s, msg);
      case "end_meeting" -> endMeeting(s);
      case "knock_accept", "knock_reject", "knock_hold" -> answerKnock(s, type, msg);
      default -> throw invalid("Unknown message type");
    }
  }

  // ------------------------------------------------------------------ joining

  private void join(Session s, JsonNode msg) {
    if (s.roomName != null) {
      throw new Refusal("already_joined", "This connection already asked to join a room", false);
    }
    String room = requiredString(msg, "room", 101);
    if (!ROOM.matcher(room).matches()) {
      throw invalid("'room' is not a room name");
    }
    String roomName = room.startsWith("/") ? room : "/" + room;
    s.displayName = displayName(msg, "displayName");
    s.externalId = optionalString(msg, "externalId", 36).orElse("");
    if (!s.externalId.isEmpty() && !EXTERNAL_ID.matcher(s.externalId).matches()) {
      throw new Refusal(
          "invalid_external_id", "externalId must be 1 to 36 of A-Z, a-z, 0-9, '_' and '-'", true);
    }
    s.metadata = optionalString(msg, "metadata", 1000).orElse("");
    s.deviceId = optionalString(msg, "deviceId", 64).orElse("");
    if (!s.deviceId.isEmpty() && !DEVICE_ID.matcher(s.deviceId).matches()) {
      throw invalid("deviceId must be 1 to 64 of A-Z, a-z, 0-9, '_' and '-'");
    }
    Optional<String> key = optionalString(msg, "roomKey", 4096);
    Optional<String> participantToken = optionalString(msg, "participantToken", 200);

    Optional<Meeting> found = meetings.findLiveByRoomName(roomName);
    if (found.isEmpty()) {
      throw new Refusal("room_not_found", "The room does not exist or has ended", true);
    }
    Meeting meeting = found.get();
    Role role = Role.VISITOR;
    if (key.isPresent()) {
      Optional<RoomKeys.Grant> grant = roomKeys.verify(key.get(), meeting.roomName());
      if (grant.isEmpty() || !grant.get().meetingId().equals(meeting.meetingId())) {
        throw new Refusal("invalid_key", "The room key is not valid for this room", true);
      }
      role =
          switch (grant.get().role()) {
            case HOST -> Role.HOST;
            case VIEWER -> Role.VIEWER;
            case GRANTED_VISITOR -> Role.GRANTED_VISITOR;
          };
    }
    s.roomName = roomName;
    s.meetingId = meeting.meetingId();
    s.claimedParticipantId =
        participantToken
            .flatMap(t -> participantTokens.verify(meeting.meetingId(), t))
            .orElse(null);
    Role r = role;
    Refusal refusal =
        bus.withRoom(
            roomName,
            state -> {
              if (endedMeetings.containsKey(meeting.meetingId())) {
                return new Refusal("meeting_ended", "The meeting has ended", true);
              }
              if (state.meetingId().isEmpty() || !state.meetingId().get().equals(s.meetingId)) {
                state.setMeeting(meeting);
                state.setLocked(meeting.locked() || meeting.isViewerMode());
              }
              if (r == Role.VISITOR && state.locked().orElse(false)) {
                s.mayKnock = true;
                return new Refusal(
                    "room_locked", "The room is locked: knock to ask a host to let you in", false);
              }
              return admit(state, meeting, s.connectionId, s, r);
            });
    if (refusal != null) {
      if (refusal.fatal) {
        s.roomName = null;
      }
      throw refusal;
    }
  }

  /** Admits a connection inside the room's lock; a refusal if the room is full. */
  private Refusal admit(
      RoomState state, Meeting meeting, String connectionId, Session s, Role role) {
    boolean viewer = role == Role.VIEWER;
    long limit =
        viewer
            ? caps.viewers()
            : meeting.roomMode() == Meeting.RoomMode.GROUP ? caps.group() : caps.normal();
    if (state.count(viewer) >= limit) {
      return new Refusal("room_full", "The room is full", true);
    }
    // The same browser again (a reload, a reconnect) keeps its id, unless that id is still here.
    String claimed = s.claimedParticipantId;
    String participantId =
        claimed != null && state.memberByParticipantId(claimed).isEmpty()
            ? claimed
            : UUID.randomUUID().toString();
    s.participantId = participantId;
    RoomState.Member me =
        new RoomState.Member(
            connectionId,
            participantId,
            meeting.meetingId(),
            role,
            s.displayName,
            s.externalId,
            s.metadata,
            s.deviceId,
            s.userAgent,
            role.sends(),
            role.sends(),
            false);
    List<RoomState.Member> others = state.members();
    state.put(me);
    // before anyone is told: a webhook event is stored before the join is acknowledged
    Map<String, Integer> present = state.countsByRole();
    Instant now = clock.instant();
    observer.connected(participant(meeting, me), present, now);

    ObjectNode joined = obj("joined");
    joined.put("selfId", participantId);
    joined.put("participantToken", participantTokens.issue(meeting.meetingId(), participantId));
    joined.put("role", role.wireName());
    joined.put("roomName", meeting.roomName());
    joined.put("meetingId", meeting.meetingId());
    joined.put("roomMode", meeting.roomMode().wire());
    joined.put("locked", state.locked().orElse(false));
    joined.put("themeUrl", "/rooms" + meeting.roomName() + "/theme.json");
    joined.set("iceServers", iceServers.get());
    ArrayNode list = joined.putArray("participants");
    for (RoomState.Member o : others) {
      list.add(describe(o));
    }
    if (role == Role.HOST) {
      ArrayNode knocks = joined.putArray("knocks");
      state.knocks().forEach(k -> knocks.add(describeKnock(k)));
    }
    send(connectionId, joined);
    ObjectNode announce = obj("participant_joined");
    announce.set("participant", describe(me));
    for (RoomState.Member o : others) {
      send(o.connectionId(), announce);
    }
    return null;
  }

  private void knock(Session s, JsonNode msg) {
    if (!s.mayKnock || s.roomName == null) {
      throw new Refusal(
          "not_allowed", "Knock after a join was refused with room_locked, once", false);
    }
    if (msg.has("displayName")) {
      s.displayName = displayName(msg, "displayName");
    }
    String image = optionalString(msg, "image", 200_000).orElse("");
    if (!image.isEmpty() && !IMAGE.matcher(image).matches()) {
      throw invalid("'image' must be a data: URL of a JPEG, PNG or WebP image");
    }
    s.mayKnock = false;
    RoomState.Knock k =
        new RoomState.Knock(
            s.connectionId,
            s.meetingId,
            s.displayName,
            s.externalId,
            s.metadata,
            s.deviceId,
            s.userAgent,
            s.claimedParticipantId,
            image);
    bus.withRoom(
        s.roomName,
        state -> {
          state.putKnock(k);
          Instant now = clock.instant();
          state.meeting().ifPresent(m -> observer.knocked(knocker(m, k), now));
          ObjectNode n = obj("knock");
          n.setAll(describeKnock(k));
          hosts(state).forEach(h -> send(h.connectionId(), n));
          return null;
        });
    send(s.connectionId, obj("knock_pending"));
  }

  private void answerKnock(Session s, String type, JsonNode msg) {
    String knockId = requiredString(msg, "knockId", 64);
    Optional<String> message = optionalString(msg, "message", 500);
    // looked up before taking the room's lock: no database work while holding it
    Optional<Meeting> live =
        type.equals("knock_accept") && s.roomName != null
            ? meetings.findLiveByRoomName(s.roomName)
            : Optional.empty();
    Refusal r =
        inRoomAsHost(
            s,
            state -> {
              Optional<RoomState.Knock> k = state.knock(knockId);
              if (k.isEmpty()) {
                return new Refusal("unknown_knock", "No such knock", false);
              }
              String outcome;
              switch (type) {
                case "knock_hold" -> {
                  ObjectNode held = obj("knock_held");
                  held.put("message", message.orElse(""));
                  send(knockId, held);
                  outcome = "held";
                }
                case "knock_reject" -> {
                  state.removeKnock(knockId);
                  ObjectNode rej = obj("knock_rejected");
                  rej.put("message", message.orElse(""));
                  send(knockId, rej);
                  bus.disconnect(knockId, CLOSE_NORMAL, "rejected");
                  outcome = "rejected";
                }
                default -> {
                  Optional<Meeting> meeting = live;
                  if (meeting.isEmpty()) {
                    return new Refusal("room_not_found", "The room has ended", false);
                  }
                  state.removeKnock(knockId);
                  ObjectNode accepted = obj("knock_accepted");
                  // lets the visitor back in (a reload, a dropped connection) without knocking
                  accepted.put(
                      "roomKey",
                      roomKeys.issue(
                          meeting.get().roomName(),
                          meeting.get().meetingId(),
                          RoomKeys.Role.GRANTED_VISITOR,
                          meetings.expiresAt(meeting.get())));
                  send(knockId, accepted);
                  RoomState.Knock kk = k.get();
                  Session knocker = new Session(knockId, kk.userAgent());
                  knocker.deviceId = kk.deviceId();
                  knocker.claimedParticipantId = kk.claimedParticipantId();
                  knocker.displayName = kk.displayName();
                  knocker.externalId = kk.externalId();
                  knocker.metadata = kk.metadata();
                  Refusal full =
                      admitKnocker(state, meeting.get(), knockId, knocker, Role.GRANTED_VISITOR);
                  outcome = full == null ? "accepted" : "full";
                }
              }
              ObjectNode resolved = obj("knock_resolved");
              resolved.put("knockId", knockId);
              resolved.put("outcome", outcome);
              hosts(state).forEach(h -> send(h.connectionId(), resolved));
              return null;
            });
    if (r != null) {
      throw r;
    }
  }

  private Refusal admitKnocker(
      RoomState state, Meeting meeting, String connectionId, Session info, Role role) {
    Refusal full = admit(state, meeting, connectionId, info, role);
    if (full != null) {
      send(connectionId, error(full.code, full.getMessage()));
      bus.disconnect(connectionId, CLOSE_POLICY, full.code);
    }
    return full;
  }

  // ------------------------------------------------------------------ in the room

  private void relay(Session s, String type, JsonNode msg) {
    String to = requiredString(msg, "to", 64);
    ObjectNode out = obj(type);
    if (type.equals("candidate")) {
      JsonNode c = msg.get("candidate");
      if (c != null && !c.isNull()) {
        if (!c.isObject() || c.toString().length() > 4096) {
          throw invalid("'candidate' must be an ICE candidate object or null");
        }
        JsonNode cs = c.get("candidate");
        if (cs == null || !cs.isTextual()) {
          throw invalid("'candidate.candidate' must be a string");
        }
      }
      out.set("candidate", c == null ? F.nullNode() : c);
    } else {
      out.put("sdp", requiredString(msg, "sdp", 200_000));
    }
    Refusal r =
        inRoomAsMember(
            s,
            (state, me) -> {
              Optional<RoomState.Member> peer = state.memberByParticipantId(to);
              if (peer.isEmpty() || peer.get().connectionId().equals(me.connectionId())) {
                return new Refusal("unknown_participant", "No such participant here", false);
              }
              if (me.role() == Role.VIEWER && peer.get().role() == Role.VIEWER) {
                return new Refusal("not_allowed", "Viewers do not connect to viewers", false);
              }
              out.put("from", me.participantId());
              send(peer.get().connectionId(), out);
              return null;
            });
    if (r != null) {
      throw r;
    }
  }

  private void chat(Session s, JsonNode msg) {
    String text = requiredString(msg, "text", 2000);
    if (text.isBlank()) {
      throw invalid("'text' must not be empty");
    }
    throwIf(
        inRoomAsMember(
            s,
            (state, me) -> {
              ObjectNode out = obj("chat");
              out.put("from", me.participantId());
              out.put("displayName", me.displayName());
              out.put("text", text);
              out.put("time", clock.instant().toString());
              state.members().forEach(m -> send(m.connectionId(), out));
              return null;
            }));
  }

  private void mediaState(Session s, JsonNode msg) {
    boolean audio = requiredBoolean(msg, "audio");
    boolean video = requiredBoolean(msg, "video");
    boolean screen = msg.has("screenshare") ? requiredBoolean(msg, "screenshare") : false;
    List<String> events = new ArrayList<>();
    throwIf(
        inRoomAsMember(
            s,
            (state, me) -> {
              if (me.role() == Role.VIEWER && (audio || video || screen)) {
                return new Refusal("not_allowed", "Viewers do not send media", false);
              }
              if (me.audio() != audio) {
                events.add(audio ? "audio_on" : "audio_off");
              }
              if (me.video() != video) {
                events.add(video ? "video_on" : "video_off");
              }
              if (me.screenshare() != screen) {
                events.add(screen ? "screenshare_on" : "screenshare_off");
              }
              RoomState.Member updated = me.withMedia(audio, video, screen);
              state.put(updated);
              ObjectNode out = obj("participant_updated");
              out.set("participant", describe(updated));
              state.members().stream()
                  .filter(m -> !m.connectionId().equals(me.connectionId()))
                  .forEach(m -> send(m.connectionId(), out));
              return null;
            }));
    Instant now = clock.instant();
    for (String e : events) {
      observer.mediaEvent(s.connectionId, e, now);
    }
  }

  private void stats(Session s, JsonNode msg) {
    double lossSend = number(msg, "packetLossSendPct", 100);
    double lossRecv = number(msg, "packetLossRecvPct", 100);
    double sendBps = number(msg, "bitrateSendBps", 1e11);
    double recvBps = number(msg, "bitrateRecvBps", 1e11);
    throwIf(inRoomAsMember(s, (state, me) -> null));
    Instant now = clock.instant();
    observer.sample(s.connectionId, lossSend, lossRecv, sendBps, recvBps, now);
  }

  // ------------------------------------------------------------------ host-only

  private void lock(Session s, JsonNode msg) {
    boolean locked = requiredBoolean(msg, "locked");
    throwIf(
        inRoomAsHost(
            s,
            state -> {
              state.setLocked(locked);
              ObjectNode out = obj("room_locked");
              out.put("locked", locked);
              state.members().forEach(m -> send(m.connectionId(), out));
              return null;
            }));
  }

  private void remove(Session s, JsonNode msg) {
    String target = requiredString(msg, "participantId", 64);
    throwIf(
        inRoomAsHost(
            s,
            state -> {
              Optional<RoomState.Member> m = state.memberByParticipantId(target);
              if (m.isEmpty()) {
                return new Refusal("unknown_participant", "No such participant here", false);
              }
              send(m.get().connectionId(), obj("removed"));
              departed(state, m.get());
              bus.disconnect(m.get().connectionId(), CLOSE_NORMAL, "removed");
              return null;
            }));
  }

  private void muteRequest(Session s, JsonNode msg) {
    String target = requiredString(msg, "participantId", 64);
    throwIf(
        inRoomAsHost(
            s,
            state -> {
              Optional<RoomState.Member> m = state.memberByParticipantId(target);
              if (m.isEmpty()) {
                return new Refusal("unknown_participant", "No such participant here", false);
              }
              ObjectNode out = obj("mute_request");
              out.put("from", state.member(s.connectionId).orElseThrow().participantId());
              send(m.get().connectionId(), out);
              return null;
            }));
  }

  private void endMeeting(Session s) {
    throwIf(
        inRoomAsHost(
            s,
            state -> {
              endAll(state);
              return null;
            }));
  }

  /** Sends meeting_ended to everyone in the room and closes them; inside the room's lock. */
  private void endAll(RoomState state) {
    ObjectNode ended = obj("meeting_ended");
    Instant now = clock.instant();
    Optional<Meeting> meeting = state.meeting();
    for (RoomState.Member m : state.members()) {
      state.removeMember(m.connectionId());
      Map<String, Integer> present = state.countsByRole();
      meeting.ifPresent(mt -> observer.disconnected(participant(mt, m), present, now));
      send(m.connectionId(), ended);
      bus.disconnect(m.connectionId(), CLOSE_NORMAL, "meeting_ended");
    }
    for (RoomState.Knock k : state.knocks()) {
      state.removeKnock(k.connectionId());
      send(k.connectionId(), ended);
      bus.disconnect(k.connectionId(), CLOSE_NORMAL, "meeting_ended");
    }
  }

  @Override
  public void meetingRemoved(Meeting meeting) {
    endRoom(meeting);
  }

  /**
   * Ends the rooms whose meeting is past its end plus the grace period, without waiting for the
   * sweep to delete the meeting: everyone in them gets {@code meeting_ended}. Returns how many.
   */
  public int endExpiredRooms() {
    Instant now = clock.instant();
    int ended = 0;
    for (String name : bus.roomNames()) {
      Boolean done =
          bus.withRoom(
              name,
              state -> {
                Optional<Meeting> m = state.meeting();
                if (m.isEmpty() || now.isBefore(meetings.expiresAt(m.get()))) {
                  return false;
                }
                endedMeetings.put(m.get().meetingId(), now);
                endAll(state);
                return true;
              });
      if (Boolean.TRUE.equals(done)) {
        ended++;
      }
    }
    if (ended > 0) {
      log.info("Ended {} rooms whose meeting expired", ended);
    }
    return ended;
  }

  private void endRoom(Meeting meeting) {
    Instant now = clock.instant();
    // a join that looked the meeting up before it was removed finishes within seconds
    endedMeetings.values().removeIf(t -> t.isBefore(now.minusSeconds(300)));
    endedMeetings.put(meeting.meetingId(), now);
    bus.withRoom(
        meeting.roomName(),
        state -> {
          if (state.meetingId().map(meeting.meetingId()::equals).orElse(false)) {
            endAll(state);
          }
          return null;
        });
  }

  // ------------------------------------------------------------------ leaving

  /** The connection closed, for whatever reason. */
  public void onClose(Session s) {
    if (!s.released) {
      s.released = true;
      openConnections.decrementAndGet();
    }
    s.closed = true;
    try {
      leave(s);
    } finally {
      bus.detach(s.connectionId);
    }
  }

  private void leave(Session s) {
    if (s.roomName == null) {
      return;
    }
    String room = s.roomName;
    bus.withRoom(
        room,
        state -> {
          state.member(s.connectionId).ifPresent(m -> departed(state, m));
          state
              .removeKnock(s.connectionId)
              .ifPresent(
                  k -> {
                    Instant now = clock.instant();
                    state.meeting().ifPresent(m -> observer.knockCancelled(knocker(m, k), now));
                    ObjectNode out = obj("knock_cancelled");
                    out.put("knockId", k.connectionId());
                    hosts(state).forEach(h -> send(h.connectionId(), out));
                  });
          return null;
        });
  }

  /** Removes a member and tells the others; inside the room's lock. */
  private void departed(RoomState state, RoomState.Member m) {
    if (state.removeMember(m.connectionId()).isEmpty()) {
      return;
    }
    Map<String, Integer> present = state.countsByRole();
    Instant now = clock.instant();
    state.meeting().ifPresent(mt -> observer.disconnected(participant(mt, m), present, now));
    ObjectNode left = obj("participant_left");
    left.put("participantId", m.participantId());
    state.members().forEach(o -> send(o.connectionId(), left));
  }

  // ------------------------------------------------------------------ helpers

  private interface MemberChange {
    Refusal apply(RoomState state, RoomState.Member me);
  }

  private Refusal inRoomAsMember(Session s, MemberChange change) {
    if (s.roomName == null) {
      throw new Refusal("not_joined", "Join a room first", false);
    }
    return bus.withRoom(
        s.roomName,
        state -> {
          Optional<RoomState.Member> me = state.member(s.connectionId);
          if (me.isEmpty()) {
            return new Refusal("not_joined", "Not admitted to the room", false);
          }
          return change.apply(state, me.get());
        });
  }

  private Refusal inRoomAsHost(Session s, java.util.function.Function<RoomState, Refusal> change) {
    return inRoomAsMember(
        s,
        (state, me) ->
            me.role() != Role.HOST
                ? new Refusal("forbidden", "Only a host can do that", false)
                : change.apply(state));
  }

  private static void throwIf(Refusal r) {
    if (r != null) {
      throw r;
    }
  }

  private static List<RoomState.Member> hosts(RoomState state) {
    return state.members().stream().filter(m -> m.role() == Role.HOST).toList();
  }

  private void send(String connectionId, ObjectNode message) {
    bus.deliver(connectionId, message.toString());
  }
}
