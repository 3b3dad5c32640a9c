package dev.parlor.blobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.regex.Pattern;

/** The rules every blob key and prefix follows, on every backend, and a bounded copy. */
public final class BlobKeys {
  /** Segments start with a letter or digit, so none is "." or ".." and no key starts with "/". */
  private static final Pattern KEY =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*");

  private static final Pattern PREFIX =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*/?");

  static final int MAX_LENGTH = 512;

  private BlobKeys() {}

  /** Returns the key, or throws {@link IllegalArgumentException} if it breaks the rules. */
  public static String check(String key) {
    if (key == null || key.length() > MAX_LENGTH || !KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("not a valid blob key: " + key);
    }
    return key;
  }

  /** Returns the prefix (not empty), or throws {@link IllegalArgumentException}. */
  public static String checkPrefix(String prefix) {
    if (prefix == null || prefix.length() > MAX_LENGTH || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("not a valid blob key prefix: " + prefix);
    }
    return prefix;
  }

  /**
   * Copies {@code in} to {@code out} through a small buffer; throws {@link BlobTooLargeException}
   * as soon as more than {@code max} bytes have come.
   */
  static long copyAtMost(InputStream in, OutputStream out, long max) throws IOException {
    byte[] buf = new byte[16 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buf)) >= 0) {
      total += n;
      if (total > max) {
        throw new BlobTooLargeException(max);
      }
      out.write(buf, 0, n);
    }
    return total;
  }
}
