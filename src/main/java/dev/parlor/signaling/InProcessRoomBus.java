package dev.parlor.signaling;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** Room state and delivery within this process: one lock per room, connections by id. */
public final class InProcessRoomBus implements RoomBus {
  private final Map<String, RoomState> rooms = new ConcurrentHashMap<>();
  private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();

  @Override
  public <T> T withRoom(String roomName, Function<RoomState, T> change) {
    Object[] result = new Object[1];
    // compute() holds the map's lock for the key: changes of one room never overlap
    rooms.compute(
        roomName,
        (k, state) -> {
          RoomState s = state == null ? new RoomState() : state;
          result[0] = change.apply(s);
          return s.isEmpty() ? null : s;
        });
    @SuppressWarnings("unchecked")
    T t = (T) result[0];
    return t;
  }

  @Override
  public Set<String> roomNames() {
    return Set.copyOf(rooms.keySet());
  }

  @Override
  public void attach(String connectionId, Endpoint endpoint) {
    endpoints.put(connectionId, endpoint);
  }

  @Override
  public void detach(String connectionId) {
    endpoints.remove(connectionId);
  }

  @Override
  public void deliver(String connectionId, String message) {
    Endpoint e = endpoints.get(connectionId);
    if (e != null) {
      e.send(message);
    }
  }

  @Override
  public void disconnect(String connectionId, int code, String reason) {
    Endpoint e = endpoints.get(connectionId);
    if (e != null) {
      e.close(code, reason);
    }
  }
}
