package dev.parlor.webhooks;

import dev.parlor.db.WriteBatcher;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
  private volatile Map<Long, Set<EventType>> subscriptions = Map.of();
  private volatile long loadedAt;
  private volatile boolean loaded;
  private final java.util.concurrent.atomic.AtomicBoolean refreshing =
      new java.util.concurrent.atomic.AtomicBoolean();

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
    long now = System.nanoTime() / 1_000_000;
    if (!loaded) {
      refresh();
    } else if (now - loadedAt >= REFRESH_MS && refreshing.compareAndSet(false, true)) {
      // one caller reloads; the others go on with the previous second's answer meanwhile
      try {
        refresh();
      } finally {
        refreshing.set(false);
      }
    }
    Set<EventType> types = subscriptions.get(organizationId);
    return types != null && types.contains(type);
  }

  /** Reloads the subscriptions now (after this process added or removed an endpoint). */
  public void refresh() {
    List<WebhookStore.StoredEndpoint> all = store.activeEndpoints();
    subscriptions =
        all.stream()
            .map(WebhookStore.StoredEndpoint::endpoint)
            .collect(
                Collectors.groupingBy(
                    WebhookEndpoint::organizationId,
                    Collectors.flatMapping(
                        e -> e.events().stream(), Collectors.toUnmodifiableSet())));
    loadedAt = System.nanoTime() / 1_000_000;
    loaded = true;
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
   * Stores the event (if anyone wants it) and returns after the commit: the event will be delivered
   * even if this process stops right after.
   */
  public void emit(WebhookEvent e) {
    if (!wanted(e.organizationId(), e.type())) {
      return;
    }
    int n = writer.write(stage(e));
    if (n > 0) {
      staged();
    }
  }
}
