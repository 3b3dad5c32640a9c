package dev.parlor.orgs;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Organizations and their API keys. */
public interface OrganizationStore {

  /** Inserts an organization; false when the name is taken. */
  boolean insert(Organization org);

  Optional<Organization> find(long id);

  Optional<Organization> findByName(String name);

  List<Organization> list();

  void insertKey(ApiKey key);

  List<ApiKey> listKeys(long organizationId);

  Optional<ApiKey> findKey(long keyId);

  /** The active (not revoked) key with this hash, with its organization. */
  Optional<ActiveKey> findActiveKeyByHash(String keyHash);

  /** Revokes a key; false when it does not exist or was already revoked. */
  boolean revokeKey(long keyId, Instant at);

  /** Makes a revoked key valid again; false when it does not exist or is not revoked. */
  boolean reinstateKey(long keyId);

  /** An active key and the organization it belongs to. */
  record ActiveKey(ApiKey key, Organization organization) {}
}
