package dev.parlor.meetings;

import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps recently written or read meetings in memory in front of another store. A meeting never
 * changes after creation, only disappears, so the cache needs no invalidation beyond deletes, which
 * all pass through here: this holds only while this process is the only writer of meetings, which
 * is why {@code App} uses it for the embedded SQLite database and not for a PostgreSQL database
 * shared by several nodes.
 */
public final class CachingMeetingStore implements MeetingStore {
  private final MeetingStore store;
  private final int maxEntries;
  private final ConcurrentHashMap<Long, Meeting> cache = new ConcurrentHashMap<>();

  public CachingMeetingStore(MeetingStore store, int maxEntries) {
    this.store = store;
    this.maxEntries = maxEntries;
  }

  @Override
  public void insert(Meeting meeting) {
    store.insert(meeting);
    remember(meeting);
  }

  @Override
  public Optional<Meeting> findLive(long organizationId, long meetingId, Instant cutoff) {
    Meeting m = cache.get(meetingId);
    if (m != null) {
      return m.organizationId() == organizationId && m.endDate().isAfter(cutoff)
          ? Optional.of(m)
          : Optional.empty();
    }
    Optional<Meeting> found = store.findLive(organizationId, meetingId, cutoff);
    found.ifPresent(this::remember);
    return found;
  }

  @Override
  public Optional<Meeting> findLiveByRoomName(String roomName, Instant cutoff) {
    return store.findLiveByRoomName(roomName, cutoff);
  }

  @Override
  public List<Meeting> listLive(long organizationId, long afterId, int limit, Instant cutoff) {
    return store.listLive(organizationId, afterId, limit, cutoff);
  }

  @Override
  public boolean delete(long organizationId, long meetingId) {
    boolean deleted = store.delete(organizationId, meetingId);
    if (deleted) {
      cache.remove(meetingId);
    }
    return deleted;
  }

  @Override
  public List<Meeting> deleteExpired(Instant cutoff, int max) {
    List<Meeting> gone = store.deleteExpired(cutoff, max);
    for (Meeting m : gone) {
      cache.remove(m.id());
    }
    return gone;
  }

  private void remember(Meeting m) {
    if (cache.size() >= maxEntries) {
      // Drop about a tenth, in no particular order: cheap, and misses only cost a query.
      Iterator<Long> it = cache.keySet().iterator();
      for (int i = 0; i < maxEntries / 10 && it.hasNext(); i++) {
        it.next();
        it.remove();
      }
    }
    cache.put(m.id(), m);
  }
}
