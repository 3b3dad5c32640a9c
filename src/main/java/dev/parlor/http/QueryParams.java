package dev.parlor.http;

import io.helidon.common.uri.UriQuery;
import java.util.Optional;

/** Reads of common query parameters with 400s that name the parameter. */
public final class QueryParams {
  private QueryParams() {}

  public static Optional<String> first(UriQuery q, String name) {
    return q.contains(name) ? q.first(name).asOptional() : Optional.empty();
  }

  /** {@code limit} between {@code min} and {@code max}, or the default when absent or empty. */
  public static int limit(UriQuery q, int min, int max, int dflt) {
    Optional<String> v = first(q, "limit").filter(s -> !s.isBlank());
    if (v.isEmpty()) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.get().trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through to the 400
    }
    throw ApiException.invalidField(
        "limit", "limit must be a whole number from " + min + " to " + max);
  }
}
