package dev.parlor.http;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request metrics by route template and status, and one access log line per request. The line holds
 * the method, the path without its query and the status: never a header, so never a key.
 */
public final class ObservabilityFilter implements Filter {
  private static final Logger access = LoggerFactory.getLogger("parlor.access");

  private final MeterRegistry registry;
  private final ClientAddress clientAddress;
  private final boolean accessLog;
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

  public ObservabilityFilter(
      MeterRegistry registry, ClientAddress clientAddress, boolean accessLog) {
    this.registry = registry;
    this.clientAddress = clientAddress;
    this.accessLog = accessLog;
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    long start = System.nanoTime();
    try {
      chain.proceed();
    } catch (RuntimeException | Error e) {
      // Rendered here rather than by the routing's error handlers so the status is known below.
      ErrorRendering.handle(req, res, e);
    } finally {
      long nanos = System.nanoTime() - start;
      String method = req.prologue().method().text();
      int status = res.status().code();
      String route = RouteTable.routeOf(req);
      timer(method, route, status).record(nanos, TimeUnit.NANOSECONDS);
      if (accessLog && access.isInfoEnabled()) {
        access.info(
            "{} {} {} {} {}ms",
            clientAddress.of(req),
            method,
            req.path().rawPath(),
            status,
            nanos / 1_000_000);
      }
    }
  }

  private Timer timer(String method, String route, int status) {
    String key = method + ' ' + route + ' ' + status;
    Timer t = timers.get(key);
    if (t == null) {
      t =
          timers.computeIfAbsent(
              key,
              k ->
                  Timer.builder("parlor.http.requests")
                      .description("HTTP requests by route and status")
                      .tag("method", method)
                      .tag("route", route)
                      .tag("status", Integer.toString(status))
                      .publishPercentileHistogram()
                      .register(registry));
    }
    return t;
  }
}
