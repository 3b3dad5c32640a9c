package dev.parlor.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Passes a stream through, failing with {@link TooLargeException} past {@code limit} bytes. */
public final class LimitedInputStream extends FilterInputStream {
  private final long limit;
  private long count;

  /** More than the limit came. */
  public static final class TooLargeException extends IOException {
    private final long limit;

    public TooLargeException(long limit) {
      super("more than " + limit + " bytes");
      this.limit = limit;
    }

    public long limit() {
      return limit;
    }
  }

  public LimitedInputStream(InputStream in, long limit) {
    super(in);
    this.limit = limit;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0 && ++count > limit) {
      throw new TooLargeException(limit);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      count += n;
      if (count > limit) {
        throw new TooLargeException(limit);
      }
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] sink = new byte[(int) Math.min(8192, Math.max(0, n))];
    long skipped = 0;
    while (skipped < n) {
      int r = read(sink, 0, (int) Math.min(sink.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
