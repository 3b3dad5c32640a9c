package dev.parlor.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parlor.db.Database;
import dev.parlor.db.WriteBatcher;
import dev.parlor.orgs.Organization;
import dev.parlor.orgs.SqlOrganizationStore;
import dev.parlor.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link WebhookStore} must do, whatever the database (see SqlWebhookStoreTest). */
public abstract class WebhookStoreContract {
  static final Instant NOW = Instant.parse("2030-01-02T03:04:05.678Z");

  private String url;
  private Database db;
  private WriteBatcher writer;
  protected WebhookStore store;
  protected final long orgA = 1;
  protected final long orgB = 2;

  protected abstract String newDatabaseUrl();

  @BeforeEach
  void openStore() {
    url = newDatabaseUrl();
    db = Database.open(url, 6);
    writer = new WriteBatcher(db.jdbi());
    store = new SqlWebhookStore(db.jdbi(), writer);
    SqlOrganizationStore orgs = new SqlOrganizationStore(db.jdbi());
    orgs.insert(new Organization(orgA, "a", OptionalLong.empty(), NOW));
    orgs.insert(new Organization(orgB, "b", OptionalLong.empty(), NOW));
  }

  @AfterEach
  void closeStore() {
    if (writer != null) {
      writer.close();
    }
    if (db != null) {
      db.close();
    }
    TestDatabases.release(url);
  }

  WebhookEndpoint endpoint(long id, long org, EventType... types) {
    WebhookEndpoint e =
        new WebhookEndpoint(
            id, org, "https://hooks.example.com/" + id, Set.of(types), NOW, Optional.empty());
    store.insertEndpoint(e, "sealed-" + id);
    return e;
  }

  WebhookEvent event(long org, EventType type, Instant at) {
    return WebhookEvent.create(org, type, at, Map.of("roomName", "/r"));
  }

  int stage(WebhookEvent e) {
    return writer.write(h -> store.stage(h, e));
  }

  @Test
  void anEndpointIsStoredWithItsEventsAndSealedSecretAndListedByItsOrganizationOnly() {
    endpoint(10, orgA, EventType.ROOM_CLIENT_JOINED, EventType.RECORDING_FINISHED);
    endpoint(11, orgB, EventType.ROOM_SESSION_ENDED);

    List<WebhookStore.StoredEndpoint> a = store.endpoints(orgA);
    assertThat(a).hasSize(1);
    assertThat(a.getFirst().sealedSecret()).isEqualTo("sealed-10");
    assertThat(a.getFirst().endpoint().events())
        .containsExactlyInAnyOrder(EventType.ROOM_CLIENT_JOINED, EventType.RECORDING_FINISHED);
    assertThat(a.getFirst().endpoint().url()).isEqualTo("https://hooks.example.com/10");
    assertThat(a.getFirst().endpoint().createdAt()).isEqualTo(NOW);
    assertThat(store.endpoint(11).orElseThrow().endpoint().organizationId()).isEqualTo(orgB);
    assertThat(store.activeEndpoints()).hasSize(2);
  }

  @Test
  void anEventGetsOneDueDeliveryPerSubscribedEndpointOfItsOrganization() {
    endpoint(10, orgA, EventType.ROOM_CLIENT_JOINED);
    endpoint(11, orgA, EventType.ROOM_CLIENT_JOINED, EventType.ROOM_CLIENT_LEFT);
    endpoint(12, orgA, EventType.ROOM_CLIENT_LEFT);
    endpoint(13, orgB, EventType.ROOM_CLIENT_JOINED);

    WebhookEvent joined = event(orgA, EventType.ROOM_CLIENT_JOINED, NOW);
    assertThat(stage(joined)).isEqualTo(2);
    assertThat(store.claimDue(10, NOW, NOW.plusSeconds(30), 10))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.eventId()).isEqualTo(joined.id());
              assertThat(d.body()).isEqualTo(joined.body());
              assertThat(d.attempts()).isZero();
            });
    assertThat(store.claimDue(11, NOW, NOW.plusSeconds(30), 10)).hasSize(1);
    assertThat(store.claimDue(12, NOW, NOW.plusSeconds(30), 10)).isEmpty();
    assertThat(store.claimDue(13, NOW, NOW.plusSeconds(30), 10)).isEmpty();
    assertThat(store.pendingCount()).isEqualTo(2);
  }

  @Test
  void anEventNobodySubscribesToIsNotKept() {
    endpoint(10, orgA, EventType.ROOM_CLIENT_JOINED);
    assertThat(stage(event(orgA, EventType.RECORDING_FINISHED, NOW))).isZero();
    assertThat(stage(event(orgB, EventType.ROOM_CLIENT_JOINED, NOW))).isZero();
    assertThat(store.deliveries(orgA, OptionalLong.empty(), 10)).isEmpty();
    assertThat(store.deliveries(orgB, OptionalLong.empty(), 10)).isEmpty();
  }

  @Test
  void aClaimedDeliveryIsLeasedAndDueAgainWhenTheLeaseEnds() {
    endpoint(10, orgA, EventType.ROOM_CLIENT_JOINED);
    stage(event(orgA, EventType.ROOM_CLIENT_JOINED, NOW));
    assertThat(store.claimDue(10, NOW, NOW.plusSeconds(30), 10)).hasSize(1);
    assertThat(store.claimDue(10, NOW.plusSeconds(29), NOW.plusSeconds(60), 10)).isEmpty();
    assertThat(store.claimDue(10, NOW.plusSeconds(30), NOW.plusSeconds(60), 10)).hasSize(1);
  }

  @Test
  void concurrentClaimersNeverGetTheSameDelivery() throws Exception {
    endpoint(10, orgA, EventType.ROOM_CLIENT_JOINED);
    for (int i = 0; i < 60; i++) {
      stage(event(orgA, EventType.ROOM_CLIENT_JOINED, NOW.plusMillis(i)));
    }
    // Two writers, as two nodes would have: their claims race in the database itself.
    WriteBatcher otherWriter = new WriteBatcher(db.jdbi());
    WebhookStore[] stores = {store, new SqlWebhookStore(db.jdbi(), otherWriter)};
    Set<String> claimed = ConcurrentHashMap.newKeySet();
    List<String> all = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch go = new CountDownLatch(1);
    for (int t = 0; t < 4; t++) {
      WebhookStore mine = stores[t % 2];
      pool.execute(
          () -> {
            try {
              go.await();
              for (int round = 0; round < 10; round++) {
                for (Delivery.Due d :
                    mine.claimDue(10, NOW.plusSeconds(1), NOW.plusSeconds(60), 7)) {
                  claimed.add(d.eventId());
                  all.add(d.eventId());
                }
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
    }
    go.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    otherWriter.close();
    assertThat(all).hasSize(60).doesNotHaveDuplicates();
    assertThat(claimed).hasSize(60);
  }

  @Test
  void outcomesAreRecordedAndOnlyPendingDeliveriesAreDue() {
    endpoint(10, orgA, EventType.ROOM_CLIENT_JOINED);
    WebhookEvent a = event(orgA, EventType.ROOM_CLIENT_JOINED, NOW);
    WebhookEvent b = event(orgA, EventType.ROOM_CLIENT_JOINED, NOW.plusMillis(1));
    WebhookEvent c = event(orgA, EventType.ROOM_CLIENT_JOINED, NOW.plusMillis(2));
    stage(a);
    stage(b);
    stage(c);
    Map<String, Delivery.Due> due = new java.util.HashMap<>();
    store
        .claimDue(10, NOW.plusMillis(2), NOW.plusSeconds(30), 10)
        .forEach(d -> due.put(d.eventId(), d));
    assertThat(due).hasSize(3);

    store.delivered(due.get(a.id()), NOW.plusSeconds(1), 204);
    store.attemptFailed(
        due.get(b.id()),
        NOW.plusSeconds(1),
        OptionalLong.of(503),
        "HTTP 503",
        Optional.of(NOW.plusSeconds(20)));
    store.attemptFailed(
        due.get(c.id()), NOW.plusSeconds(1), OptionalLong.of(404), "HTTP 404", Optional.empty());

    Map<String, Delivery> byEvent = new java.util.HashMap<>();
    store.deliveries(orgA, OptionalLong.of(10), 10).forEach(d -> byEvent.put(d.eventId(), d));
    Delivery da = byEvent.get(a.id());
    assertThat(da.status()).isEqualTo(Delivery.Status.DELIVERED);
    assertThat(da.attempts()).isEqualTo(1);
    assertThat(da.lastStatusCode()).hasValue(204);
    assertThat(da.deliveredAt()).hasValue(NOW.plusSeconds(1));
    assertThat(da.eventType()).isEqualTo("room.client.joined");
    Delivery db = byEvent.get(b.id());
    assertThat(db.status()).isEqualTo(Delivery.Status.PENDING);
    assertThat(db.nextAttemptAt()).isEqualTo(NOW.plusSeconds(20));
    assertThat(db.lastError()).hasValue("HTTP 503");
    Delivery dc = byEvent.get(c.id());
    assertThat(dc.status()).isEqualTo(Delivery.Status.FAILED);
    assertThat(dc.lastStatusCode()).hasValue(404);

    assertThat(store.claimDue(10, NOW.plusSeconds(19), NOW.plusSeconds(60), 10)).isEmpty();
    assertThat(store.claimDue(10, NOW.plusSeconds(20), NOW.plusSeconds(60), 10))
        .extracting(Delivery.Due::eventId)
        .containsExactly(b.id());
    assertThat(store.pendingCount()).isEqualTo(1);
  }

  @Test
  void givenBackDeliveriesAreDueAtOnce() {
    endpoint(10, orgA, EventType.ROOM_CLIENT_JOINED);
    stage(event(orgA, EventType.ROOM_CLIENT_JOINED, NOW));
    List<Delivery.Due> claimed = store.claimDue(10, NOW, NOW.plusSeconds(300), 10);
    store.release(claimed, NOW.plusSeconds(1));
    assertThat(store.claimDue(10, NOW.plusSeconds(1), NOW.plusSeconds(300), 10)).hasSize(1);
  }

  @Test
  void removingAnEndpointCancelsItsPendingDeliveriesAndKeepsItListed() {
    endpoint(10, orgA, EventType.ROOM_CLIENT_JOINED);
    endpoint(11, orgA, EventType.ROOM_CLIENT_JOINED);
    stage(event(orgA, EventType.ROOM_CLIENT_JOINED, NOW));

    assertThat(store.removeEndpoint(10, NOW.plusSeconds(5))).isTrue();
    assertThat(store.removeEndpoint(10, NOW.plusSeconds(6))).isFalse();
    assertThat(store.claimDue(10, NOW.plusSeconds(10), NOW.plusSeconds(60), 10)).isEmpty();
    assertThat(store.claimDue(11, NOW.plusSeconds(10), NOW.plusSeconds(60), 10)).hasSize(1);
    assertThat(store.deliveries(orgA, OptionalLong.of(10), 10).getFirst().status())
        .isEqualTo(Delivery.Status.CANCELLED);
    assertThat(store.endpoint(10).orElseThrow().endpoint().removedAt())
        .hasValue(NOW.plusSeconds(5));
    assertThat(store.activeEndpoints()).extracting(e -> e.endpoint().id()).containsExactly(11L);
    // a removed endpoint gets no new deliveries
    assertThat(stage(event(orgA, EventType.ROOM_CLIENT_JOINED, NOW.plusSeconds(7)))).isEqualTo(1);
  }

  @Test
  void deliveriesAreListedNewestFirstPerOrganizationAndEndpoint() {
    endpoint(10, orgA, EventType.ROOM_CLIENT_JOINED);
    endpoint(11, orgA, EventType.ROOM_CLIENT_JOINED);
    endpoint(12, orgB, EventType.ROOM_CLIENT_JOINED);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      WebhookEvent e = event(orgA, EventType.ROOM_CLIENT_JOINED, NOW.plusSeconds(i));
      stage(e);
      ids.add(e.id());
    }
    stage(event(orgB, EventType.ROOM_CLIENT_JOINED, NOW));
    assertThat(store.deliveries(orgA, OptionalLong.empty(), 100)).hasSize(10);
    List<Delivery> of10 = store.deliveries(orgA, OptionalLong.of(10), 3);
    assertThat(of10)
        .extracting(Delivery::eventId)
        .containsExactly(ids.get(4), ids.get(3), ids.get(2));
    assertThat(store.deliveries(orgB, OptionalLong.empty(), 100)).hasSize(1);
  }

  @Test
  void finishedDeliveriesAndTheirEventsArePurgedAfterTheCutoffButPendingOnesStay() {
    endpoint(10, orgA, EventType.ROOM_CLIENT_JOINED);
    WebhookEvent old = event(orgA, EventType.ROOM_CLIENT_JOINED, NOW);
    WebhookEvent waiting = event(orgA, EventType.ROOM_CLIENT_JOINED, NOW.plusMillis(1));
    stage(old);
    stage(waiting);
    for (Delivery.Due d : store.claimDue(10, NOW.plusMillis(1), NOW.plusSeconds(30), 10)) {
      if (d.eventId().equals(old.id())) {
        store.delivered(d, NOW, 200);
      }
    }
    assertThat(store.purgeFinished(NOW.plus(Duration.ofDays(8)))).isEqualTo(1);
    Set<String> left = new HashSet<>();
    store.deliveries(orgA, OptionalLong.empty(), 10).forEach(d -> left.add(d.eventId()));
    assertThat(left).containsExactly(waiting.id());
  }
}
