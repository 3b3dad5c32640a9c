package dev.parlor.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * A streaming reader of {@code multipart/form-data} bodies (RFC 7578): each part's content is read
 * straight from the request as a stream, through one fixed buffer, so memory use does not grow with
 * the size of a part. Header blocks and the number of parts are bounded; anything malformed is a
 * {@link MalformedException}.
 */
public final class MultipartReader {
  private static final int BUFFER = 16 * 1024;
  private static final int MAX_HEADER_BYTES = 8 * 1024;
  private static final int MAX_PARTS = 32;
  private static final int MAX_BOUNDARY = 200;

  /** One part: its form field name, file name and content type if given, and its content. */
  public record Part(
      String name, Optional<String> filename, Optional<String> contentType, InputStream body) {}

  /** The body is not well-formed multipart. */
  public static final class MalformedException extends IOException {
    public MalformedException(String message) {
      super(message);
    }
  }

  private final InputStream in;
  private final byte[] delimiter;
  private final byte[] buf;
  private int pos;
  private int lim;
  private boolean started;
  private boolean finished;
  private int parts;
  private PartStream current;

  /**
   * Reads {@code in} as a multipart body with {@code boundary} (the {@code boundary} parameter of
   * its content type).
   */
  public MultipartReader(InputStream in, String boundary) {
    if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
      throw new IllegalArgumentException("a multipart boundary has 1 to 200 characters");
    }
    this.in = in;
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    this.buf = new byte[BUFFER + delimiter.length];
    // The first delimiter may open the body without a line break before it: pretend one.
    buf[0] = '\r';
    buf[1] = '\n';
    lim = 2;
  }

  /** The {@code boundary} parameter of a multipart content type, unquoted. */
  public static Optional<String> boundary(String contentType) {
    for (String param : contentType.split(";")) {
      int eq = param.indexOf('=');
      if (eq > 0 && param.substring(0, eq).trim().equalsIgnoreCase("boundary")) {
        String v = param.substring(eq + 1).trim();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
          v = v.substring(1, v.length() - 1);
        }
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
      }
    }
    return Optional.empty();
  }

  /**
   * The next part, whose body must be read (or not) before the next call; empty after the closing
   * delimiter. Whatever is left of the previous part is skipped.
   */
  public Optional<Part> next() throws IOException {
    if (current != null) {
      current.skipRest();
      current = null;
    } else if (!started) {
      // The preamble, up to the first delimiter, is ignored.
      new PartStream().skipRest();
    }
    started = true;
    if (finished) {
      return Optional.empty();
    }
    // After a delimiter: "--" closes the body; otherwise optional white space and a line break.
    int a = readByte();
    int b = readByte();
    if (a == '-' && b == '-') {
      finished = true;
      return Optional.empty();
    }
    while (a == ' ' || a == '\t') {
      a = b;
      b = readByte();
    }
    if (a != '\r' || b != '\n') {
      throw new MalformedException("a multipart delimiter must end its line");
    }
    if (++parts > MAX_PARTS) {
      throw new MalformedException("a multipart body may have at most " + MAX_PARTS + " parts");
    }
    String name = null;
    String filename = null;
    String type = null;
    int headerBytes = 0;
    while (true) {
      StringBuilder line = new StringBuilder();
      while (true) {
        int c = readByte();
        if (++headerBytes > MAX_HEADER_BYTES) {
          throw new MalformedException("the headers of a multipart part are too long");
        }
        if (c == '\r') {
          if (readByte() != '\n') {
            throw new MalformedException("a multipart header line must end with CRLF");
          }
          break;
        }
        line.append((char) c);
      }
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(":");
      if (colon <= 0) {
        throw new MalformedException("a multipart part has a header without a name");
      }
      String header = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      if (header.equals("content-disposition")) {
        name = parameter(value, "name");
        filename = parameter(value, "filename");
      } else if (header.equals("content-type")) {
        type = value;
      }
    }
    if (name == null) {
      throw new MalformedException("a multipart part has no Content-Disposition name");
    }
    current = new PartStream();
    return Optional.of(
        new Part(name, Optional.ofNullable(filename), Optional.ofNullable(type), current));
  }

  /** A parameter of a Content-Disposition value: token or quoted string. */
  static String parameter(String value, String param) {
    int i = value.indexOf(';');
    while (i >= 0 && i < value.length()) {
      int start = i + 1;
      while (start < value.length() && value.charAt(start) == ' ') {
        start++;
      }
      int eq = value.indexOf('=', start);
      if (eq < 0) {
        return null;
      }
      String key = value.substring(start, eq).trim();
      int p = eq + 1;
      String v;
      if (p < value.length() && value.charAt(p) == '"') {
        StringBuilder sb = new StringBuilder();
        p++;
        while (p < value.length() && value.charAt(p) != '"') {
          char c = value.charAt(p);
          if (c == '\\' && p + 1 < value.length()) {
            c = value.charAt(++p);
          }
          sb.append(c);
          p++;
        }
        v = sb.toString();
        i = value.indexOf(';', p);
      } else {
        int end = value.indexOf(';', p);
        v = (end < 0 ? value.substring(p) : value.substring(p, end)).trim();
        i = end;
      }
      if (key.equalsIgnoreCase(param)) {
        return v;
      }
    }
    return null;
  }

  private int readByte() throws IOException {
    if (pos >= lim && !fill()) {
      throw new MalformedException("the multipart body ended before its closing delimiter");
    }
    return buf[pos++] & 0xff;
  }

  /** Moves what is unread to the front and reads more; false at the end of the input. */
  private boolean fill() throws IOException {
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, lim - pos);
      lim -= pos;
      pos = 0;
    }
    int n = in.read(buf, lim, buf.length - lim);
    if (n < 0) {
      return false;
    }
    lim += n;
    return true;
  }

  private int indexOfDelimiter() {
    byte first = delimiter[0];
    for (int i = pos, last = lim - delimiter.length; i <= last; i++) {
      if (buf[i] != first) {
        continue;
      }
      int j = 1;
      while (j < delimiter.length && buf[i + j] == delimiter[j]) {
        j++;
      }
      if (j == delimiter.length) {
        return i;
      }
    }
    return -1;
  }

  /** A part's content: the bytes up to the next delimiter, which it consumes. */
  private final class PartStream extends InputStream {
    private boolean done;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done || current != this && started) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      while (true) {
        int at = indexOfDelimiter();
        if (at == pos) {
          pos += delimiter.length;
          done = true;
          return -1;
        }
        // Bytes before a delimiter, or that cannot be the start of one, are content.
        int safe = at >= 0 ? at - pos : lim - pos - (delimiter.length - 1);
        if (safe > 0) {
          int n = Math.min(len, safe);
          System.arraycopy(buf, pos, b, off, n);
          pos += n;
          return n;
        }
        if (!fill()) {
          throw new MalformedException("the multipart body ended before its closing delimiter");
        }
      }
    }

    void skipRest() throws IOException {
      byte[] sink = new byte[4096];
      while (read(sink, 0, sink.length) >= 0) {
        // discard
      }
    }
  }
}
