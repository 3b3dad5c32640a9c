package dev.parlor.http;

import io.helidon.http.BadRequestException;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one renderer of errors: {@link ApiException}s, Helidon's own routing and parsing errors, and
 * anything unexpected all leave as {@code {"error": "...", "data": {...}}} JSON. Unexpected
 * exceptions are logged and answered with a generic 500 that carries no internal detail.
 */
public final class ErrorRendering {
  private static final Logger log = LoggerFactory.getLogger(ErrorRendering.class);

  private ErrorRendering() {}

  public static void register(HttpRouting.Builder routing) {
    routing.error(ApiException.class, (req, res, e) -> render(res, e));
    routing.error(
        HttpException.class,
        (req, res, e) -> {
          if (e.getCause() instanceof ApiException api) {
            render(res, api);
          } else {
            render(res, fromHelidon(e.status(), e instanceof BadRequestException));
          }
        });
    routing.error(Throwable.class, ErrorRendering::handle);
  }

  /** Renders any throwable: the client's errors as they are, the rest as a logged, bare 500. */
  public static void handle(ServerRequest req, ServerResponse res, Throwable e) {
    if (e instanceof ApiException api) {
      render(res, api);
    } else if (e.getCause() instanceof ApiException api) {
      render(res, api);
    } else if (e instanceof HttpException he && he.status().code() < 500) {
      render(res, fromHelidon(he.status(), he instanceof BadRequestException));
    } else {
      log.error("Unhandled error on {} {}", req.prologue().method(), req.path().path(), e);
      render(res, new ApiException(ErrorCode.INTERNAL));
    }
  }

  /** JSON for the errors Helidon answers before routing (bad request line, headers, size). */
  public static DirectHandlers directHandlers() {
    DirectHandler handler =
        (request, eventType, status, headers, message) -> {
          ApiException e = fromHelidon(status, eventType == DirectHandler.EventType.BAD_REQUEST);
          return DirectHandler.TransportResponse.builder()
              .status(status)
              .headers(headers)
              .header(HeaderValues.CONTENT_TYPE_JSON)
              .entity(Json.bytes(body(e)))
              .build();
        };
    DirectHandlers.Builder b = DirectHandlers.builder();
    for (DirectHandler.EventType t : DirectHandler.EventType.values()) {
      b.addHandler(t, handler);
    }
    return b.build();
  }

  private static ApiException fromHelidon(Status status, boolean badRequest) {
    int code = status.code();
    for (ErrorCode c : ErrorCode.values()) {
      if (c.status() == code && !(badRequest && c == ErrorCode.MALFORMED_JSON)) {
        return new ApiException(c);
      }
    }
    return new ApiException(
        code >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_REQUEST, status.reasonPhrase());
  }

  public static void render(ServerResponse res, ApiException e) {
    if (res.isSent()) {
      return;
    }
    e.headers().forEach(res::header);
    Json.send(res, Status.create(e.code().status()), body(e));
  }

  static Map<String, Object> body(ApiException e) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", e.getMessage());
    if (!e.data().isEmpty()) {
      body.put("data", e.data());
    }
    return body;
  }
}
