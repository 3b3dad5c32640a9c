package dev.parlor.orgs;

import java.time.Instant;
import java.util.Optional;

/** An API key's record; the key itself is never kept, only its hash. */
public record ApiKey(
    long id,
    long organizationId,
    String keyHash,
    String label,
    Source source,
    Instant createdAt,
    Optional<Instant> revokedAt) {

  /** Where a key came from: the CLI, the first start, or {@code PARLOR_API_KEY}. */
  public enum Source {
    CLI,
    BOOTSTRAP,
    ENV
  }
}
