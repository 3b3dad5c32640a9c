package dev.parlor.signaling;

import dev.parlor.meetings.Meeting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the server knows about one room: who is in it, who is knocking, whether it is locked. Plain
 * data, changed only inside {@link RoomBus#withRoom}.
 */
public final class RoomState {
  /** An admitted participant. */
  public record Member(
      String connectionId,
      String participantId,
      String meetingId,
      Role role,
      String displayName,
      String externalId,
      String metadata,
      String deviceId,
      String userAgent,
      boolean audio,
      boolean video,
      boolean screenshare) {

    Member withMedia(boolean a, boolean v, boolean s) {
      return new Member(
          connectionId,
          participantId,
          meetingId,
          role,
          displayName,
          externalId,
          metadata,
          deviceId,
          userAgent,
          a,
          v,
          s);
    }
  }

  /** A visitor waiting at a locked room's door. */
  public record Knock(
      String connectionId,
      String meetingId,
      String displayName,
      String externalId,
      String metadata,
      String deviceId,
      String userAgent,
      String claimedParticipantId,
      String image) {}

  private final Map<String, Member> members = new LinkedHashMap<>();
  private final Map<String, Knock> knocks = new LinkedHashMap<>();
  private Boolean locked; // null until the first join sets it from the meeting
  private Meeting meeting;

  public List<Member> members() {
    return new ArrayList<>(members.values());
  }

  public Optional<Member> member(String connectionId) {
    return Optional.ofNullable(members.get(connectionId));
  }

  public Optional<Member> memberByParticipantId(String participantId) {
    return members.values().stream().filter(m -> m.participantId().equals(participantId)).findAny();
  }

  public void put(Member m) {
    members.put(m.connectionId(), m);
  }

  public Optional<Member> removeMember(String connectionId) {
    return Optional.ofNullable(members.remove(connectionId));
  }

  public List<Knock> knocks() {
    return new ArrayList<>(knocks.values());
  }

  public Optional<Knock> knock(String connectionId) {
    return Optional.ofNullable(knocks.get(connectionId));
  }

  public void putKnock(Knock k) {
    knocks.put(k.connectionId(), k);
  }

  public Optional<Knock> removeKnock(String connectionId) {
    return Optional.ofNullable(knocks.remove(connectionId));
  }

  public long count(boolean viewers) {
    return members.values().stream().filter(m -> (m.role() == Role.VIEWER) == viewers).count();
  }

  public Optional<Boolean> locked() {
    return Optional.ofNullable(locked);
  }

  public void setLocked(boolean locked) {
    this.locked = locked;
  }

  public Optional<String> meetingId() {
    return Optional.ofNullable(meeting).map(Meeting::meetingId);
  }

  /** The meeting whose room this is, once someone joined. */
  public Optional<Meeting> meeting() {
    return Optional.ofNullable(meeting);
  }

  public String roomName() {
    return meeting == null ? "" : meeting.roomName();
  }

  public void setMeeting(Meeting meeting) {
    this.meeting = meeting;
  }

  /** The admitted connections by role name. */
  public Map<String, Integer> countsByRole() {
    Map<String, Integer> out = new java.util.TreeMap<>();
    for (Member m : members.values()) {
      out.merge(m.role().wireName(), 1, Integer::sum);
    }
    return out;
  }

  public boolean isEmpty() {
    return members.isEmpty() && knocks.isEmpty();
  }
}
