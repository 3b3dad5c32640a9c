package dev.parlor.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parlor.signaling.SignalingRoutes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A signaling client over a real WebSocket (java.net.http), for protocol tests. */
public final class SignalClient implements AutoCloseable {
  public static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final WebSocket ws;
  private final BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
  public final CompletableFuture<Integer> closed = new CompletableFuture<>();

  private SignalClient(String baseUrl) {
    String url = baseUrl.replaceFirst("^http", "ws") + SignalingRoutes.PATH;
    this.ws =
        HTTP.newWebSocketBuilder()
            .header("User-Agent", "SignalClient/1.0")
            .buildAsync(URI.create(url), new Listener())
            .join();
  }

  public static SignalClient connect(String baseUrl) {
    return new SignalClient(baseUrl);
  }

  /** Connects and joins; returns the client (read the answer with {@link #next}). */
  public static SignalClient join(String baseUrl, String room, String roomKey, String displayName) {
    SignalClient c = connect(baseUrl);
    ObjectNode m = MAPPER.createObjectNode().put("type", "join").put("room", room);
    if (roomKey != null) {
      m.put("roomKey", roomKey);
    }
    if (displayName != null) {
      m.put("displayName", displayName);
    }
    c.send(m);
    return c;
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder buf = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      buf.append(data);
      if (last) {
        try {
          inbox.add(MAPPER.readTree(buf.toString()));
        } catch (Exception e) {
          inbox.add(
              MAPPER.createObjectNode().put("type", "unparseable").put("raw", buf.toString()));
        }
        buf.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete(-1);
    }
  }

  public void sendRaw(String raw) {
    ws.sendText(raw, true).join();
  }

  public void send(JsonNode m) {
    sendRaw(m.toString());
  }

  /** Sends {@code {"type": type, k1: v1, ...}} (values: strings, booleans, numbers, JsonNode). */
  public void send(String type, Object... kv) {
    ObjectNode m = MAPPER.createObjectNode().put("type", type);
    for (int i = 0; i < kv.length; i += 2) {
      m.set((String) kv[i], MAPPER.valueToTree(kv[i + 1]));
    }
    send(m);
  }

  /** The next message, whatever it is. */
  public JsonNode next() {
    try {
      JsonNode m = inbox.poll(5, TimeUnit.SECONDS);
      assertThat(m).as("a message within 5 s").isNotNull();
      return m;
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The next message, which must be of {@code type}. */
  public JsonNode expect(String type) {
    JsonNode m = next();
    assertThat(m.path("type").asText()).as("message %s", m).isEqualTo(type);
    return m;
  }

  /** The next message, which must be an error with {@code code}. */
  public JsonNode expectError(String code) {
    JsonNode m = expect("error");
    assertThat(m.path("code").asText()).as("error %s", m).isEqualTo(code);
    return m;
  }

  /** Skips messages until one of {@code type}. */
  public JsonNode await(String type) {
    List<JsonNode> skipped = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      JsonNode m = next();
      if (m.path("type").asText().equals(type)) {
        return m;
      }
      skipped.add(m);
    }
    throw new AssertionError("no " + type + " among " + skipped);
  }

  /** Asserts nothing arrives for a while. */
  public void expectSilence(Duration d) {
    try {
      JsonNode m = inbox.poll(d.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(m).as("no message").isNull();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Asserts the server closes the connection. */
  public void expectClosed() {
    try {
      closed.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the server did not close the connection", e);
    }
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  @Override
  public void close() {
    if (!ws.isOutputClosed()) {
      try {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
      } catch (Exception e) {
        ws.abort();
      }
    }
  }
}
