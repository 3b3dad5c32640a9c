package dev.parlor.webhooks;

import java.util.List;
import java.util.Map;

/**
 * JSON text exactly as JavaScript's {@code JSON.stringify} writes the same value: no whitespace,
 * members in insertion order, non-ASCII characters as themselves, and only {@code "}, {@code \},
 * control characters and lone surrogates escaped ({@code \b \f \n \r \t}, else backslash-u and four
 * lowercase hex). The hosted service's verification sample re-serializes the parsed body with
 * {@code JSON.stringify} before checking the signature, so the bytes Parlor signs must be the bytes
 * that call produces; Jackson differs (uppercase hex escapes, lone surrogates written raw).
 *
 * <p>Values: {@link Map} with string keys (keys must not look like array indexes, which {@code
 * JSON.stringify} would move to the front), {@link List}, {@link String}, {@link Boolean}, {@code
 * null}, and integral {@link Number}s (Long, Integer) within 2^53.
 */
public final class StringifyJson {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final long MAX_SAFE = (1L << 53) - 1;

  private StringifyJson() {}

  public static String write(Object value) {
    StringBuilder out = new StringBuilder(256);
    write(out, value);
    return out.toString();
  }

  private static void write(StringBuilder out, Object v) {
    switch (v) {
      case null -> out.append("null");
      case String s -> string(out, s);
      case Boolean b -> out.append(b ? "true" : "false");
      case Long n -> integral(out, n);
      case Integer n -> integral(out, n);
      case Map<?, ?> m -> {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (!(e.getKey() instanceof String key)) {
            throw new IllegalArgumentException("object keys must be strings");
          }
          if (!key.isEmpty() && key.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(
                "JSON.stringify would reorder the array-index-like key " + key);
          }
          if (!first) {
            out.append(',');
          }
          first = false;
          string(out, key);
          out.append(':');
          write(out, e.getValue());
        }
        out.append('}');
      }
      case List<?> l -> {
        out.append('[');
        for (int i = 0; i < l.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          write(out, l.get(i));
        }
        out.append(']');
      }
      default ->
          throw new IllegalArgumentException(
              "cannot write " + v.getClass().getSimpleName() + " as JSON.stringify does");
    }
  }

  private static void integral(StringBuilder out, long n) {
    if (n > MAX_SAFE || n < -MAX_SAFE) {
      throw new IllegalArgumentException("integer beyond 2^53: " + n);
    }
    out.append(n);
  }

  private static void string(StringBuilder out, String s) {
    out.append('"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            unicode(out, c);
          } else if (Character.isHighSurrogate(c)) {
            if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
              out.append(c).append(s.charAt(++i));
            } else {
              unicode(out, c);
            }
          } else if (Character.isLowSurrogate(c)) {
            unicode(out, c);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static void unicode(StringBuilder out, char c) {
    out.append("\\u")
        .append(HEX[(c >> 12) & 0xF])
        .append(HEX[(c >> 8) & 0xF])
        .append(HEX[(c >> 4) & 0xF])
        .append(HEX[c & 0xF]);
  }
}
