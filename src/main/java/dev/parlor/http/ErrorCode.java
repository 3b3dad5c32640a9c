package dev.parlor.http;

/** Every error Parlor answers with, its HTTP status and default message. */
public enum ErrorCode {
  INVALID_REQUEST(400, "Invalid request"),
  MALFORMED_JSON(400, "Request body must be valid JSON"),
  UNAUTHORIZED(401, "Access token is missing or invalid"),
  FORBIDDEN(403, "Not allowed to perform action"),
  NOT_FOUND(404, "The requested resource doesn't exist"),
  METHOD_NOT_ALLOWED(405, "Method not allowed"),
  PAYLOAD_TOO_LARGE(413, "Request body is too large"),
  UNSUPPORTED_MEDIA_TYPE(415, "Unsupported content type"),
  RATE_LIMITED(429, "Rate limit active"),
  INTERNAL(500, "Internal server error"),
  NOT_IMPLEMENTED(501, "Not implemented by this server yet"),
  UNAVAILABLE(503, "Service unavailable");

  private final int status;
  private final String message;

  ErrorCode(int status, String message) {
    this.status = status;
    this.message = message;
  }

  public int status() {
    return status;
  }

  public String defaultMessage() {
    return message;
  }
}
