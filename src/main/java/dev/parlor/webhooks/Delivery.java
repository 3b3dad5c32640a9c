package dev.parlor.webhooks;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/** One event's delivery to one endpoint, as recorded. */
public record Delivery(
    String eventId,
    long endpointId,
    long organizationId,
    String eventType,
    Status status,
    int attempts,
    Instant createdAt,
    Instant nextAttemptAt,
    Optional<Instant> lastAttemptAt,
    OptionalInt lastStatusCode,
    Optional<String> lastError,
    Optional<Instant> deliveredAt) {

  public enum Status {
    PENDING,
    DELIVERED,
    FAILED,
    CANCELLED;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Status fromWire(String s) {
      return valueOf(s.toUpperCase(java.util.Locale.ROOT));
    }
  }

  /** A delivery claimed for an attempt: what the sender needs. */
  public record Due(String eventId, long endpointId, int attempts, String body) {}
}
