package dev.parlor.webhooks;

import java.util.Optional;

/** The event types Parlor sends, with the hosted service's names. */
public enum EventType {
  ROOM_CLIENT_JOINED("room.client.joined"),
  ROOM_CLIENT_LEFT("room.client.left"),
  ROOM_CLIENT_KNOCKED("room.client.knocked"),
  ROOM_CLIENT_KNOCK_CANCELLED("room.client.knockCancelled"),
  ROOM_SESSION_STARTED("room.session.started"),
  ROOM_SESSION_ENDED("room.session.ended"),
  RECORDING_FINISHED("recording.finished");

  private final String wire;

  EventType(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Optional<EventType> fromWire(String s) {
    for (EventType t : values()) {
      if (t.wire.equals(s)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
