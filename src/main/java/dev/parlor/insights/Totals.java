package dev.parlor.insights;

/**
 * Minutes and unique counts, kept apart by kind (participants, recorders, streamers): what a room
 * and a session report.
 */
public record Totals(
    long participantMinutes,
    long recorderMinutes,
    long streamerMinutes,
    long uniqueParticipants,
    long uniqueRecorders,
    long uniqueStreamers) {

  public static final Totals ZERO = new Totals(0, 0, 0, 0, 0, 0);

  static Totals of(long[] minutes, long[] unique) {
    return new Totals(minutes[0], minutes[1], minutes[2], unique[0], unique[1], unique[2]);
  }

  long minutes(Role.Kind k) {
    return switch (k) {
      case PARTICIPANT -> participantMinutes;
      case RECORDER -> recorderMinutes;
      case STREAMER -> streamerMinutes;
    };
  }

  long unique(Role.Kind k) {
    return switch (k) {
      case PARTICIPANT -> uniqueParticipants;
      case RECORDER -> uniqueRecorders;
      case STREAMER -> uniqueStreamers;
    };
  }
}
