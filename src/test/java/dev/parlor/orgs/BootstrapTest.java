package dev.parlor.orgs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parlor.db.Database;
import dev.parlor.db.IdAllocator;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OrganizationService#bootstrap}: what {@code serve} does to the database on each start. */
class BootstrapTest {
  private static final String ENV_KEY = "env-key-0123456789";

  @TempDir Path dir;
  Database db;
  SqlOrganizationStore store;
  OrganizationService service;

  @BeforeEach
  void open() {
    db = Database.open("jdbc:sqlite:" + dir.resolve("parlor.db"), 2);
    store = new SqlOrganizationStore(db.jdbi());
    service = new OrganizationService(store, new IdAllocator(db.jdbi(), 1), Clock.systemUTC());
  }

  @AfterEach
  void close() {
    db.close();
  }

  boolean valid(String key) {
    return store.findActiveKeyByHash(ApiKeys.hash(key)).isPresent();
  }

  @Test
  void anEmptyDatabaseGetsTheDefaultOrganizationOnGrowWithAGeneratedKeyOnce() {
    Optional<OrganizationService.Created> first = service.bootstrap(Optional.empty());

    assertThat(first).isPresent();
    assertThat(first.get().organization().name()).isEqualTo("default");
    assertThat(first.get().organization().pointsPerMinute()).isEqualTo(OptionalLong.of(1000));
    assertThat(valid(first.get().apiKey())).isTrue();
    assertThat(service.bootstrap(Optional.empty())).isEmpty();
    assertThat(service.list()).hasSize(1);
  }

  @Test
  void anEnvironmentKeyThatIsAnotherOrganizationsKeyIsRefusedWithoutItsHash() {
    service.bootstrap(Optional.empty());
    OrganizationService.Created other = service.create("other", OptionalLong.of(100));

    assertThatThrownBy(() -> service.bootstrap(Optional.of(other.apiKey())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PARLOR_API_KEY")
        .hasMessageNotContaining(ApiKeys.hash(other.apiKey()));
    assertThat(valid(other.apiKey())).isTrue();
  }

  @Test
  void theEnvironmentKeyIsValidAgainOnTheNextStartAfterItWasRevoked() {
    service.bootstrap(Optional.of(ENV_KEY));
    long keyId = store.findActiveKeyByHash(ApiKeys.hash(ENV_KEY)).orElseThrow().key().id();
    service.revoke(keyId);
    assertThat(valid(ENV_KEY)).isFalse();

    service.bootstrap(Optional.of(ENV_KEY));

    assertThat(valid(ENV_KEY)).isTrue();
  }

  @Test
  void theGeneratedKeyMayBeUsedAsTheEnvironmentKeyLater() {
    String generated = service.bootstrap(Optional.empty()).orElseThrow().apiKey();

    service.bootstrap(Optional.of(generated));

    assertThat(valid(generated)).isTrue();
    assertThat(service.keys(service.list().get(0).id())).hasSize(1);
  }

  @Test
  void changingTheEnvironmentKeyRevokesOnlyThePreviousEnvironmentKey() {
    String generated = service.bootstrap(Optional.empty()).orElseThrow().apiKey();
    service.bootstrap(Optional.of(ENV_KEY));

    service.bootstrap(Optional.of(ENV_KEY + "-changed"));

    assertThat(valid(ENV_KEY)).isFalse();
    assertThat(valid(ENV_KEY + "-changed")).isTrue();
    assertThat(valid(generated)).as("a key made another way is left alone").isTrue();
  }

  @Test
  void aDatabaseWithOtherOrganizationsGetsADefaultOneOnlyForAnEnvironmentKey() {
    service.create("acme", OptionalLong.empty());

    assertThat(service.bootstrap(Optional.empty())).isEmpty();
    assertThat(service.list()).extracting(Organization::name).containsExactly("acme");

    service.bootstrap(Optional.of(ENV_KEY));
    assertThat(service.list()).extracting(Organization::name).containsExactly("acme", "default");
    assertThat(store.findActiveKeyByHash(ApiKeys.hash(ENV_KEY)).orElseThrow().organization().name())
        .isEqualTo("default");
  }
}
