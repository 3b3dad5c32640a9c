package dev.parlor.http;

import dev.parlor.ratelimit.RateLimiter;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.function.Consumer;

/**
 * A budget of requests per client address per minute for everything served without an API key: room
 * pages and their scripts, public themes and their images, recording files behind signed links.
 * Those are reachable by anyone on the internet, and a recording file can be large, so one address
 * must not be able to monopolize the server. Health checks and metrics are exempt (load balancers
 * poll them), and {@code /v1} has its own limits ({@link ApiAuthFilter}).
 */
public final class PublicRateLimitFilter implements Filter {
  private final RateLimiter limiter;
  private final ClientAddress clientAddress;
  private final int requestsPerMinute;
  private final Consumer<String> onRejected;

  public PublicRateLimitFilter(
      RateLimiter limiter,
      ClientAddress clientAddress,
      int requestsPerMinute,
      Consumer<String> onRejected) {
    this.limiter = limiter;
    this.clientAddress = clientAddress;
    this.requestsPerMinute = requestsPerMinute;
    this.onRejected = onRejected;
  }

  static boolean limited(String path) {
    return !(path.equals("/v1")
        || path.startsWith("/v1/")
        || path.equals("/healthz")
        || path.equals("/readyz")
        || path.equals("/metrics"));
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    if (!limited(req.path().path())) {
      chain.proceed();
      return;
    }
    String client = clientAddress.of(req);
    RateLimiter.Decision d = limiter.tryConsume("public:" + client, requestsPerMinute, 1);
    if (!d.allowed()) {
      onRejected.accept("public");
      ErrorRendering.render(res, ApiAuthFilter.throttled("ip:" + client, d));
      return;
    }
    chain.proceed();
  }
}
