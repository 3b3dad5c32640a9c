package dev.parlor.signaling;

import java.util.Set;
import java.util.function.Function;

/**
 * Where room state lives and how messages reach connections. The room logic ({@link
 * SignalingService}) only reads and changes {@link RoomState} through {@link #withRoom} and only
 * talks to connections through {@link #deliver} and {@link #disconnect}, so a multi-node
 * implementation (state and delivery on Redis) can replace {@link InProcessRoomBus} without
 * touching it.
 */
public interface RoomBus {

  /** A connection of this node: where its messages go. Both methods must not block. */
  interface Endpoint {
    void send(String message);

    void close(int code, String reason);
  }

  /**
   * Runs {@code change} on the state of {@code roomName} while no other change of that room runs,
   * creating empty state first if there is none; state left empty afterwards is dropped.
   */
  <T> T withRoom(String roomName, Function<RoomState, T> change);

  /** The names of the rooms that currently have state (someone connected or knocking). */
  Set<String> roomNames();

  /** Makes a connection of this node reachable by {@link #deliver}. */
  void attach(String connectionId, Endpoint endpoint);

  void detach(String connectionId);

  /** Queues a text message for a connection, wherever it is; unknown connections are ignored. */
  void deliver(String connectionId, String message);

  /** Closes a connection after the messages already delivered to it are sent. */
  void disconnect(String connectionId, int code, String reason);
}
