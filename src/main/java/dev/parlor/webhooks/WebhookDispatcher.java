package dev.parlor.webhooks;

import dev.parlor.config.AppConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outbox. One loop claims due deliveries endpoint by endpoint, never more than an
 * endpoint's share of concurrent attempts, and each attempt runs on its own virtual thread: a slow
 * or dead endpoint holds only its own share, so it never delays another endpoint, and nothing here
 * ever runs on a request thread.
 *
 * <p>An attempt succeeds on any 2xx answer. A 5xx answer, a network error or no answer within the
 * timeout is retried with exponential backoff until the attempts run out; any other answer (3xx,
 * 4xx) is final. Redirects are not followed (they could point anywhere). Every attempt is signed
 * afresh with its own timestamp; the body and the event id stay the same.
 */
public final class WebhookDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
  private static final int MAX_RESPONSE_BYTES = 64 * 1024;
  private static final Duration MAX_BACKOFF = Duration.ofHours(6);
  static final Duration KEEP_FINISHED = Duration.ofDays(7);

  private final WebhookStore store;
  private final SecretBox secrets;
  private final UrlGuard guard;
  private final Clock clock;
  private final AppConfig.Webhooks settings;
  private final HttpClient http;
  private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<Long, Semaphore> permits = new ConcurrentHashMap<>();
  private final Set<Delivery.Due> inFlight = ConcurrentHashMap.newKeySet();
  private final Semaphore wake = new Semaphore(0);
  private final Counter delivered;
  private final Counter retried;
  private final Counter failed;
  private volatile boolean running;
  private Thread loop;
  private final WebhookOutbox outbox;
  private List<WebhookStore.StoredEndpoint> loaded;
  private List<Sendable> endpoints = List.of();
  private long purgedAt;

  private record Sendable(WebhookEndpoint endpoint, String secret) {}

  public WebhookDispatcher(
      WebhookStore store,
      WebhookOutbox outbox,
      byte[] serverSecret,
      UrlGuard guard,
      Clock clock,
      AppConfig.Webhooks settings,
      MeterRegistry registry) {
    this.store = store;
    this.outbox = outbox;
    this.secrets = new SecretBox(serverSecret);
    this.guard = guard;
    this.clock = clock;
    this.settings = settings;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.timeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .executor(senders)
            .build();
    this.delivered = counter(registry, "delivered");
    this.retried = counter(registry, "retry");
    this.failed = counter(registry, "failed");
    outbox.onStaged(this::wake);
  }

  private static Counter counter(MeterRegistry registry, String outcome) {
    return Counter.builder("parlor.webhook.attempts")
        .description("Webhook delivery attempts by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  public void start() {
    running = true;
    loop = Thread.ofPlatform().name("parlor-webhooks").daemon().start(this::run);
  }

  /** Something may be due: look now rather than at the next poll. */
  public void wake() {
    if (wake.availablePermits() == 0) {
      wake.release();
    }
  }

  private void run() {
    while (running) {
      try {
        dispatchDue();
        // Deliveries staged by another process (the CLI) or due after a backoff are found by
        // this poll; those of this process wake the loop at once.
        wake.tryAcquire(250, TimeUnit.MILLISECONDS);
        wake.drainPermits();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("webhook dispatch failed, retrying in a second: {}", e.toString());
        try {
          Thread.sleep(1_000);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /** One pass: claims and starts what is due, within every endpoint's share. */
  void dispatchDue() {
    Instant now = clock.instant();
    for (Sendable s : endpoints()) {
      Semaphore p =
          permits.computeIfAbsent(
              s.endpoint().id(), id -> new Semaphore(settings.concurrencyPerEndpoint()));
      int free = p.availablePermits();
      if (free == 0 || !running) {
        continue;
      }
      Instant lease = now.plus(settings.timeout()).plusSeconds(30);
      List<Delivery.Due> due = store.claimDue(s.endpoint().id(), now, lease, free);
      for (Delivery.Due d : due) {
        p.acquireUninterruptibly();
        inFlight.add(d);
        senders.execute(
            () -> {
              try {
                attempt(s, d);
              } finally {
                inFlight.remove(d);
                p.release();
                wake();
              }
            });
      }
    }
    if (now.toEpochMilli() - purgedAt > 3_600_000) {
      purgedAt = now.toEpochMilli();
      int n = store.purgeFinished(now.minus(KEEP_FINISHED));
      if (n > 0) {
        log.info("Removed {} webhook deliveries finished over {} ago", n, KEEP_FINISHED);
      }
    }
  }

  /** The outbox's cached endpoints, with their secrets opened (once per endpoint). */
  private List<Sendable> endpoints() {
    List<WebhookStore.StoredEndpoint> current = outbox.activeEndpoints();
    if (current == loaded) {
      return endpoints;
    }
    Map<Long, Sendable> previous = new HashMap<>();
    endpoints.forEach(s -> previous.put(s.endpoint().id(), s));
    List<Sendable> fresh = new ArrayList<>();
    for (WebhookStore.StoredEndpoint e : current) {
      Sendable known = previous.get(e.endpoint().id());
      if (known != null) {
        fresh.add(known);
        continue;
      }
      try {
        fresh.add(new Sendable(e.endpoint(), secrets.open(e.sealedSecret())));
      } catch (IllegalStateException ex) {
        log.warn("Webhook endpoint {} is skipped: {}", e.endpoint().id(), ex.getMessage());
      }
    }
    // a removed endpoint's share goes once its last attempt is done
    Set<Long> active = new java.util.HashSet<>();
    fresh.forEach(x -> active.add(x.endpoint().id()));
    permits
        .entrySet()
        .removeIf(
            e ->
                !active.contains(e.getKey())
                    && e.getValue().availablePermits() == settings.concurrencyPerEndpoint());
    endpoints = List.copyOf(fresh);
    loaded = current;
    return endpoints;
  }

  private void attempt(Sendable s, Delivery.Due d) {
    Instant started = clock.instant();
    URI uri = URI.create(s.endpoint().url());
    try {
      guard.checkHost(uri.getHost());
    } catch (UrlGuard.Refused e) {
      fail(d, OptionalLong.empty(), "refused: " + e.getMessage(), false);
      return;
    }
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(settings.timeout())
            .header("Content-Type", "application/json")
            .header("User-Agent", "Parlor-Webhooks/1")
            .header(
                WebhookSignature.HEADER,
                WebhookSignature.header(s.secret(), started.getEpochSecond(), d.body()))
            .POST(HttpRequest.BodyPublishers.ofString(d.body()))
            .build();
    int status;
    try {
      HttpResponse<InputStream> response =
          http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      status = response.statusCode();
      try (InputStream body = response.body()) {
        // read a little, so the connection can be reused, but never an endless answer
        body.readNBytes(MAX_RESPONSE_BYTES);
      } catch (IOException e) {
        // the answer's status is what counts
      }
    } catch (HttpTimeoutException e) {
      fail(d, OptionalLong.empty(), "no answer within " + settings.timeout(), true);
      return;
    } catch (IOException e) {
      fail(d, OptionalLong.empty(), "network error: " + describe(e), true);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (status >= 200 && status < 300) {
      store.delivered(d, clock.instant(), status);
      delivered.increment();
    } else {
      fail(d, OptionalLong.of(status), "HTTP " + status, status >= 500);
    }
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  private void fail(Delivery.Due d, OptionalLong status, String error, boolean retryable) {
    Instant now = clock.instant();
    int attempts = d.attempts() + 1;
    Optional<Instant> retryAt =
        retryable && attempts < settings.maxAttempts()
            ? Optional.of(now.plus(backoff(settings.retryBase(), attempts)))
            : Optional.empty();
    store.attemptFailed(d, now, status, error, retryAt);
    if (retryAt.isPresent()) {
      retried.increment();
    } else {
      failed.increment();
    }
  }

  /** The wait after the n-th failed attempt: base * 2^(n-1), plus up to 10% jitter. */
  static Duration backoff(Duration base, int attempts) {
    long ms = base.toMillis() << Math.min(attempts - 1, 30);
    ms = Math.min(ms, MAX_BACKOFF.toMillis());
    return Duration.ofMillis(ms + ThreadLocalRandom.current().nextLong(ms / 10 + 1));
  }

  /** Attempts running now (for tests and metrics). */
  public int inFlight() {
    return inFlight.size();
  }

  @Override
  public void close() {
    running = false;
    if (loop != null) {
      loop.interrupt();
      try {
        loop.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // Attempts under way get a moment to finish; the rest are given back, due at once, so the
    // next start sends them without waiting for their lease.
    senders.shutdown();
    try {
      senders.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Delivery.Due> unfinished = List.copyOf(inFlight);
    senders.shutdownNow();
    try {
      store.release(unfinished, clock.instant());
    } catch (RuntimeException e) {
      log.warn("Could not give back {} webhook deliveries: {}", unfinished.size(), e.toString());
    }
    http.close();
  }
}
