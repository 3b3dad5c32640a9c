package dev.parlor.meetings;

import dev.parlor.http.ApiAuthFilter;
import dev.parlor.http.ApiException;
import dev.parlor.http.ErrorCode;
import dev.parlor.http.Json;
import dev.parlor.http.QueryParams;
import dev.parlor.http.RouteTable;
import dev.parlor.rooms.RoomKeys;
import io.helidon.common.uri.UriQuery;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** {@code /v1/meetings}: parse, call {@link MeetingService}, render. */
public final class MeetingRoutes {
  private final MeetingService meetings;
  private final RoomKeys roomKeys;
  private final Supplier<String> publicUrl;

  public MeetingRoutes(MeetingService meetings, RoomKeys roomKeys, Supplier<String> publicUrl) {
    this.meetings = meetings;
    this.roomKeys = roomKeys;
    this.publicUrl = publicUrl;
  }

  public void register(RouteTable routes) {
    routes
        .path("/v1/meetings")
        .on(Method.POST, this::create)
        .on(Method.GET, this::list)
        .done()
        .path("/v1/meetings/{meetingId}")
        .on(Method.GET, this::get)
        .on(Method.DELETE, this::delete)
        .done();
  }

  private void create(ServerRequest req, ServerResponse res) {
    long org = ApiAuthFilter.principal(req).organizationId();
    MeetingRequest r = MeetingRequestParser.parse(Json.readObject(req), meetings.now());
    Meeting m = meetings.create(org, r);
    Json.send(res, Status.CREATED_201, render(m, r.fields()));
  }

  private void list(ServerRequest req, ServerResponse res) {
    long org = ApiAuthFilter.principal(req).organizationId();
    UriQuery q = req.query();
    int limit = QueryParams.limit(q, 1, 100, 50);
    Set<MeetingRequest.Field> fields = fields(q);
    MeetingService.Page page = meetings.list(org, QueryParams.first(q, "cursor"), limit);
    List<Map<String, Object>> results = new ArrayList<>(page.meetings().size());
    for (Meeting m : page.meetings()) {
      results.add(render(m, fields));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("results", results);
    body.put("cursor", page.nextCursor().orElse(null));
    Json.send(res, Status.OK_200, body);
  }

  private void get(ServerRequest req, ServerResponse res) {
    long org = ApiAuthFilter.principal(req).organizationId();
    Set<MeetingRequest.Field> fields = fields(req.query());
    String id = req.path().pathParameters().get("meetingId");
    Meeting m = meetings.get(org, id).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND));
    Json.send(res, Status.OK_200, render(m, fields));
  }

  private void delete(ServerRequest req, ServerResponse res) {
    long org = ApiAuthFilter.principal(req).organizationId();
    meetings.delete(org, req.path().pathParameters().get("meetingId"));
    Json.sendNoContent(res);
  }

  /** {@code fields} as a comma-separated value, repeated or not, possibly empty. */
  private static Set<MeetingRequest.Field> fields(UriQuery q) {
    Set<MeetingRequest.Field> out = EnumSet.noneOf(MeetingRequest.Field.class);
    if (q.contains("fields")) {
      for (String v : q.all("fields")) {
        for (String part : v.split(",")) {
          MeetingRequestParser.addField(out, part.trim());
        }
      }
    }
    return out;
  }

  /** The hosted API's key order: startDate, endDate, roomName, roomUrl, meetingId, extra URLs. */
  private Map<String, Object> render(Meeting m, Set<MeetingRequest.Field> requested) {
    Set<MeetingRequest.Field> fields =
        m.isViewerMode() ? EnumSet.allOf(MeetingRequest.Field.class) : requested;
    String roomUrl = publicUrl.get() + m.roomName();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("startDate", date(m.startDate()));
    out.put("endDate", date(m.endDate()));
    out.put("roomName", m.roomName());
    out.put("roomUrl", roomUrl);
    out.put("meetingId", m.meetingId());
    Instant expires = meetings.expiresAt(m);
    if (fields.contains(MeetingRequest.Field.HOST_ROOM_URL)) {
      out.put("hostRoomUrl", withKey(roomUrl, m, RoomKeys.Role.HOST, expires));
    }
    if (fields.contains(MeetingRequest.Field.VIEWER_ROOM_URL)) {
      out.put("viewerRoomUrl", withKey(roomUrl, m, RoomKeys.Role.VIEWER, expires));
    }
    return out;
  }

  private String withKey(String roomUrl, Meeting m, RoomKeys.Role role, Instant expires) {
    return roomUrl + "?roomKey=" + roomKeys.issue(m.roomName(), m.meetingId(), role, expires);
  }

  /** UTC, ending in Z, millisecond precision at most (none shown when zero). */
  static String date(Instant i) {
    return DateTimeFormatter.ISO_INSTANT.format(i.truncatedTo(ChronoUnit.MILLIS));
  }
}
