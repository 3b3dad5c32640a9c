package dev.parlor.orgs;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves a bearer key to its organization. Valid keys are cached for a short time so the hot path
 * does not query the database on every request; the cache time (500 ms) is what bounds how long a
 * key revoked by another process (the CLI, another node) keeps working.
 */
public final class ApiKeyAuthenticator {
  private static final long CACHE_NANOS = 500_000_000L;
  private static final int MAX_CACHED = 10_000;

  private final OrganizationStore store;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(Principal principal, long loadedAt) {}

  /** The authenticated caller. */
  public record Principal(
      long organizationId,
      String organizationName,
      java.util.OptionalLong pointsPerMinute,
      long keyId) {}

  public ApiKeyAuthenticator(OrganizationStore store) {
    this.store = store;
  }

  public Optional<Principal> authenticate(String presentedKey) {
    byte[] digest = ApiKeys.digest(presentedKey);
    String hash = HexFormat.of().formatHex(digest);
    long now = System.nanoTime();
    Cached c = cache.get(hash);
    if (c != null && now - c.loadedAt() < CACHE_NANOS) {
      return Optional.of(c.principal());
    }
    Optional<OrganizationStore.ActiveKey> found = store.findActiveKeyByHash(hash);
    if (found.isEmpty()
        || !MessageDigest.isEqual(HexFormat.of().parseHex(found.get().key().keyHash()), digest)) {
      cache.remove(hash);
      return Optional.empty();
    }
    Organization o = found.get().organization();
    Principal p = new Principal(o.id(), o.name(), o.pointsPerMinute(), found.get().key().id());
    if (cache.size() >= MAX_CACHED) {
      cache.clear();
    }
    cache.put(hash, new Cached(p, now));
    return Optional.of(p);
  }
}
