package dev.parlor.webhooks;

import dev.parlor.db.IdAllocator;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** Managing an organization's endpoints and reading their deliveries (what the CLI does). */
public final class WebhookService {
  private static final SecureRandom RANDOM = new SecureRandom();
  public static final int MAX_URL = 2048;

  private final WebhookStore store;
  private final IdAllocator ids;
  private final SecretBox secrets;
  private final UrlGuard guard;
  private final Clock clock;

  public WebhookService(
      WebhookStore store, IdAllocator ids, byte[] serverSecret, UrlGuard guard, Clock clock) {
    this.store = store;
    this.ids = ids;
    this.secrets = new SecretBox(serverSecret);
    this.guard = guard;
    this.clock = clock;
  }

  /** A new endpoint and its signing secret (shown once, by the command that made it). */
  public record Added(WebhookEndpoint endpoint, String secret) {
    @Override
    public String toString() {
      return "Added[" + endpoint + "]";
    }
  }

  /**
   * Adds an endpoint.
   *
   * @param secret the signing secret, or empty to generate one
   * @throws IllegalArgumentException for a refused URL, an unknown event type or a short secret
   */
  public Added add(
      long organizationId, String url, List<String> eventTypes, Optional<String> secret) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("a URL is required");
    }
    if (url.length() > MAX_URL) {
      throw new IllegalArgumentException("the URL is longer than " + MAX_URL + " characters");
    }
    String checked = guard.check(url).toString();
    Set<EventType> events = parseEvents(eventTypes);
    String s = secret.map(String::trim).orElseGet(WebhookService::generateSecret);
    if (s.length() < 16 || s.length() > 200) {
      throw new IllegalArgumentException("a signing secret is 16 to 200 characters long");
    }
    WebhookEndpoint e =
        new WebhookEndpoint(
            ids.next("webhook_endpoint"),
            organizationId,
            checked,
            Set.copyOf(events),
            clock.instant(),
            Optional.empty());
    store.insertEndpoint(e, secrets.seal(s));
    return new Added(e, s);
  }

  static Set<EventType> parseEvents(List<String> eventTypes) {
    Set<EventType> events = EnumSet.noneOf(EventType.class);
    for (String raw : eventTypes) {
      String t = raw.trim();
      if (t.isEmpty()) {
        continue;
      }
      events.add(
          EventType.fromWire(t)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "unknown event type '"
                              + t
                              + "'; known: "
                              + String.join(
                                  ", ",
                                  java.util.Arrays.stream(EventType.values())
                                      .map(EventType::wire)
                                      .toList()))));
    }
    if (events.isEmpty()) {
      throw new IllegalArgumentException("at least one event type is required");
    }
    return events;
  }

  private static String generateSecret() {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  public List<WebhookEndpoint> list(long organizationId) {
    return store.endpoints(organizationId).stream()
        .map(WebhookStore.StoredEndpoint::endpoint)
        .toList();
  }

  public Optional<WebhookEndpoint> find(long endpointId) {
    return store.endpoint(endpointId).map(WebhookStore.StoredEndpoint::endpoint);
  }

  /** Removes an endpoint; its pending deliveries are cancelled. False if unknown or removed. */
  public boolean remove(long endpointId) {
    return store.removeEndpoint(endpointId, clock.instant());
  }

  public List<Delivery> deliveries(long organizationId, OptionalLong endpointId, int limit) {
    return store.deliveries(organizationId, endpointId, Math.max(1, Math.min(limit, 1000)));
  }

  public long pendingCount() {
    return store.pendingCount();
  }
}
