package dev.parlor.recordings;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parlor.blobs.Blob;
import dev.parlor.http.ApiAuthFilter;
import dev.parlor.http.ApiException;
import dev.parlor.http.ErrorCode;
import dev.parlor.http.Json;
import dev.parlor.http.QueryParams;
import dev.parlor.http.RouteTable;
import io.helidon.common.uri.UriQuery;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /v1/recordings} and the public file behind an access link: parse, call, render. */
public final class RecordingRoutes {
  private static final Logger log = LoggerFactory.getLogger(RecordingRoutes.class);
  private static final HeaderName RANGE = HeaderNames.create("Range");
  private static final HeaderName CONTENT_RANGE = HeaderNames.create("Content-Range");
  private static final HeaderName ACCEPT_RANGES = HeaderNames.create("Accept-Ranges");
  private static final HeaderName CONTENT_DISPOSITION = HeaderNames.create("Content-Disposition");
  private static final HeaderName CACHE_CONTROL = HeaderNames.create("Cache-Control");

  private final RecordingService recordings;
  private final Supplier<String> publicUrl;

  public RecordingRoutes(RecordingService recordings, Supplier<String> publicUrl) {
    this.recordings = recordings;
    this.publicUrl = publicUrl;
  }

  public void register(RouteTable routes) {
    routes
        .path("/v1/recordings")
        .on(Method.GET, this::list)
        .done()
        .path("/v1/recordings/bulk-delete")
        .on(Method.POST, this::bulkDelete)
        .done()
        .path("/v1/recordings/{recordingId}")
        .on(Method.GET, this::get)
        .on(Method.DELETE, this::delete)
        .done()
        .path("/v1/recordings/{recordingId}/access-link")
        .on(Method.GET, this::accessLink)
        .done()
        .path("/recordings/{recordingId}/file")
        .on(Method.GET, this::file)
        .done();
  }

  private void list(ServerRequest req, ServerResponse res) {
    long org = ApiAuthFilter.principal(req).organizationId();
    UriQuery q = req.query();
    int limit = QueryParams.limit(q, 1, 100, 50);
    RecordingStore.Sort sort = sort(QueryParams.first(q, "sortBy"));
    Optional<String> room =
        QueryParams.first(q, "roomName")
            .filter(s -> !s.isBlank())
            .map(s -> s.startsWith("/") ? s : "/" + s);
    RecordingService.Page page =
        recordings.list(org, room, sort, QueryParams.first(q, "cursor"), limit);
    List<Map<String, Object>> results = new ArrayList<>(page.recordings().size());
    for (Recording r : page.recordings()) {
      results.add(RecordingService.render(r));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("results", results);
    body.put("cursor", page.nextCursor().orElse(null));
    Json.send(res, Status.OK_200, body);
  }

  /** {@code field:asc|desc}; the field alone sorts ascending; absent is startDate descending. */
  static RecordingStore.Sort sort(Optional<String> sortBy) {
    if (sortBy.isEmpty() || sortBy.get().isBlank()) {
      return new RecordingStore.Sort(RecordingStore.SortField.START_DATE, true);
    }
    String v = sortBy.get().trim();
    int colon = v.indexOf(':');
    String field = colon < 0 ? v : v.substring(0, colon);
    String dir = colon < 0 ? "asc" : v.substring(colon + 1);
    Optional<RecordingStore.SortField> f = RecordingStore.SortField.fromWire(field);
    if (f.isEmpty() || !(dir.equals("asc") || dir.equals("desc"))) {
      throw ApiException.invalidField(
          "sortBy",
          "sortBy must be one of roomName, startDate, duration, sizeInMegaBytes followed by :asc"
              + " or :desc");
    }
    return new RecordingStore.Sort(f.get(), dir.equals("desc"));
  }

  private void get(ServerRequest req, ServerResponse res) {
    long org = ApiAuthFilter.principal(req).organizationId();
    Recording r =
        recordings
            .get(org, req.path().pathParameters().get("recordingId"))
            .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND));
    Json.send(res, Status.OK_200, RecordingService.render(r));
  }

  private void delete(ServerRequest req, ServerResponse res) {
    long org = ApiAuthFilter.principal(req).organizationId();
    recordings.delete(org, req.path().pathParameters().get("recordingId"));
    Json.sendNoContent(res);
  }

  private void bulkDelete(ServerRequest req, ServerResponse res) {
    long org = ApiAuthFilter.principal(req).organizationId();
    JsonNode body = Json.readObject(req);
    JsonNode ids = body.path("recordingIds");
    if (!ids.isArray()) {
      throw ApiException.invalidField("recordingIds", "recordingIds must be an array of strings");
    }
    if (ids.size() > RecordingService.MAX_BULK_IDS) {
      throw ApiException.invalidField(
          "recordingIds",
          "recordingIds may name at most " + RecordingService.MAX_BULK_IDS + " recordings");
    }
    List<String> list = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      if (!ids.get(i).isTextual()) {
        throw ApiException.invalidField(
            "recordingIds[" + i + "]", "recordingIds must be an array of strings");
      }
      list.add(ids.get(i).asText());
    }
    recordings.bulkDelete(org, list);
    Json.sendNoContent(res);
  }

  private void accessLink(ServerRequest req, ServerResponse res) {
    long org = ApiAuthFilter.principal(req).organizationId();
    int seconds = validForSeconds(req.query());
    RecordingService.AccessLink link =
        recordings.accessLink(
            org,
            req.path().pathParameters().get("recordingId"),
            Duration.ofSeconds(seconds),
            publicUrl);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("accessLink", link.url());
    body.put("expires", link.expires().toEpochMilli());
    Json.send(res, Status.OK_200, body);
  }

  private static int validForSeconds(UriQuery q) {
    Optional<String> v = QueryParams.first(q, "validForSeconds").filter(s -> !s.isBlank());
    if (v.isEmpty()) {
      return 3600;
    }
    try {
      int n = Integer.parseInt(v.get().trim());
      if (n >= 1 && n <= 43200) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the 400 below
    }
    throw ApiException.invalidField(
        "validForSeconds", "validForSeconds must be a whole number from 1 to 43200");
  }

  /** The file behind an access link: no API key, single byte ranges, streamed from storage. */
  private void file(ServerRequest req, ServerResponse res) {
    UriQuery q = req.query();
    RecordingService.FileInfo f =
        recordings.checkLink(
            req.path().pathParameters().get("recordingId"),
            QueryParams.first(q, "expires").orElse(""),
            QueryParams.first(q, "signature").orElse(null));
    long size = f.size();
    ByteRange.Result asked = ByteRange.of(req.headers().first(RANGE), size);
    if (asked instanceof ByteRange.Unsatisfiable) {
      unsatisfiable(res, size);
      return;
    }
    boolean partial = asked instanceof ByteRange.Partial;
    ByteRange range = asked instanceof ByteRange.Partial p ? p.range() : new ByteRange(0, size);
    long start = range.start();
    long length = range.length();
    res.status(partial ? Status.PARTIAL_CONTENT_206 : Status.OK_200);
    res.header(HeaderNames.CONTENT_TYPE, f.contentType());
    res.header(ACCEPT_RANGES, "bytes");
    res.header(CACHE_CONTROL, "private, no-store");
    res.header(
        CONTENT_DISPOSITION,
        "inline; filename=\"" + f.recording().filename().replace("\"", "") + "\"");
    if (partial) {
      res.header(CONTENT_RANGE, range.contentRange(size));
    }
    res.contentLength(length);
    if (req.prologue().method() == Method.HEAD || length == 0) {
      res.send();
      return;
    }
    try (Blob blob = recordings.open(f, start, length)) {
      try (OutputStream out = res.outputStream()) {
        blob.stream().transferTo(out);
      } catch (IOException | UncheckedIOException e) {
        // The client went away mid-download (or storage failed after the headers were sent):
        // there is no answer left to give.
        log.debug(
            "Download of recording {} ended early: {}", f.recording().recordingId(), e.toString());
      }
    }
  }

  private static void unsatisfiable(ServerResponse res, long size) {
    res.header(CONTENT_RANGE, "bytes */" + size);
    res.header(ACCEPT_RANGES, "bytes");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", "The requested range is not satisfiable");
    body.put("data", Map.of("size", size));
    Json.send(res, Status.REQUESTED_RANGE_NOT_SATISFIABLE_416, body);
  }
}
