package dev.parlor.insights;

import java.time.Instant;

/**
 * What the room server reports about its rooms, in process (no HTTP): connections coming and going,
 * a network sample per connection every two seconds, and media switches. Everything insights report
 * is derived from these calls.
 *
 * <p>Calls for one room must be made in the order things happened; a time earlier than the room's
 * previous event is taken as that event's time. Connection ids must be unique among the connections
 * open in this process. Calls never wait for the database (samples and rows are written in batches
 * in the background, see {@link #flush()}), except when the write queue is full.
 */
public interface RoomActivity {

  /**
   * A connection joined a room.
   *
   * @param roomName the room (the leading slash is optional); it must be a live meeting's room
   * @param connectionId the room server's id of this connection, unique among open connections
   * @param participantId the participant's id in this meeting (kept by the browser, so a reload is
   *     the same participant on a new connection); for a recorder or streamer, the bot's id
   * @param deviceId a per-browser id
   * @param role the connection's role; {@link Role#RECORDER} and {@link Role#STREAMER} connect the
   *     room's recorder and streamer
   * @param displayName the name shown in the room, or null
   * @param externalId the {@code externalId} the participant joined with, or null
   * @param userAgent the browser's user agent, or null
   * @param at when it joined
   */
  record Join(
      String roomName,
      String connectionId,
      String participantId,
      String deviceId,
      Role role,
      String displayName,
      String externalId,
      String userAgent,
      Instant at) {}

  /**
   * Records a join.
   *
   * @throws IllegalArgumentException when the room is not a live meeting's or an argument is
   *     missing
   * @throws IllegalStateException when the connection id is already open
   */
  void participantConnected(Join join);

  /** A connection left (closed, dropped or kicked). Unknown or closed connections are ignored. */
  void participantDisconnected(String connectionId, Instant at);

  /**
   * One network sample of a connection: packet loss in percent (0 to 100), bitrates in bit/s.
   * Samples of unknown or closed connections are ignored.
   */
  void networkSample(
      String connectionId,
      Instant at,
      double packetLossSendPercent,
      double packetLossRecvPercent,
      long bitrateSendBps,
      long bitrateRecvBps);

  /** A camera, microphone or screenshare switch. Unknown or closed connections are ignored. */
  void mediaEvent(String connectionId, MediaEvent event, Instant at);

  /**
   * Ends the sessions whose rooms have held fewer than two participants for the idle time, at the
   * clock's now. A background task calls this every second; tests call it after moving the clock.
   */
  void tick();

  /**
   * Writes everything recorded so far, partial sample chunks included, and waits for the commit.
   */
  void flush();
}
