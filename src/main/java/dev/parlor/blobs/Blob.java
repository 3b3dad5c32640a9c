package dev.parlor.blobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A blob, or a range of one, being read. {@code length} is how many bytes {@link #stream()} yields;
 * {@code totalLength} the size of the whole blob.
 */
public final class Blob implements AutoCloseable {
  private final InputStream stream;
  private final long offset;
  private final long length;
  private final long totalLength;
  private final String contentType;

  public Blob(InputStream stream, long offset, long length, long totalLength, String contentType) {
    this.stream = stream;
    this.offset = offset;
    this.length = length;
    this.totalLength = totalLength;
    this.contentType = contentType;
  }

  public InputStream stream() {
    return stream;
  }

  /** Where the range starts in the blob (0 for a whole blob). */
  public long offset() {
    return offset;
  }

  public long length() {
    return length;
  }

  public long totalLength() {
    return totalLength;
  }

  public String contentType() {
    return contentType;
  }

  @Override
  public void close() {
    try {
      stream.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
