package dev.parlor.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * A real HTTP server receiving webhooks on 127.0.0.1: it records every request (headers and raw
 * body) and answers as told — a status per request number, optionally after a delay.
 */
public final class WebhookReceiver implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** One request as received. */
  public record Received(
      Instant at, String method, String path, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().getFirst();
        }
      }
      return null;
    }

    public JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public String type() {
      return json().path("type").asText();
    }
  }

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger count = new AtomicInteger();
  private volatile IntFunction<Integer> status = n -> 200;
  private volatile Duration delay = Duration.ZERO;

  private WebhookReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/",
        ex -> {
          int n = count.incrementAndGet();
          String body;
          try (InputStream in = ex.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          }
          received.add(
              new Received(
                  Instant.now(),
                  ex.getRequestMethod(),
                  ex.getRequestURI().getPath(),
                  Map.copyOf(ex.getRequestHeaders()),
                  body));
          Duration d = delay;
          if (!d.isZero()) {
            try {
              Thread.sleep(d);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          int s = status.apply(n);
          ex.sendResponseHeaders(s, -1);
          ex.close();
        });
    server.start();
  }

  public static WebhookReceiver start() {
    return new WebhookReceiver();
  }

  /** The URL to register, with a path. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Answers request number n (from 1) with {@code status.apply(n)}. */
  public WebhookReceiver answer(IntFunction<Integer> status) {
    this.status = status;
    return this;
  }

  /** Waits this long before answering each request. */
  public WebhookReceiver delay(Duration d) {
    this.delay = d;
    return this;
  }

  public List<Received> received() {
    return new ArrayList<>(received);
  }

  public List<Received> received(String path) {
    return received().stream().filter(r -> r.path().equals(path)).toList();
  }

  /** Waits until some received request matches, and returns it. */
  public Received await(Predicate<Received> p, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      for (Received r : received) {
        if (p.test(r)) {
          return r;
        }
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("no matching webhook within " + timeout + "; received " + received);
  }

  /** Waits until at least {@code n} requests matching arrived, and returns them all. */
  public List<Received> awaitCount(Predicate<Received> p, int n, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<Received> matching = received.stream().filter(p).toList();
      if (matching.size() >= n) {
        return matching;
      }
      if (System.nanoTime() > end) {
        throw new AssertionError(
            "only " + matching.size() + " of " + n + " webhooks within " + timeout);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  public static Predicate<Received> ofType(String type) {
    return r -> type.equals(r.type());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
