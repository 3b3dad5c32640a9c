package dev.parlor.meetings;

import dev.parlor.db.IdAllocator;
import dev.parlor.http.Cursors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Meetings' rules: creation, lifetime (end date plus grace), listing and deletion. */
public final class MeetingService {
  private static final Logger log = LoggerFactory.getLogger(MeetingService.class);
  private static final int NAME_ATTEMPTS = 10;

  private final MeetingStore store;
  private final IdAllocator ids;
  private final Cursors cursors;
  private final Clock clock;
  private final Duration grace;
  private final List<MeetingListener> listeners = new CopyOnWriteArrayList<>();

  public MeetingService(
      MeetingStore store, IdAllocator ids, Cursors cursors, Clock clock, Duration grace) {
    this.store = store;
    this.ids = ids;
    this.cursors = cursors;
    this.clock = clock;
    this.grace = grace;
  }

  public void addListener(MeetingListener listener) {
    listeners.add(listener);
  }

  private void notify(java.util.function.Consumer<MeetingListener> event) {
    for (MeetingListener l : listeners) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        log.warn("meeting listener {} failed: {}", l.getClass().getSimpleName(), e.toString());
      }
    }
  }

  /** A page of meetings and the cursor of the next page, empty on the last. */
  public record Page(List<Meeting> meetings, Optional<String> nextCursor) {}

  public Instant now() {
    return clock.instant();
  }

  public Meeting create(long organizationId, MeetingRequest r) {
    Instant start = clock.instant();
    long id = ids.next("meeting");
    for (int attempt = 1; ; attempt++) {
      Meeting m =
          new Meeting(
              id,
              organizationId,
              RoomNames.generate(r.roomNamePrefix(), r.roomNamePattern()),
              start,
              r.endDate(),
              r.roomMode(),
              r.locked(),
              r.templateType(),
              r.optionsJson());
      try {
        store.insert(m);
        notify(l -> l.meetingCreated(m));
        return m;
      } catch (MeetingStore.RoomNameTakenException e) {
        // Only short names ever collide; a fresh random name settles it.
        if (attempt >= NAME_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  public Optional<Meeting> get(long organizationId, String meetingId) {
    return parseId(meetingId).flatMap(id -> store.findLive(organizationId, id, cutoff()));
  }

  public Page list(long organizationId, Optional<String> cursor, int limit) {
    String scope = "meetings:" + organizationId;
    long after = 0;
    if (cursor.isPresent() && !cursor.get().isBlank()) {
      after = parseId(cursors.decode(scope, cursor.get())).orElse(0L);
    }
    List<Meeting> rows = store.listLive(organizationId, after, limit + 1, cutoff());
    if (rows.size() <= limit) {
      return new Page(rows, Optional.empty());
    }
    List<Meeting> page = rows.subList(0, limit);
    String next = cursors.encode(scope, page.get(limit - 1).meetingId());
    return new Page(List.copyOf(page), Optional.of(next));
  }

  /** Idempotent: deleting an unknown, deleted or foreign meeting is a no-op. */
  public void delete(long organizationId, String meetingId) {
    Optional<Long> id = parseId(meetingId);
    if (id.isEmpty()) {
      return;
    }
    // Read first so listeners learn what was removed; the store's delete is what decides.
    Optional<Meeting> live = store.findLive(organizationId, id.get(), Instant.EPOCH);
    if (store.delete(organizationId, id.get())) {
      live.ifPresent(m -> notify(l -> l.meetingRemoved(m)));
    }
  }

  /** The live meeting of {@code roomName} (leading slash optional), of any organization. */
  public Optional<Meeting> findLiveByRoomName(String roomName) {
    String name = roomName.startsWith("/") ? roomName : "/" + roomName;
    return store.findLiveByRoomName(name, cutoff());
  }

  /** When a meeting's room stops working: its end date plus the grace. */
  public Instant expiresAt(Meeting m) {
    return m.endDate().plus(grace);
  }

  /** Removes meetings past their grace; returns how many. */
  public int sweep(int max) {
    List<Meeting> gone = store.deleteExpired(cutoff(), max);
    for (Meeting m : gone) {
      notify(l -> l.meetingRemoved(m));
    }
    return gone.size();
  }

  private Instant cutoff() {
    return clock.instant().minus(grace);
  }

  private static Optional<Long> parseId(String s) {
    // ASCII digits only: Character.isDigit and Long.parseLong also take other scripts' digits, so
    // an Arabic-Indic three in the path would read meeting 3.
    if (s == null
        || s.isEmpty()
        || s.length() > 18
        || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Optional.empty();
    }
    return Optional.of(Long.parseLong(s));
  }
}
