package dev.parlor.http;

import java.util.Map;

/**
 * The one exception every layer throws for an error the client should see; {@link ErrorRendering}
 * turns it into {@code {"error": ..., "data": ...}} with the code's status.
 */
public final class ApiException extends RuntimeException {
  private final ErrorCode code;
  private final Map<String, Object> data;
  private final Map<String, String> headers;

  public ApiException(ErrorCode code, String message, Map<String, Object> data) {
    this(code, message, data, Map.of());
  }

  public ApiException(
      ErrorCode code, String message, Map<String, Object> data, Map<String, String> headers) {
    super(message, null, false, false);
    this.code = code;
    this.data = data;
    this.headers = headers;
  }

  public ApiException(ErrorCode code) {
    this(code, code.defaultMessage(), Map.of());
  }

  public ApiException(ErrorCode code, String message) {
    this(code, message, Map.of());
  }

  /** A 400 about one named field of the request. */
  public static ApiException invalidField(String field, String message) {
    return new ApiException(ErrorCode.INVALID_REQUEST, message, Map.of("field", field));
  }

  public ErrorCode code() {
    return code;
  }

  public Map<String, Object> data() {
    return data;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
