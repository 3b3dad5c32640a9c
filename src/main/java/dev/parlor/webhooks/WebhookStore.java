package dev.parlor.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;

/**
 * Endpoints, the outbox of events and their deliveries. {@link #stage} runs inside a caller's
 * transaction, so an event is stored with the change that caused it.
 */
public interface WebhookStore {

  void insertEndpoint(WebhookEndpoint e, String sealedSecret);

  /** Every endpoint of the organization, removed ones included, oldest first. */
  List<StoredEndpoint> endpoints(long organizationId);

  Optional<StoredEndpoint> endpoint(long endpointId);

  /** Endpoints not removed, of every organization. */
  List<StoredEndpoint> activeEndpoints();

  /** Marks it removed and cancels its pending deliveries; false if it was already removed. */
  boolean removeEndpoint(long endpointId, Instant at);

  /**
   * In {@code h}'s transaction: stores the event and a pending delivery, due now, for every
   * endpoint of its organization subscribed to its type. Returns how many deliveries; an event
   * nobody subscribes to is not kept.
   */
  int stage(Handle h, WebhookEvent event);

  /**
   * Claims up to {@code max} pending deliveries of the endpoint that are due at {@code now}: they
   * are leased until {@code leaseUntil} (another sender, in this process or another, skips them;
   * after a crash they are due again when the lease ends).
   */
  List<Delivery.Due> claimDue(long endpointId, Instant now, Instant leaseUntil, int max);

  /** The attempt succeeded. */
  void delivered(Delivery.Due d, Instant at, int statusCode);

  /**
   * The attempt failed: retried at {@code retryAt}, or final when that is empty. {@code statusCode}
   * is empty when there was no answer.
   */
  void attemptFailed(
      Delivery.Due d, Instant at, OptionalLong statusCode, String error, Optional<Instant> retryAt);

  /** Gives claimed deliveries back, due now (a sender stopping before it sent them). */
  void release(List<Delivery.Due> claimed, Instant now);

  /** The organization's most recent deliveries, newest first, optionally of one endpoint. */
  List<Delivery> deliveries(long organizationId, OptionalLong endpointId, int limit);

  /** Deliveries still pending, of every endpoint. */
  long pendingCount();

  /** Deletes finished deliveries, and events left with none, created before {@code cutoff}. */
  int purgeFinished(Instant cutoff);

  /** An endpoint row: its secret still sealed. */
  record StoredEndpoint(WebhookEndpoint endpoint, String sealedSecret) {}
}
