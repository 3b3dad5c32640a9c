package dev.parlor.insights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parlor.http.ApiException;
import dev.parlor.http.Cursors;
import dev.parlor.http.Json;
import dev.parlor.meetings.Meeting;
import dev.parlor.meetings.MeetingListener;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Insights' rules on the read side: every room a meeting created, listings with filters, orders and
 * cursors, and retention. Rooms are recorded when their meeting is created and outlive it: deleting
 * or sweeping the meeting only starts the retention period, after which {@link #sweep} removes the
 * room's whole history.
 */
public final class InsightsService implements MeetingListener {
  private static final Logger log = LoggerFactory.getLogger(InsightsService.class);

  /** Parameter names of the listings, as the API spells them. */
  public static final String SORT_BY = "sortBy";

  public static final String NAME_EXACT = "roomName[exact]";
  public static final String NAME_STARTS_WITH = "roomName[startsWith]";
  public static final String NAME_CONTAINS = "roomName[contains]";
  public static final String CREATED_FROM = "createdAt[from]";
  public static final String CREATED_TO = "createdAt[to]";
  public static final String ROOM_NAME = "roomName";
  public static final String ROOM_SESSION_ID = "roomSessionId";
  public static final String EXTERNAL_ID = "externalId";

  public static final String DEFAULT_ROOM_SORT = "createdAt:desc";
  public static final String DEFAULT_SESSION_SORT = "startedAt:desc";
  public static final String DEFAULT_PARTICIPANT_SORT = "joinedAt:asc";

  private static final int SWEEP_BATCH = 50;

  /** A page of results and the cursor of the next page, empty on the last. */
  public record Page<T>(List<T> results, Optional<String> cursor) {}

  private final InsightsStore store;
  private final ActivityTracker tracker;
  private final Cursors cursors;
  private final Clock clock;
  private final Duration grace;
  private final Duration retention;

  public InsightsService(
      InsightsStore store,
      ActivityTracker tracker,
      Cursors cursors,
      Clock clock,
      Duration grace,
      Duration retention) {
    this.store = store;
    this.tracker = tracker;
    this.cursors = cursors;
    this.clock = clock;
    this.grace = grace;
    this.retention = retention;
  }

  static RoomRecord roomOf(Meeting m) {
    return RoomRecord.empty(
        m.id(),
        m.organizationId(),
        m.roomName(),
        m.startDate().toEpochMilli(),
        m.endDate().toEpochMilli());
  }

  // ------------------------------------------------------------------ meetings' lifecycle

  /**
   * Queued for the insights writer (written within its flush interval), so creating a meeting costs
   * no second commit; the room server's first join records the room at once if need be.
   */
  @Override
  public void meetingCreated(Meeting meeting) {
    tracker.roomCreated(roomOf(meeting));
  }

  @Override
  public void meetingRemoved(Meeting meeting) {
    tracker.roomRemoved(meeting.id(), meeting.roomName(), clock.millis());
  }

  // ------------------------------------------------------------------ listings

  public Page<RoomRecord> rooms(
      long organizationId, Listing given, Optional<String> cursor, int limit) {
    String scope = "insights-rooms:" + organizationId;
    Position at = position(scope, given, cursor);
    Listing l = at.listing();
    Sort<RoomSort> sort =
        sort(
            l,
            DEFAULT_ROOM_SORT,
            s -> RoomSort.fromWire(s).orElseThrow(IllegalStateException::new));
    List<RoomRecord> rows =
        store.rooms(
            new InsightsStore.RoomQuery(
                organizationId,
                l.get(NAME_EXACT),
                l.get(NAME_STARTS_WITH),
                l.get(NAME_CONTAINS),
                millis(l.get(CREATED_FROM)),
                millis(l.get(CREATED_TO)),
                sort.field(),
                sort.descending(),
                at.after(),
                limit + 1));
    return page(scope, l, rows, limit, sort.field()::keyOf, RoomRecord::meetingId);
  }

  public Page<SessionRecord> sessions(
      long organizationId, Listing given, Optional<String> cursor, int limit) {
    String scope = "insights-room-sessions:" + organizationId;
    Position at = position(scope, given, cursor);
    Listing l = at.listing();
    Sort<SessionSort> sort =
        sort(
            l,
            DEFAULT_SESSION_SORT,
            s -> SessionSort.fromWire(s).orElseThrow(IllegalStateException::new));
    List<SessionRecord> rows =
        store.sessions(
            new InsightsStore.SessionQuery(
                organizationId,
                l.get(ROOM_NAME).orElseThrow(),
                l.get(ROOM_SESSION_ID),
                sort.field(),
                sort.descending(),
                at.after(),
                limit + 1));
    return page(scope, l, rows, limit, sort.field()::keyOf, SessionRecord::id);
  }

  public Page<ParticipantRecord> participants(
      long organizationId, Listing given, Optional<String> cursor, int limit) {
    String scope = "insights-participants:" + organizationId;
    Position at = position(scope, given, cursor);
    Listing l = at.listing();
    Sort<ParticipantSort> sort =
        sort(
            l,
            DEFAULT_PARTICIPANT_SORT,
            s -> ParticipantSort.fromWire(s).orElseThrow(IllegalStateException::new));
    List<ParticipantRecord> rows =
        store.participants(
            new InsightsStore.ParticipantQuery(
                organizationId,
                l.get(ROOM_SESSION_ID),
                l.get(EXTERNAL_ID),
                sort.field(),
                sort.descending(),
                at.after(),
                limit + 1));
    return page(scope, l, rows, limit, sort.field()::keyOf, ParticipantRecord::id);
  }

  public List<ConnectionDetail> participant(
      long organizationId, String roomSessionId, String participantId) {
    return store.participantConnections(organizationId, roomSessionId, participantId);
  }

  private record Sort<F>(F field, boolean descending) {}

  private static <F> Sort<F> sort(
      Listing l, String dflt, java.util.function.Function<String, F> field) {
    String[] parts = l.get(SORT_BY).orElse(dflt).split(":", 2);
    return new Sort<>(field.apply(parts[0]), parts[1].equals("desc"));
  }

  private static OptionalLong millis(Optional<String> iso) {
    return iso.map(s -> OptionalLong.of(Instant.parse(s).toEpochMilli()))
        .orElse(OptionalLong.empty());
  }

  // ------------------------------------------------------------------ cursors

  private record Position(Listing listing, Optional<InsightsStore.Keyset> after) {}

  /**
   * Where a page starts: at the beginning of the given listing, or after a cursor's position in the
   * cursor's listing. A parameter given beside a cursor must be the cursor's own.
   */
  private Position position(String scope, Listing given, Optional<String> cursor) {
    if (cursor.isEmpty() || cursor.get().isBlank()) {
      return new Position(given, Optional.empty());
    }
    JsonNode payload;
    try {
      payload = Json.MAPPER.readTree(cursors.decode(scope, cursor.get().trim()));
    } catch (IOException e) {
      throw ApiException.invalidField("cursor", "cursor is invalid");
    }
    Map<String, String> values = new HashMap<>();
    payload.path("p").properties().forEach(e -> values.put(e.getKey(), e.getValue().asText()));
    Listing listing = new Listing(values);
    given
        .values()
        .forEach(
            (name, value) -> {
              if (!value.equals(values.get(name))) {
                throw ApiException.invalidField(
                    "cursor",
                    "cursor belongs to a listing with other parameters than " + name + "=" + value);
              }
            });
    return new Position(
        listing,
        Optional.of(
            new InsightsStore.Keyset(payload.path("v").asLong(), payload.path("i").asLong())));
  }

  private <T> Page<T> page(
      String scope,
      Listing listing,
      List<T> rows,
      int limit,
      ToLongFunction<T> sortKey,
      ToLongFunction<T> id) {
    if (rows.size() <= limit) {
      return new Page<>(rows, Optional.empty());
    }
    List<T> page = List.copyOf(rows.subList(0, limit));
    T last = page.get(limit - 1);
    ObjectNode payload = Json.MAPPER.createObjectNode();
    ObjectNode p = payload.putObject("p");
    listing.values().forEach(p::put);
    payload.put("v", sortKey.applyAsLong(last));
    payload.put("i", id.applyAsLong(last));
    return new Page<>(page, Optional.of(cursors.encode(scope, payload.toString())));
  }

  // ------------------------------------------------------------------ retention

  /**
   * Removes the history of rooms whose meeting was deleted or expired more than the retention ago;
   * returns how many rooms.
   */
  public int sweep() {
    long now = clock.millis();
    long removedBefore = now - retention.toMillis();
    long endedBefore = removedBefore - grace.toMillis();
    int total = 0;
    int n;
    do {
      n = store.sweep(removedBefore, endedBefore, SWEEP_BATCH);
      total += n;
    } while (n == SWEEP_BATCH);
    if (total > 0) {
      log.info("Swept the insights of {} rooms past their retention", total);
    }
    return total;
  }
}
