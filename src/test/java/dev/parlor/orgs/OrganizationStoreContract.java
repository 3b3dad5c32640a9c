package dev.parlor.orgs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parlor.db.Database;
import dev.parlor.orgs.OrganizationStore.ActiveKey;
import dev.parlor.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link OrganizationStore} must do, whatever the database. Subclasses name the database
 * (see {@link SqlOrganizationStoreTest}); each test gets a new, empty one.
 */
public abstract class OrganizationStoreContract {
  static final Instant NOW = Instant.parse("2030-01-02T03:04:05.678Z");

  private String url;
  private Database db;
  protected OrganizationStore store;
  private final AtomicLong ids = new AtomicLong(100);

  /** A JDBC URL of a new, empty database. */
  protected abstract String newDatabaseUrl();

  /** The store under test; the SQL one unless a subclass says otherwise. */
  protected OrganizationStore createStore(Database database) {
    return new SqlOrganizationStore(database.jdbi());
  }

  @BeforeEach
  void openStore() {
    url = newDatabaseUrl();
    db = Database.open(url, 4);
    store = createStore(db);
  }

  @AfterEach
  void closeStore() {
    if (db != null) {
      db.close();
    }
    TestDatabases.release(url);
  }

  protected Organization org(String name, OptionalLong ppm) {
    return new Organization(ids.incrementAndGet(), name, ppm, NOW);
  }

  protected ApiKey key(long orgId, String hash) {
    return new ApiKey(
        ids.incrementAndGet(),
        orgId,
        hash,
        "label of " + hash,
        ApiKey.Source.CLI,
        NOW.plusSeconds(1),
        Optional.empty());
  }

  private Organization inserted(String name) {
    Organization o = org(name, OptionalLong.of(Plan.BUILD));
    assertThat(store.insert(o)).isTrue();
    return o;
  }

  @Test
  void anInsertedOrganizationIsFoundByIdAndByName() {
    Organization o = org("acme", OptionalLong.of(Plan.GROW));

    assertThat(store.insert(o)).isTrue();

    assertThat(store.find(o.id())).contains(o);
    assertThat(store.findByName("acme")).contains(o);
  }

  @Test
  void insertReturnsFalseWhenTheNameIsTakenAndKeepsTheFirstOrganization() {
    Organization first = inserted("acme");
    Organization second = org("acme", OptionalLong.empty());

    assertThat(store.insert(second)).isFalse();

    assertThat(store.find(second.id())).isEmpty();
    assertThat(store.findByName("acme")).contains(first);
    assertThat(store.list()).containsExactly(first);
  }

  @Test
  void concurrentInsertsOfOneNameLetExactlyOneWin() throws Exception {
    int n = 8;
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Boolean>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        Organization o = org("contested", OptionalLong.empty());
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return store.insert(o);
                }));
      }
      go.countDown();
    }
    int won = 0;
    for (Future<Boolean> f : results) {
      won += f.get() ? 1 : 0;
    }
    assertThat(won).isEqualTo(1);
    assertThat(store.list()).hasSize(1);
  }

  @Test
  void unknownOrganizationsAreNotFound() {
    inserted("acme");

    assertThat(store.find(999_999)).isEmpty();
    assertThat(store.findByName("nobody")).isEmpty();
    assertThat(store.findByName("ACME")).isEmpty();
  }

  @Test
  void listReturnsEveryOrganizationInIdOrder() {
    Organization c = new Organization(30, "c", OptionalLong.of(5), NOW);
    Organization a = new Organization(10, "a", OptionalLong.empty(), NOW);
    Organization b = new Organization(20, "b", OptionalLong.of(Plan.GROW), NOW);
    for (Organization o : List.of(c, a, b)) {
      assertThat(store.insert(o)).isTrue();
    }

    assertThat(store.list()).containsExactly(a, b, c);
  }

  @Test
  void theUnlimitedPlanRoundTripsAsNull() {
    Organization unlimited = org("unlimited", OptionalLong.empty());
    Organization limited = org("limited", OptionalLong.of(7));
    store.insert(unlimited);
    store.insert(limited);

    assertThat(store.find(unlimited.id()).orElseThrow().pointsPerMinute()).isEmpty();
    assertThat(store.find(limited.id()).orElseThrow().pointsPerMinute()).hasValue(7);
    List<Long> nullIds =
        db.jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT id FROM organizations WHERE points_per_minute IS NULL")
                        .mapTo(Long.class)
                        .list());
    assertThat(nullIds).containsExactly(unlimited.id());
  }

  @Test
  void insertedKeysAreListedInIdOrderAndFoundById() {
    Organization o = inserted("acme");
    ApiKey second =
        new ApiKey(60, o.id(), "b".repeat(64), null, ApiKey.Source.ENV, NOW, Optional.empty());
    ApiKey first =
        new ApiKey(
            50, o.id(), "a".repeat(64), "first", ApiKey.Source.BOOTSTRAP, NOW, Optional.empty());
    store.insertKey(second);
    store.insertKey(first);

    assertThat(store.listKeys(o.id())).containsExactly(first, second);
    assertThat(store.findKey(60)).contains(second);
    assertThat(store.findKey(50)).contains(first);
    assertThat(store.findKey(70)).isEmpty();
  }

  @Test
  void listKeysShowsOnlyTheOrganizationsOwnKeys() {
    Organization a = inserted("a");
    Organization b = inserted("b");
    ApiKey ofA = key(a.id(), "a".repeat(64));
    ApiKey ofB = key(b.id(), "b".repeat(64));
    store.insertKey(ofA);
    store.insertKey(ofB);

    assertThat(store.listKeys(a.id())).containsExactly(ofA);
    assertThat(store.listKeys(b.id())).containsExactly(ofB);
    assertThat(store.listKeys(999_999)).isEmpty();
  }

  @Test
  void findActiveKeyByHashReturnsTheKeyWithItsOrganization() {
    Organization a = inserted("a");
    Organization b = org("b", OptionalLong.empty());
    store.insert(b);
    ApiKey ofA = key(a.id(), ApiKeys.hash("key-of-a"));
    ApiKey ofB = key(b.id(), ApiKeys.hash("key-of-b"));
    store.insertKey(ofA);
    store.insertKey(ofB);

    assertThat(store.findActiveKeyByHash(ofA.keyHash())).contains(new ActiveKey(ofA, a));
    assertThat(store.findActiveKeyByHash(ofB.keyHash())).contains(new ActiveKey(ofB, b));
    assertThat(store.findActiveKeyByHash(ApiKeys.hash("unknown"))).isEmpty();
  }

  @Test
  void findActiveKeyByHashIgnoresRevokedKeys() {
    Organization o = inserted("acme");
    ApiKey revoked = key(o.id(), ApiKeys.hash("old"));
    ApiKey active = key(o.id(), ApiKeys.hash("new"));
    store.insertKey(revoked);
    store.insertKey(active);

    store.revokeKey(revoked.id(), NOW.plusSeconds(60));

    assertThat(store.findActiveKeyByHash(revoked.keyHash())).isEmpty();
    assertThat(store.findActiveKeyByHash(active.keyHash()).map(ActiveKey::key)).contains(active);
  }

  @Test
  void revokeKeyReturnsTrueOnceThenFalseAndKeepsTheFirstRevocationTime() {
    Organization o = inserted("acme");
    ApiKey k = key(o.id(), ApiKeys.hash("k"));
    store.insertKey(k);
    Instant at = NOW.plus(Duration.ofMinutes(3));

    assertThat(store.revokeKey(k.id(), at)).isTrue();
    assertThat(store.revokeKey(k.id(), at.plusSeconds(10))).isFalse();

    assertThat(store.findKey(k.id()).orElseThrow().revokedAt()).contains(at);
    assertThat(store.listKeys(o.id()))
        .extracting(ApiKey::revokedAt)
        .containsExactly(Optional.of(at));
  }

  @Test
  void revokeKeyReturnsFalseForAnUnknownKey() {
    assertThat(store.revokeKey(123_456, NOW)).isFalse();
  }
}
