package dev.parlor.blobs;

import java.io.InputStream;
import java.util.Optional;

/**
 * Named byte streams of any size: images now, recordings later. Implementations never hold a whole
 * blob in memory: {@link #put} streams to storage and {@link #open} hands back a stream.
 *
 * <p>Keys are relative paths of letters, digits, {@code .}, {@code _} and {@code -} separated by
 * single slashes (see {@link BlobKeys}); storage failures are {@link BlobStoreException}s.
 */
public interface BlobStore extends AutoCloseable {

  /**
   * Stores everything {@code in} yields under {@code key}, replacing any blob there, and returns
   * the number of bytes stored. More than {@code maxBytes} throws {@link BlobTooLargeException} and
   * leaves the key as it was. A reader sees the old blob or the new one, never a part.
   */
  long put(String key, InputStream in, long maxBytes, String contentType);

  /** The whole blob to read, or empty when there is none. The caller closes it. */
  Optional<Blob> open(String key);

  /**
   * {@code length} bytes of the blob from {@code offset} (fewer where the blob ends first; none
   * when {@code offset} is at or past its end), or empty when there is no blob. The caller closes
   * it.
   */
  Optional<Blob> open(String key, long offset, long length);

  /** The blob's size and content type, without reading it; empty when there is none. */
  Optional<BlobInfo> stat(String key);

  default boolean exists(String key) {
    return stat(key).isPresent();
  }

  /** Deletes the blob; deleting a blob that is not there is no error. */
  void delete(String key);

  /**
   * Deletes every blob whose key starts with {@code prefix} (not empty) and returns how many there
   * were.
   */
  int deleteByPrefix(String prefix);

  @Override
  void close();
}
