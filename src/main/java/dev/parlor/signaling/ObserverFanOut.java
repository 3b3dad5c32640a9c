package dev.parlor.signaling;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes every observation to each observer in turn. It never throws: an observer's failure is
 * logged and the others are still told, so the signaling can call it anywhere, inside a room's lock
 * included.
 */
final class ObserverFanOut implements RoomObserver {
  private static final Logger log = LoggerFactory.getLogger(ObserverFanOut.class);
  private final List<RoomObserver> observers = new CopyOnWriteArrayList<>();

  void add(RoomObserver o) {
    observers.add(o);
  }

  @Override
  public void connected(Participant p, java.util.Map<String, Integer> present, Instant t) {
    for (RoomObserver o : observers) {
      safely(() -> o.connected(p, present, t));
    }
  }

  @Override
  public void disconnected(Participant p, java.util.Map<String, Integer> present, Instant t) {
    for (RoomObserver o : observers) {
      safely(() -> o.disconnected(p, present, t));
    }
  }

  @Override
  public void sample(
      String connectionId,
      double lossSend,
      double lossRecv,
      double sendBps,
      double recvBps,
      Instant t) {
    for (RoomObserver o : observers) {
      safely(() -> o.sample(connectionId, lossSend, lossRecv, sendBps, recvBps, t));
    }
  }

  @Override
  public void mediaEvent(String connectionId, String type, Instant t) {
    for (RoomObserver o : observers) {
      safely(() -> o.mediaEvent(connectionId, type, t));
    }
  }

  @Override
  public void knocked(Knocker k, Instant t) {
    for (RoomObserver o : observers) {
      safely(() -> o.knocked(k, t));
    }
  }

  @Override
  public void knockCancelled(Knocker k, Instant t) {
    for (RoomObserver o : observers) {
      safely(() -> o.knockCancelled(k, t));
    }
  }

  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      log.warn("room observer failed: {}", e.toString());
    }
  }
}
