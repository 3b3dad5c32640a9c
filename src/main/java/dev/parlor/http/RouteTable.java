package dev.parlor.http;

import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Registers routes the way a long-lived public API needs them: each path also answers with a
 * trailing slash, HEAD is served by GET, and a known path asked with another method gets a JSON 405
 * instead of falling through to 404.
 */
public final class RouteTable {
  private static final String ROUTE_KEY = "parlor.route";

  private final HttpRouting.Builder routing;
  private final List<Route> registered = new ArrayList<>();

  /** A registered path pattern and the methods it serves (HEAD included wherever GET is). */
  public record Route(String pattern, List<String> methods) {}

  public RouteTable(HttpRouting.Builder routing) {
    this.routing = routing;
  }

  /**
   * Starts a path; add methods with {@link PathRoutes#on} and finish with {@link PathRoutes#done}.
   */
  public PathRoutes path(String pattern) {
    return new PathRoutes(pattern);
  }

  /** Every path registered so far, in registration order (the trailing-slash twins left out). */
  public List<Route> routes() {
    return List.copyOf(registered);
  }

  /** Answers every request no route matched with a JSON 404. Register last. */
  public void notFoundFallback() {
    routing.any(
        (req, res) -> {
          throw new ApiException(ErrorCode.NOT_FOUND);
        });
  }

  /** The route template that served this request, for metrics; "unmatched" when none did. */
  public static String routeOf(ServerRequest req) {
    return req.context().get(ROUTE_KEY, String.class).orElse("unmatched");
  }

  public final class PathRoutes {
    private final String pattern;
    private final Map<Method, Handler> handlers = new LinkedHashMap<>();

    private PathRoutes(String pattern) {
      this.pattern = pattern;
    }

    public PathRoutes on(Method method, Handler handler) {
      handlers.put(method, handler);
      return this;
    }

    public RouteTable done() {
      if (handlers.containsKey(Method.GET) && !handlers.containsKey(Method.HEAD)) {
        handlers.put(Method.HEAD, handlers.get(Method.GET));
      }
      List<String> methods = handlers.keySet().stream().map(Method::text).toList();
      registered.add(new Route(pattern, methods));
      String allowed = String.join(", ", methods);
      for (String p : new String[] {pattern, pattern + "/"}) {
        handlers.forEach(
            (m, h) ->
                routing.route(
                    m,
                    p,
                    (req, res) -> {
                      req.context().register(ROUTE_KEY, pattern);
                      h.handle(req, res);
                    }));
        routing.any(
            p,
            (req, res) -> {
              req.context().register(ROUTE_KEY, pattern);
              throw new ApiException(
                  ErrorCode.METHOD_NOT_ALLOWED,
                  "Method " + req.prologue().method().text() + " is not allowed on this path",
                  Map.of("allowed", allowed),
                  Map.of("Allow", allowed));
            });
      }
      return RouteTable.this;
    }
  }
}
