package dev.parlor.webhooks;

import dev.parlor.db.WriteBatcher;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Where events enter the outbox. {@link #stage} gives the write to run in the transaction of the
 * change that caused the event; {@link #emit} stores it in a transaction of its own and returns
 * once committed. Either way the dispatcher is woken to send it.
 *
 * <p>Most organizations have no endpoints: which organizations subscribe to which types is cached
 * for {@link #REFRESH_MS}, so their events cost nothing. An endpoint added by the CLI (another
 * process) therefore receives events from at most a second after it was added.
 */
public final class WebhookOutbox {
  static final long REFRESH_MS = 1_000;

  private final WebhookStore store;
  private final WriteBatcher writer;
  private final Set<Runnable> listeners = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.atomic.AtomicBoolean refreshing =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** The endpoints not removed, and what each organization subscribes to, as loaded at a time. */
  private record Snapshot(
      List<WebhookStore.StoredEndpoint> endpoints,
      Map<Long, Set<EventType>> subscriptions,
      long loadedAtMs) {}

  private volatile Snapshot snapshot;

  public WebhookOutbox(WebhookStore store, WriteBatcher writer) {
    this.store = store;
    this.writer = writer;
  }

  /** Called after an event is committed (the dispatcher's wake-up). */
  void onStaged(Runnable r) {
    listeners.add(r);
  }

  /** Whether some endpoint of the organization wants events of this type (cached). */
  public boolean wanted(long organizationId, EventType type) {
    Set<EventType> types = current().subscriptions().get(organizationId);
    return types != null && types.contains(type);
  }

  /**
   * The endpoints not removed, as loaded at most {@link #REFRESH_MS} ago; the same list object
   * until the next reload. The one cache the dispatcher and {@link #wanted} share.
   */
  List<WebhookStore.StoredEndpoint> activeEndpoints() {
    return current().endpoints();
  }

  private Snapshot current() {
    Snapshot s = snapshot;
    if (s == null) {
      return load();
    }
    if (System.nanoTime() / 1_000_000 - s.loadedAtMs() >= REFRESH_MS
        && refreshing.compareAndSet(false, true)) {
      // one caller reloads; the others go on with the previous second's answer meanwhile
      try {
        return load();
      } finally {
        refreshing.set(false);
      }
    }
    return s;
  }

  /** Reloads the endpoints now (after this process added or removed one). */
  public void refresh() {
    load();
  }

  private Snapshot load() {
    List<WebhookStore.StoredEndpoint> all = List.copyOf(store.activeEndpoints());
    Snapshot s =
        new Snapshot(
            all,
            all.stream()
                .map(WebhookStore.StoredEndpoint::endpoint)
                .collect(
                    Collectors.groupingBy(
                        WebhookEndpoint::organizationId,
                        Collectors.flatMapping(
                            e -> e.events().stream(), Collectors.toUnmodifiableSet()))),
            System.nanoTime() / 1_000_000);
    snapshot = s;
    return s;
  }

  /**
   * The outbox write of {@code e}, to run in the caller's transaction; then call {@link #staged}.
   */
  public WriteBatcher.Work<Integer> stage(WebhookEvent e) {
    return h -> store.stage(h, e);
  }

  /** Tells the dispatcher that staged events were committed. */
  public void staged() {
    listeners.forEach(Runnable::run);
  }

  /**
   * Stores an event of this type, if some endpoint of the organization wants it (its data is only
   * built then), and returns after the commit: the event will be delivered even if this process
   * stops right after.
   */
  public void emit(
      long organizationId, EventType type, Instant createdAt, Supplier<Map<String, Object>> data) {
    if (!wanted(organizationId, type)) {
      return;
    }
    int n = writer.write(stage(WebhookEvent.create(organizationId, type, createdAt, data.get())));
    if (n > 0) {
      staged();
    }
  }
}
