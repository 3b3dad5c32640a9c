package dev.parlor.webhooks;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Where an organization wants some of its events sent. Its signing secret is kept apart (sealed,
 * see {@link SecretBox}) so that printing an endpoint can never print it.
 */
public record WebhookEndpoint(
    long id,
    long organizationId,
    String url,
    Set<EventType> events,
    Instant createdAt,
    Optional<Instant> removedAt) {

  public boolean subscribes(EventType t) {
    return removedAt.isEmpty() && events.contains(t);
  }
}
