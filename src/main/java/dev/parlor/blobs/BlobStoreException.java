package dev.parlor.blobs;

/** Storage failed: a disk error, an unreachable or refusing S3 endpoint. */
public class BlobStoreException extends RuntimeException {
  public BlobStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
