package dev.parlor.webhooks;

import dev.parlor.http.IsoDates;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One event in the outbox: its envelope serialized once, at creation, so every attempt sends (and
 * signs) the same bytes with the same {@code id}.
 */
public record WebhookEvent(
    String id, long organizationId, EventType type, Instant createdAt, String body) {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A new event with a fresh 64-hex-character id and the hosted service's envelope. */
  public static WebhookEvent create(
      long organizationId, EventType type, Instant createdAt, Map<String, Object> data) {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String id = HexFormat.of().formatHex(raw);
    Map<String, Object> envelope = new LinkedHashMap<>();
    envelope.put("id", id);
    envelope.put("apiVersion", "1.0");
    envelope.put("createdAt", IsoDates.millis(createdAt));
    envelope.put("type", type.wire());
    envelope.put("data", data);
    return new WebhookEvent(id, organizationId, type, createdAt, StringifyJson.write(envelope));
  }
}
