package dev.parlor.insights;

import dev.parlor.signaling.RoomObserver;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the room pages' signaling into {@link RoomActivity}: what the signaling observes of real
 * browser sessions becomes insights. Media changes are renamed ({@code audio_*} is the microphone,
 * {@code video_*} the camera).
 *
 * <p>The signaling reports a room's joins and leaves in order, inside the room's lock. A leave that
 * still arrives before its join (from a source that reports otherwise) is remembered for a minute
 * and cancels the late join, so no connection stays open for ever.
 */
public final class SignalingInsights implements RoomObserver {
  private static final Logger log = LoggerFactory.getLogger(SignalingInsights.class);
  private static final long EARLY_LEAVE_MEMORY_MS = 60_000;

  private final RoomActivity activity;
  private final Map<String, Boolean> open = new ConcurrentHashMap<>();
  private final Map<String, Long> leftBeforeJoining = new ConcurrentHashMap<>();

  public SignalingInsights(RoomActivity activity) {
    this.activity = activity;
  }

  @Override
  public void connected(Participant p, Map<String, Integer> present, Instant time) {
    String connectionId = p.connectionId();
    if (leftBeforeJoining.remove(connectionId) != null) {
      return;
    }
    Role role = Role.fromWire(p.roleName()).orElse(Role.VISITOR);
    String participantId = p.participantId();
    try {
      activity.participantConnected(
          new RoomActivity.Join(
              p.meeting().roomName(),
              connectionId,
              participantId == null || participantId.isEmpty() ? connectionId : participantId,
              emptyToNull(p.deviceId()),
              role,
              emptyToNull(p.displayName()),
              emptyToNull(p.externalId()),
              emptyToNull(p.userAgent()),
              time));
      open.put(connectionId, Boolean.TRUE);
    } catch (RuntimeException e) {
      log.warn("Insights did not record a join to {}: {}", p.meeting().roomName(), e.toString());
    }
  }

  @Override
  public void disconnected(Participant p, Map<String, Integer> present, Instant time) {
    if (open.remove(p.connectionId()) == null) {
      remember(p.connectionId(), time);
      return;
    }
    activity.participantDisconnected(p.connectionId(), time);
  }

  private void remember(String connectionId, Instant time) {
    long now = time.toEpochMilli();
    leftBeforeJoining.put(connectionId, now);
    if (leftBeforeJoining.size() > 1_000) {
      for (Iterator<Long> it = leftBeforeJoining.values().iterator(); it.hasNext(); ) {
        if (now - it.next() > EARLY_LEAVE_MEMORY_MS) {
          it.remove();
        }
      }
    }
  }

  @Override
  public void sample(
      String connectionId,
      double packetLossSendPct,
      double packetLossRecvPct,
      double bitrateSendBps,
      double bitrateRecvBps,
      Instant time) {
    activity.networkSample(
        connectionId,
        time,
        packetLossSendPct,
        packetLossRecvPct,
        Math.round(bitrateSendBps),
        Math.round(bitrateRecvBps));
  }

  @Override
  public void mediaEvent(String connectionId, String type, Instant time) {
    mediaEventOf(type).ifPresent(e -> activity.mediaEvent(connectionId, e, time));
  }

  static Optional<MediaEvent> mediaEventOf(String type) {
    if (type == null) {
      return Optional.empty();
    }
    return switch (type) {
      case "audio_on" -> Optional.of(MediaEvent.MICROPHONE_ON);
      case "audio_off" -> Optional.of(MediaEvent.MICROPHONE_OFF);
      case "video_on" -> Optional.of(MediaEvent.CAMERA_ON);
      case "video_off" -> Optional.of(MediaEvent.CAMERA_OFF);
      default -> MediaEvent.fromWire(type);
    };
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
