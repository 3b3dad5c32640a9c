package dev.parlor.insights;

import dev.parlor.http.ApiAuthFilter;
import dev.parlor.http.ApiException;
import dev.parlor.http.IsoDates;
import dev.parlor.http.Json;
import dev.parlor.http.QueryParams;
import dev.parlor.http.RouteTable;
import io.helidon.common.uri.UriQuery;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@code /v1/insights/*}: read and validate the query (a 400 names the bad parameter), call {@link
 * InsightsService}, render. Dates are UTC with milliseconds ({@code 2025-01-01T00:00:00.000Z}).
 */
public final class InsightsRoutes {
  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final int SAMPLE_RATE_MS = 2000;

  private final InsightsService insights;

  public InsightsRoutes(InsightsService insights) {
    this.insights = insights;
  }

  public void register(RouteTable routes) {
    routes
        .path("/v1/insights/rooms")
        .on(Method.GET, this::rooms)
        .done()
        .path("/v1/insights/room-sessions")
        .on(Method.GET, this::sessions)
        .done()
        .path("/v1/insights/participants")
        .on(Method.GET, this::participants)
        .done()
        .path("/v1/insights/participant")
        .on(Method.GET, this::participant)
        .done();
  }

  // ------------------------------------------------------------------ handlers

  private void rooms(ServerRequest req, ServerResponse res) {
    long org = ApiAuthFilter.principal(req).organizationId();
    UriQuery q = req.query();
    refuseUnknownFilters(q, "roomName", List.of("exact", "startsWith", "contains"));
    refuseUnknownFilters(q, "createdAt", List.of("from", "to"));
    Map<String, String> p = new LinkedHashMap<>();
    // roomName[exact], or a plain roomName meaning the same.
    Optional<String> exact =
        nonEmpty(q, InsightsService.NAME_EXACT)
            .map(v -> checkName(v, InsightsService.NAME_EXACT))
            .or(
                () ->
                    nonEmpty(q, InsightsService.ROOM_NAME)
                        .map(v -> checkName(v, InsightsService.ROOM_NAME)));
    exact.ifPresent(v -> p.put(InsightsService.NAME_EXACT, withSlash(v)));
    nonEmpty(q, InsightsService.NAME_STARTS_WITH)
        .ifPresent(
            v ->
                p.put(
                    InsightsService.NAME_STARTS_WITH,
                    withSlash(checkName(v, InsightsService.NAME_STARTS_WITH))));
    nonEmpty(q, InsightsService.NAME_CONTAINS)
        .ifPresent(
            v -> p.put(InsightsService.NAME_CONTAINS, checkName(v, InsightsService.NAME_CONTAINS)));
    for (String name : List.of(InsightsService.CREATED_FROM, InsightsService.CREATED_TO)) {
      nonEmpty(q, name).ifPresent(v -> p.put(name, date(v, name).toString()));
    }
    sortBy(q, p, s -> RoomSort.fromWire(s).map(RoomSort::wireName), roomSortNames());
    int limit = QueryParams.limit(q, 1, 100, 10);
    InsightsService.Page<RoomRecord> page =
        insights.rooms(org, new Listing(p), QueryParams.first(q, "cursor"), limit);
    List<Map<String, Object>> results = new ArrayList<>(page.results().size());
    for (RoomRecord r : page.results()) {
      results.add(render(r));
    }
    sendPage(res, results, page.cursor());
  }

  private void sessions(ServerRequest req, ServerResponse res) {
    long org = ApiAuthFilter.principal(req).organizationId();
    UriQuery q = req.query();
    Map<String, String> p = new LinkedHashMap<>();
    Optional<String> cursor = QueryParams.first(q, "cursor").filter(c -> !c.isBlank());
    Optional<String> room = nonEmpty(q, InsightsService.ROOM_NAME);
    if (room.isEmpty() && cursor.isEmpty()) {
      throw ApiException.invalidField("roomName", "roomName is required");
    }
    room.ifPresent(v -> p.put(InsightsService.ROOM_NAME, withSlash(checkName(v, "roomName"))));
    nonEmpty(q, InsightsService.ROOM_SESSION_ID)
        .ifPresent(v -> p.put(InsightsService.ROOM_SESSION_ID, sessionId(v)));
    sortBy(
        q,
        p,
        s -> SessionSort.fromWire(s).map(SessionSort::wireName),
        Arrays.stream(SessionSort.values()).flatMap(f -> f.wireNames().stream()).toList());
    int limit = QueryParams.limit(q, 1, 100, 10);
    InsightsService.Page<SessionRecord> page =
        insights.sessions(org, new Listing(p), cursor, limit);
    List<Map<String, Object>> results = new ArrayList<>(page.results().size());
    for (SessionRecord s : page.results()) {
      results.add(render(s));
    }
    sendPage(res, results, page.cursor());
  }

  private void participants(ServerRequest req, ServerResponse res) {
    long org = ApiAuthFilter.principal(req).organizationId();
    UriQuery q = req.query();
    Map<String, String> p = new LinkedHashMap<>();
    Optional<String> cursor = QueryParams.first(q, "cursor").filter(c -> !c.isBlank());
    Optional<String> session = nonEmpty(q, InsightsService.ROOM_SESSION_ID);
    Optional<String> external = nonEmpty(q, InsightsService.EXTERNAL_ID);
    if (session.isEmpty() && external.isEmpty() && cursor.isEmpty()) {
      throw ApiException.invalidField("roomSessionId", "roomSessionId or externalId is required");
    }
    session.ifPresent(v -> p.put(InsightsService.ROOM_SESSION_ID, sessionId(v)));
    external.ifPresent(
        v -> {
          if (v.length() > 64) {
            throw ApiException.invalidField(
                "externalId", "externalId must be at most 64 characters");
          }
          p.put(InsightsService.EXTERNAL_ID, v);
        });
    sortBy(
        q,
        p,
        s -> ParticipantSort.fromWire(s).map(ParticipantSort::wireName),
        Arrays.stream(ParticipantSort.values()).map(ParticipantSort::wireName).toList());
    int limit = QueryParams.limit(q, 1, 100, 10);
    InsightsService.Page<ParticipantRecord> page =
        insights.participants(org, new Listing(p), cursor, limit);
    List<Map<String, Object>> results = new ArrayList<>(page.results().size());
    for (ParticipantRecord r : page.results()) {
      results.add(render(r));
    }
    sendPage(res, results, page.cursor());
  }

  private void participant(ServerRequest req, ServerResponse res) {
    long org = ApiAuthFilter.principal(req).organizationId();
    UriQuery q = req.query();
    String session =
        sessionId(
            nonEmpty(q, InsightsService.ROOM_SESSION_ID)
                .orElseThrow(
                    () -> ApiException.invalidField("roomSessionId", "roomSessionId is required")));
    String participantId =
        nonEmpty(q, "participantId")
            .orElseThrow(
                () -> ApiException.invalidField("participantId", "participantId is required"));
    if (participantId.length() > 128) {
      throw ApiException.invalidField(
          "participantId", "participantId must be at most 128 characters");
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (ConnectionDetail d : insights.participant(org, session, participantId)) {
      out.add(render(d));
    }
    Json.send(res, Status.OK_200, out);
  }

  // ------------------------------------------------------------------ parameters

  private static Optional<String> nonEmpty(UriQuery q, String name) {
    return QueryParams.first(q, name).map(String::trim).filter(s -> !s.isEmpty());
  }

  /** {@code roomName[typo]=...} is a 400 rather than a filter silently ignored. */
  private static void refuseUnknownFilters(UriQuery q, String base, List<String> known) {
    for (String name : q.names()) {
      if (name.startsWith(base + "[")) {
        String sub = name.endsWith("]") ? name.substring(base.length() + 1, name.length() - 1) : "";
        if (!known.contains(sub)) {
          throw ApiException.invalidField(
              name,
              name
                  + " is not a filter; use "
                  + String.join(", ", known.stream().map(k -> base + "[" + k + "]").toList()));
        }
      }
    }
  }

  private static String checkName(String v, String param) {
    if (v.length() > 128) {
      throw ApiException.invalidField(param, param + " must be at most 128 characters");
    }
    return v.toLowerCase(Locale.ROOT);
  }

  private static String withSlash(String v) {
    return v.startsWith("/") ? v : "/" + v;
  }

  private static String sessionId(String v) {
    String s = v.toLowerCase(Locale.ROOT);
    if (!UUID.matcher(s).matches()) {
      throw ApiException.invalidField(
          "roomSessionId",
          "roomSessionId must be a session id such as " + java.util.UUID.randomUUID());
    }
    return s;
  }

  /** ISO-8601 with any offset; without one the time is UTC. */
  static Instant date(String v, String param) {
    try {
      return OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        throw ApiException.invalidField(
            param, param + " must be an ISO-8601 date-time such as 2025-01-01T00:00:00.000Z");
      }
    }
  }

  /** {@code sortBy=<field>:asc|desc} (the direction defaults to asc), normalized into {@code p}. */
  private static void sortBy(
      UriQuery q,
      Map<String, String> p,
      Function<String, Optional<String>> canonical,
      List<String> fields) {
    Optional<String> v = nonEmpty(q, InsightsService.SORT_BY);
    if (v.isEmpty()) {
      return;
    }
    String[] parts = v.get().split(":", -1);
    Optional<String> field = canonical.apply(parts[0].trim());
    String dir = parts.length == 2 ? parts[1].trim().toLowerCase(Locale.ROOT) : "asc";
    if (field.isEmpty() || parts.length > 2 || !(dir.equals("asc") || dir.equals("desc"))) {
      throw ApiException.invalidField(
          "sortBy",
          "sortBy must be <field>:asc or <field>:desc, the field one of "
              + String.join(", ", fields));
    }
    p.put(InsightsService.SORT_BY, field.get() + ":" + dir);
  }

  private static List<String> roomSortNames() {
    return Arrays.stream(RoomSort.values()).map(RoomSort::wireName).toList();
  }

  // ------------------------------------------------------------------ rendering

  private static void sendPage(
      ServerResponse res, List<Map<String, Object>> results, Optional<String> cursor) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("results", results);
    body.put("cursor", cursor.orElse(null));
    Json.send(res, Status.OK_200, body);
  }

  static String date(long epochMillis) {
    return IsoDates.millis(Instant.ofEpochMilli(epochMillis));
  }

  private static String date(Long epochMillis) {
    return epochMillis == null ? null : date(epochMillis.longValue());
  }

  private static Map<String, Object> render(RoomRecord r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("roomName", r.roomName());
    out.put("createdAt", date(r.createdAt()));
    out.put("endAt", date(r.endAt()));
    out.put("firstSessionStartedAt", date(r.firstSessionStartedAt()));
    out.put("lastSessionStartedAt", date(r.lastSessionStartedAt()));
    putTotals(out, r.totals());
    out.put("totalSessions", r.sessions());
    return out;
  }

  private static void putTotals(Map<String, Object> out, Totals t) {
    out.put("totalParticipantMinutes", t.participantMinutes());
    out.put("totalRecorderMinutes", t.recorderMinutes());
    out.put("totalStreamerMinutes", t.streamerMinutes());
    out.put("totalUniqueParticipants", t.uniqueParticipants());
    out.put("totalUniqueRecorders", t.uniqueRecorders());
    out.put("totalUniqueStreamers", t.uniqueStreamers());
  }

  private static Map<String, Object> render(SessionRecord s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("roomSessionId", s.roomSessionId());
    out.put("roomName", s.roomName());
    out.put("createdAt", date(s.startedAt()));
    out.put("startedAt", date(s.startedAt()));
    out.put("endAt", date(s.endedAt()));
    out.put("endedAt", date(s.endedAt()));
    putTotals(out, s.totals());
    return out;
  }

  private static Map<String, Object> render(ParticipantRecord p) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("roomSessionId", p.roomSessionId());
    out.put("participantId", p.participantId());
    out.put("deviceId", p.deviceId());
    out.put("userId", p.participantId());
    out.put("roleName", p.roleName());
    out.put("displayName", p.displayName());
    out.put("joinedAt", date(p.joinedAt()));
    out.put("leftAt", date(p.leftAt()));
    out.put("externalId", p.externalId());
    return out;
  }

  private static Map<String, Object> render(ConnectionDetail d) {
    ConnectionRecord c = d.connection();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("displayName", c.displayName());
    out.put("userRole", c.roleName());
    out.put("userAgent", c.userAgent());
    out.put("timeStamp", date(c.joinedAt()));
    out.put("sampleRateMs", SAMPLE_RATE_MS);
    List<Object[]> lossSend = new ArrayList<>(d.samples().size());
    List<Object[]> lossRecv = new ArrayList<>(d.samples().size());
    List<Object[]> rateSend = new ArrayList<>(d.samples().size());
    List<Object[]> rateRecv = new ArrayList<>(d.samples().size());
    for (Sample s : d.samples()) {
      lossSend.add(new Object[] {s.at(), s.packetLossSend()});
      lossRecv.add(new Object[] {s.at(), s.packetLossRecv()});
      rateSend.add(new Object[] {s.at(), s.bitrateSend()});
      rateRecv.add(new Object[] {s.at(), s.bitrateRecv()});
    }
    Map<String, Object> samples = new LinkedHashMap<>();
    samples.put("packetLossSend", lossSend);
    samples.put("packetLossRecv", lossRecv);
    samples.put("bitrateSend", rateSend);
    samples.put("bitrateRecv", rateRecv);
    out.put("samples", samples);
    List<Map<String, Object>> events = new ArrayList<>(d.events().size());
    for (MediaEventRecord e : d.events()) {
      Map<String, Object> ev = new LinkedHashMap<>();
      ev.put("type", e.event().wireName());
      ev.put("timestamp", date(e.at()));
      events.add(ev);
    }
    out.put("events", events);
    return out;
  }
}
