package dev.parlor.blobs;

/** A {@link BlobStore#put} stream went past its size limit; nothing was stored. */
public final class BlobTooLargeException extends RuntimeException {
  private final long limit;

  public BlobTooLargeException(long limit) {
    super("blob is larger than the limit of " + limit + " bytes", null, false, false);
    this.limit = limit;
  }

  public long limit() {
    return limit;
  }
}
