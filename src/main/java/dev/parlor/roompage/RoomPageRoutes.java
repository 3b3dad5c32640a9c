package dev.parlor.roompage;

import dev.parlor.http.Json;
import dev.parlor.meetings.Meeting;
import dev.parlor.meetings.MeetingService;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The browser side of a room: {@code GET /<roomName>} serves the room page of a live meeting (a
 * "room not found or ended" page otherwise), and {@code /_parlor/*} serves its script, styles and
 * the {@code <parlor-embed>} component. Registered straight on the routing (not the API's route
 * table): these are pages, not API operations.
 */
public final class RoomPageRoutes {
  /** Room names as {@code RoomNames} makes them: a-z, 0-9 and '-'. */
  private static final Pattern ROOM_SEGMENT = Pattern.compile("[A-Za-z0-9_-]{1,100}");

  private static final Map<String, String> ASSETS =
      Map.of(
          "room.js", "text/javascript; charset=utf-8",
          "room.css", "text/css; charset=utf-8",
          "embed.js", "text/javascript; charset=utf-8");

  private final MeetingService meetings;
  private final List<String> embedOrigins;
  private final String roomTemplate;
  private final byte[] notFound;
  private final Map<String, byte[]> assets;

  public RoomPageRoutes(MeetingService meetings, List<String> embedOrigins) {
    this.meetings = meetings;
    this.embedOrigins = embedOrigins;
    this.roomTemplate = new String(resource("room.html"), StandardCharsets.UTF_8);
    this.notFound = resource("notfound.html");
    this.assets =
        Map.of(
            "room.js", resource("room.js"),
            "room.css", resource("room.css"),
            "embed.js", resource("embed.js"));
  }

  /** Register after every API and operational route and before the JSON 404 fallback. */
  public void register(HttpRouting.Builder routing) {
    for (String name : ASSETS.keySet()) {
      Handler h =
          (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, ASSETS.get(name));
            res.header(HeaderNames.CACHE_CONTROL, "no-cache");
            Json.sendBytes(res, assets.get(name));
          };
      routing.route(Method.GET, "/_parlor/" + name, h);
      routing.route(Method.HEAD, "/_parlor/" + name, h);
    }
    Handler page = this::roomPage;
    routing.route(Method.GET, "/{roomName}", page);
    routing.route(Method.HEAD, "/{roomName}", page);
  }

  private void roomPage(ServerRequest req, ServerResponse res) {
    String name = req.path().pathParameters().first("roomName").orElse("");
    boolean wantsHtml =
        req.headers().first(HeaderNames.ACCEPT).map(a -> a.contains("text/html")).orElse(false);
    Optional<Meeting> meeting =
        ROOM_SEGMENT.matcher(name).matches()
            ? meetings.findLiveByRoomName("/" + name)
            : Optional.empty();
    if (meeting.isEmpty()) {
      if (!wantsHtml) {
        res.next(); // API clients keep getting the JSON 404
        return;
      }
      res.status(Status.NOT_FOUND_404);
      res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
      res.header(HeaderNames.CACHE_CONTROL, "no-store");
      Json.sendBytes(res, notFound);
      return;
    }
    Meeting m = meeting.get();
    String config =
        new String(
                Json.bytes(
                    Map.of(
                        "roomName",
                        m.roomName(),
                        "roomMode",
                        m.roomMode().wire(),
                        "signalingPath",
                        "/_parlor/signal",
                        "embedOrigins",
                        embedOrigins)),
                StandardCharsets.UTF_8)
            .replace("<", "\\u003c");
    byte[] html = roomTemplate.replace("{{CONFIG}}", config).getBytes(StandardCharsets.UTF_8);
    res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.header("Content-Security-Policy", "frame-ancestors " + frameAncestors());
    res.header("Referrer-Policy", "no-referrer"); // the URL carries the room key
    Json.sendBytes(res, html);
  }

  String frameAncestors() {
    if (embedOrigins.contains("*")) {
      return "*";
    }
    return "'self' " + String.join(" ", embedOrigins);
  }

  private static byte[] resource(String name) {
    try (InputStream in = RoomPageRoutes.class.getResourceAsStream("/roompage/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource /roompage/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
