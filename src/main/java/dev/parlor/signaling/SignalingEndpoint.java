package dev.parlor.signaling;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection: hands its text messages to {@link SignalingService} and sends what the
 * room delivers to it from a queue of its own, so a slow browser never holds up a room. A
 * connection whose queue overflows is closed.
 */
final class SignalingEndpoint implements WsListener, RoomBus.Endpoint {
  private static final Logger log = LoggerFactory.getLogger(SignalingEndpoint.class);
  static final int QUEUE_LIMIT = 1000;

  private record Close(int code, String reason) {}

  private final SignalingService service;
  private final BlockingQueue<Object> outbox = new LinkedBlockingQueue<>(QUEUE_LIMIT);
  private final StringBuilder partial = new StringBuilder();
  private volatile String userAgent = "";
  private volatile Session session;
  private volatile WsSession ws;
  private volatile boolean closing;
  private boolean discarding;

  SignalingEndpoint(SignalingService service) {
    this.service = service;
  }

  @Override
  public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
    userAgent = headers.first(HeaderNames.USER_AGENT).orElse("");
    if (userAgent.length() > 512) {
      userAgent = userAgent.substring(0, 512);
    }
    return Optional.empty();
  }

  @Override
  public void onOpen(WsSession ws) {
    this.ws = ws;
    this.session = service.open(userAgent, this);
    Thread.ofVirtual().name("signal-out-" + session.connectionId()).start(this::drain);
    Session s = session;
    JOIN_TIMER.schedule(
        () -> {
          if (s.roomName == null && !s.closed) {
            send(Messages.error("join_timeout", "No join within 30 seconds").toString());
            close(SignalingService.CLOSE_POLICY, "join_timeout");
          }
        },
        service.joinTimeout().toMillis(),
        java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private static final java.util.concurrent.ScheduledExecutorService JOIN_TIMER =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "signal-join-timeout");
            t.setDaemon(true);
            return t;
          });

  @Override
  public void onMessage(WsSession ws, String text, boolean last) {
    if (discarding || partial.length() + text.length() > SignalingService.MAX_MESSAGE_CHARS) {
      // too large: answer once, drop the rest of this message, keep the connection
      if (!discarding) {
        send(
            Messages.error("message_too_large", "Messages are at most 262144 characters")
                .toString());
      }
      partial.setLength(0);
      discarding = !last;
      return;
    }
    partial.append(text);
    if (!last) {
      return;
    }
    String message = partial.toString();
    partial.setLength(0);
    service.onMessage(session, message);
  }

  @Override
  public void onClose(WsSession ws, int status, String reason) {
    finish();
  }

  @Override
  public void onError(WsSession ws, Throwable t) {
    log.debug("signaling connection error: {}", t.toString());
    finish();
  }

  private void finish() {
    Session s = session;
    if (s != null) {
      service.onClose(s); // leaves the room and detaches; idempotent
    }
    closing = true;
    outbox.clear();
    outbox.offer(new Close(-1, ""));
  }

  @Override
  public void send(String message) {
    if (closing) {
      return;
    }
    if (!outbox.offer(message)) {
      log.info("signaling connection too slow, closing it");
      outbox.clear();
      close(SignalingService.CLOSE_POLICY, "too_slow");
    }
  }

  @Override
  public void close(int code, String reason) {
    if (closing) {
      return;
    }
    closing = true;
    if (!outbox.offer(new Close(code, reason))) {
      outbox.clear();
      outbox.offer(new Close(code, reason));
    }
  }

  private void drain() {
    try {
      while (true) {
        Object next = outbox.take();
        if (next instanceof Close c) {
          if (c.code() > 0) {
            try {
              ws.close(c.code(), c.reason());
            } catch (RuntimeException e) {
              ws.terminate();
            }
          }
          return;
        }
        ws.send((String) next, true);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.debug("signaling send failed: {}", e.toString());
      try {
        ws.terminate();
      } catch (RuntimeException ignored) {
        // already gone
      }
    }
  }
}
