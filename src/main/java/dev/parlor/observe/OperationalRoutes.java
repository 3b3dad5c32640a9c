package dev.parlor.observe;

import dev.parlor.db.Database;
import dev.parlor.http.ApiException;
import dev.parlor.http.ErrorCode;
import dev.parlor.http.Json;
import dev.parlor.http.RouteTable;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** Health, readiness, Prometheus metrics and Parlor's own OpenAPI document. */
public final class OperationalRoutes {
  private final Database database;
  private final PrometheusMeterRegistry registry;
  private final byte[] openApi;

  public OperationalRoutes(Database database, PrometheusMeterRegistry registry) {
    this.database = database;
    this.registry = registry;
    this.openApi = resource("/openapi/parlor-openapi.json");
  }

  public void register(RouteTable routes) {
    routes
        .path("/healthz")
        .on(Method.GET, (req, res) -> Json.send(res, Status.OK_200, Map.of("status", "ok")))
        .done()
        .path("/readyz")
        .on(
            Method.GET,
            (req, res) -> {
              if (!database.isReachable()) {
                throw new ApiException(ErrorCode.UNAVAILABLE, "Database is not reachable");
              }
              Json.send(res, Status.OK_200, Map.of("status", "ready"));
            })
        .done()
        .path("/metrics")
        .on(
            Method.GET,
            (req, res) -> {
              res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
              Json.sendBytes(
                  res, registry.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            })
        .done()
        .path("/v1/openapi.json")
        .on(
            Method.GET,
            (req, res) -> {
              res.header(HeaderNames.CONTENT_TYPE, "application/json");
              Json.sendBytes(res, openApi);
            })
        .done();
  }

  private static byte[] resource(String name) {
    try (InputStream in = OperationalRoutes.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
