package dev.parlor.http;

import io.helidon.http.Method;
import java.util.List;
import java.util.Map;

/**
 * Endpoints of the contract that Parlor does not implement yet answer 501 with a JSON error (after
 * authentication, like every /v1 call), so clients can tell "not here yet" from "no such path".
 * Each later issue removes its entries as it lands.
 */
public final class NotImplementedRoutes {
  private record Endpoint(String path, List<Method> methods) {}

  private static final List<Endpoint> ENDPOINTS =
      List.of(
          new Endpoint("/v1/transcriptions", List.of(Method.GET, Method.POST)),
          new Endpoint("/v1/transcriptions/bulk-delete", List.of(Method.POST)),
          new Endpoint("/v1/transcriptions/{id}", List.of(Method.GET, Method.DELETE)),
          new Endpoint("/v1/transcriptions/{id}/access-link", List.of(Method.GET)),
          new Endpoint("/v1/summaries", List.of(Method.GET, Method.POST)),
          new Endpoint("/v1/summaries/{id}", List.of(Method.GET, Method.DELETE)));

  private NotImplementedRoutes() {}

  public static void register(RouteTable routes) {
    for (Endpoint e : ENDPOINTS) {
      RouteTable.PathRoutes p = routes.path(e.path());
      for (Method m : e.methods()) {
        p.on(
            m,
            (req, res) -> {
              throw new ApiException(
                  ErrorCode.NOT_IMPLEMENTED,
                  "This endpoint is part of the Whereby API but not implemented by Parlor yet",
                  Map.of("endpoint", m.text() + " " + e.path()));
            });
      }
      p.done();
    }
  }
}
