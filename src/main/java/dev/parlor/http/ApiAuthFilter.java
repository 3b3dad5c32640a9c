package dev.parlor.http;

import dev.parlor.orgs.ApiKeyAuthenticator;
import dev.parlor.orgs.ApiKeyAuthenticator.Principal;
import dev.parlor.ratelimit.RateLimiter;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Authentication and point-based rate limits for every {@code /v1} request, in one place.
 *
 * <p>A request without a valid key is refused with 401 and counts as a failure of its client
 * address; too many failures in a minute from one address get 429 instead (a valid key is never
 * refused for that). An authenticated request costs its organization points (read 1, delete 2,
 * write 3) before it runs, whatever its outcome.
 */
public final class ApiAuthFilter implements Filter {
  private static final String PRINCIPAL_KEY = "parlor.principal";

  /**
   * An HTTP date (RFC 9110 IMF-fixdate). Not {@code RFC_1123_DATE_TIME}, which writes the day of
   * the month without its leading zero ("Tue, 1 Dec 2026") on the first nine days of a month.
   */
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  private final ApiKeyAuthenticator authenticator;
  private final RateLimiter limiter;
  private final ClientAddress clientAddress;
  private final int authFailuresPerMinute;
  private final Consumer<String> onRejected;

  public ApiAuthFilter(
      ApiKeyAuthenticator authenticator,
      RateLimiter limiter,
      ClientAddress clientAddress,
      int authFailuresPerMinute,
      Consumer<String> onRejected) {
    this.authenticator = authenticator;
    this.limiter = limiter;
    this.clientAddress = clientAddress;
    this.authFailuresPerMinute = authFailuresPerMinute;
    this.onRejected = onRejected;
  }

  /** The caller of a {@code /v1} request; present on every request that reached a handler. */
  public static Principal principal(ServerRequest req) {
    return req.context()
        .get(PRINCIPAL_KEY, Principal.class)
        .orElseThrow(() -> new ApiException(ErrorCode.UNAUTHORIZED));
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    String path = req.path().path();
    if (!needsAuth(path)) {
      chain.proceed();
      return;
    }
    try {
      Principal p = authenticate(req);
      req.context().register(PRINCIPAL_KEY, p);
      if (p.pointsPerMinute().isPresent()) {
        charge(req, res, p);
      }
    } catch (ApiException e) {
      ErrorRendering.render(res, e);
      return;
    }
    chain.proceed();
  }

  static boolean needsAuth(String path) {
    return (path.equals("/v1") || path.startsWith("/v1/")) && !path.equals("/v1/openapi.json");
  }

  private Principal authenticate(RoutingRequest req) {
    Optional<Principal> p = bearer(req).flatMap(authenticator::authenticate);
    if (p.isPresent()) {
      return p.get();
    }
    String client = clientAddress.of(req);
    RateLimiter.Decision d =
        limiter.tryConsume("auth-failures:" + client, authFailuresPerMinute, 1);
    if (!d.allowed()) {
      onRejected.accept("auth_failures");
      throw throttled("ip:" + client, d);
    }
    throw new ApiException(ErrorCode.UNAUTHORIZED);
  }

  private static Optional<String> bearer(RoutingRequest req) {
    Optional<String> h = req.headers().first(HeaderNames.AUTHORIZATION);
    if (h.isEmpty()) {
      return Optional.empty();
    }
    String v = h.get().trim();
    if (v.length() < 7 || !v.regionMatches(true, 0, "bearer ", 0, 7)) {
      return Optional.empty();
    }
    String token = v.substring(7).trim();
    return token.isEmpty() || token.length() > 512 ? Optional.empty() : Optional.of(token);
  }

  private void charge(RoutingRequest req, RoutingResponse res, Principal p) {
    long limit = p.pointsPerMinute().getAsLong();
    RateLimiter.Decision d =
        limiter.tryConsume(
            "organization:" + p.organizationId(), limit, cost(req.prologue().method()));
    res.header("X-RateLimit-Limit", Long.toString(limit));
    res.header("X-RateLimit-Remaining", Long.toString(Math.max(0, d.remaining())));
    res.header("X-RateLimit-Reset", HTTP_DATE.format(d.resetAt()));
    if (!d.allowed()) {
      onRejected.accept("organization");
      throw throttled("organization:" + p.organizationId(), d);
    }
  }

  /** Points a request costs: reads 1, deletes 2, writes 3. */
  static long cost(Method m) {
    if (m == Method.GET || m == Method.HEAD || m == Method.OPTIONS) {
      return 1;
    }
    if (m == Method.DELETE) {
      return 2;
    }
    return 3;
  }

  static ApiException throttled(String throttleKey, RateLimiter.Decision d) {
    long ms = d.retryAfterMillis();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("msLeft", ms);
    // One widely used client reads the snake_case spelling.
    data.put("ms_left", ms);
    return new ApiException(
        ErrorCode.RATE_LIMITED,
        "Rate limit active for throttle key: " + throttleKey,
        data,
        Map.of("Retry-After", Long.toString(Math.max(1, (ms + 999) / 1000))));
  }
}
