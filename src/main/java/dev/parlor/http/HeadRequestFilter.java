package dev.parlor.http;

import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * HEAD answers like GET, with the same status and headers and no body. Helidon's HTTP/1 server
 * writes whatever entity a handler sends, HEAD or not, and bytes a client does not expect after a
 * HEAD response corrupt the next response on the same kept-alive connection. Registered before
 * every other filter, this marks the thread serving a HEAD request (filters, handlers and error
 * rendering all run on it, one request at a time) so that {@link Json#sendBytes} sends the headers,
 * {@code Content-Length} included, and no body.
 */
public final class HeadRequestFilter implements Filter {
  private static final ThreadLocal<Boolean> SERVING_HEAD = new ThreadLocal<>();

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    if (req.prologue().method() != Method.HEAD) {
      chain.proceed();
      return;
    }
    SERVING_HEAD.set(Boolean.TRUE);
    try {
      chain.proceed();
    } finally {
      SERVING_HEAD.remove();
    }
  }

  /** Whether the current thread is answering a HEAD request. */
  public static boolean servingHead() {
    return SERVING_HEAD.get() != null;
  }
}
