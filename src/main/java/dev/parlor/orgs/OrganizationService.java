package dev.parlor.orgs;

import dev.parlor.db.IdAllocator;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Creating organizations and managing their keys: what the CLI and the first start do. */
public final class OrganizationService {
  public static final String DEFAULT_ORG = "default";

  private final OrganizationStore store;
  private final IdAllocator ids;
  private final Clock clock;

  public OrganizationService(OrganizationStore store, IdAllocator ids, Clock clock) {
    this.store = store;
    this.ids = ids;
    this.clock = clock;
  }

  /** An organization just created, with its first key in plain text (shown once). */
  public record Created(Organization organization, ApiKey key, String apiKey) {}

  /** A key just created, in plain text (shown once). */
  public record NewKey(ApiKey key, String apiKey) {}

  public Created create(String name, OptionalLong pointsPerMinute) {
    String n = name == null ? "" : name.trim();
    if (n.isEmpty() || n.length() > 200) {
      throw new IllegalArgumentException("name must be 1 to 200 characters");
    }
    Organization org =
        new Organization(ids.next("organization"), n, pointsPerMinute, clock.instant());
    if (!store.insert(org)) {
      throw new IllegalArgumentException("an organization named '" + n + "' already exists");
    }
    NewKey k = createKey(org.id(), "first key", ApiKey.Source.CLI);
    return new Created(org, k.key(), k.apiKey());
  }

  public NewKey createKey(long organizationId, String label, ApiKey.Source source) {
    if (store.find(organizationId).isEmpty()) {
      throw new IllegalArgumentException("no organization with id " + organizationId);
    }
    String plain = ApiKeys.generate();
    ApiKey key = newKeyRecord(organizationId, ApiKeys.hash(plain), label, source);
    store.insertKey(key);
    return new NewKey(key, plain);
  }

  private ApiKey newKeyRecord(long orgId, String hash, String label, ApiKey.Source source) {
    return new ApiKey(
        ids.next("api_key"), orgId, hash, label, source, clock.instant(), Optional.empty());
  }

  public List<Organization> list() {
    return store.list();
  }

  public Optional<Organization> find(long id) {
    return store.find(id);
  }

  public List<ApiKey> keys(long organizationId) {
    if (store.find(organizationId).isEmpty()) {
      throw new IllegalArgumentException("no organization with id " + organizationId);
    }
    return store.listKeys(organizationId);
  }

  public boolean revoke(long keyId) {
    if (store.findKey(keyId).isEmpty()) {
      throw new IllegalArgumentException("no API key with id " + keyId);
    }
    return store.revokeKey(keyId, clock.instant());
  }

  /**
   * Makes sure the {@code default} organization exists (on the grow plan) and, when {@code envKey}
   * is given, that it is a valid key of it; earlier {@code PARLOR_API_KEY} values are revoked.
   * Returns the plain key when a new organization was created with a generated key.
   */
  public Optional<Created> bootstrap(Optional<String> envKey) {
    Optional<Organization> existing = store.findByName(DEFAULT_ORG);
    Optional<Created> created = Optional.empty();
    Organization org;
    if (existing.isPresent()) {
      org = existing.get();
    } else if (store.list().isEmpty()) {
      org =
          new Organization(
              ids.next("organization"), DEFAULT_ORG, OptionalLong.of(Plan.GROW), clock.instant());
      if (!store.insert(org)) {
        org = store.findByName(DEFAULT_ORG).orElseThrow();
      } else if (envKey.isEmpty()) {
        NewKey k = createKey(org.id(), "created on first start", ApiKey.Source.BOOTSTRAP);
        created = Optional.of(new Created(org, k.key(), k.apiKey()));
      }
    } else if (envKey.isPresent()) {
      org =
          new Organization(
              ids.next("organization"), DEFAULT_ORG, OptionalLong.of(Plan.GROW), clock.instant());
      if (!store.insert(org)) {
        org = store.findByName(DEFAULT_ORG).orElseThrow();
      }
    } else {
      return Optional.empty();
    }
    if (envKey.isPresent()) {
      ensureEnvKey(org.id(), envKey.get());
    }
    return created;
  }

  private void ensureEnvKey(long orgId, String plain) {
    String hash = ApiKeys.hash(plain);
    boolean present = false;
    for (ApiKey k : store.listKeys(orgId)) {
      if (k.keyHash().equals(hash)) {
        // Also when it was revoked, by `key revoke` or by an earlier change of PARLOR_API_KEY:
        // the variable's value is a valid key on every start. Hashes are unique, so this is the
        // only way it can be valid again.
        present = true;
        if (k.revokedAt().isPresent()) {
          store.reinstateKey(k.id());
        }
      } else if (k.source() == ApiKey.Source.ENV && k.revokedAt().isEmpty()) {
        store.revokeKey(k.id(), clock.instant());
      }
    }
    if (!present) {
      try {
        store.insertKey(newKeyRecord(orgId, hash, "PARLOR_API_KEY", ApiKey.Source.ENV));
      } catch (RuntimeException e) {
        if (!dev.parlor.db.SqlErrors.isUniqueViolation(e)) {
          throw e;
        }
        // Never pass the database's message on: it would carry the key's hash.
        throw new IllegalArgumentException(
            "PARLOR_API_KEY is already a key of another organization; choose another value");
      }
    }
  }
}
