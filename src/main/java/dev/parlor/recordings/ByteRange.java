package dev.parlor.recordings;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A single {@code Range: bytes=...} request (RFC 9110, section 14) against a file of known size:
 * {@code first-last}, {@code first-} or {@code -suffix}.
 */
record ByteRange(long start, long length) {
  private static final Pattern BYTES = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

  /** What a request's Range header asks of a file of {@code size} bytes. */
  sealed interface Result permits Whole, Partial, Unsatisfiable {}

  /** No usable range (none, several, another unit, or invalid): the whole file, 200. */
  record Whole() implements Result {}

  record Partial(ByteRange range) implements Result {}

  /** A valid range that selects nothing of this file: 416. */
  record Unsatisfiable() implements Result {}

  static Result of(Optional<String> header, long size) {
    if (header.isEmpty()) {
      return new Whole();
    }
    Matcher m = BYTES.matcher(header.get().trim());
    if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
      return new Whole();
    }
    if (m.group(1).isEmpty()) {
      long suffix = Long.parseLong(m.group(2));
      if (suffix == 0 || size == 0) {
        return new Unsatisfiable();
      }
      long start = Math.max(0, size - suffix);
      return new Partial(new ByteRange(start, size - start));
    }
    long first = Long.parseLong(m.group(1));
    long last = m.group(2).isEmpty() ? Long.MAX_VALUE : Long.parseLong(m.group(2));
    if (last < first) {
      return new Whole(); // an invalid range is ignored
    }
    if (first >= size) {
      return new Unsatisfiable();
    }
    return new Partial(new ByteRange(first, Math.min(last, size - 1) - first + 1));
  }

  /** The Content-Range value of this range of a file of {@code size} bytes. */
  String contentRange(long size) {
    return "bytes " + start + "-" + (start + length - 1) + "/" + size;
  }
}
