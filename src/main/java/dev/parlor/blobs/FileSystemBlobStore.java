package dev.parlor.blobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Blobs as files under a root directory: {@code data/<key>} holds the bytes, {@code meta/<key>} the
 * content type. A put streams into a temporary file in {@code tmp/}, forces it to disk and moves it
 * into place atomically, so readers never see part of a blob and a crash leaves only a temporary
 * file, which the next start deletes.
 */
public final class FileSystemBlobStore implements BlobStore {
  private static final String DEFAULT_TYPE = "application/octet-stream";
  private static final Duration STALE_AFTER = Duration.ofHours(1);

  private final Path data;
  private final Path meta;
  private final Path tmp;

  public FileSystemBlobStore(Path root) {
    Path r = root.toAbsolutePath().normalize();
    this.data = r.resolve("data");
    this.meta = r.resolve("meta");
    this.tmp = r.resolve("tmp");
    try {
      Files.createDirectories(data);
      Files.createDirectories(meta);
      Files.createDirectories(tmp);
      // Leftovers of puts that a crash interrupted; only old ones, since another process on the
      // same directory (the CLI beside a server) may be writing the newer ones.
      FileTime cutoff = FileTime.from(Instant.now().minus(STALE_AFTER));
      try (Stream<Path> s = Files.list(tmp)) {
        for (Path p : s.toList()) {
          if (Files.getLastModifiedTime(p).compareTo(cutoff) < 0) {
            Files.deleteIfExists(p);
          }
        }
      }
    } catch (IOException e) {
      throw new BlobStoreException("cannot prepare the blob directory " + r + ": " + e, e);
    }
  }

  @Override
  public long put(String key, InputStream in, long maxBytes, String contentType) {
    BlobKeys.check(key);
    Path part = null;
    Path typePart = null;
    try {
      part = Files.createTempFile(tmp, "put-", ".part");
      long size;
      try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE);
          OutputStream out = Channels.newOutputStream(ch)) {
        size = BlobKeys.copyAtMost(in, out, maxBytes);
        ch.force(true);
      }
      typePart = Files.createTempFile(tmp, "type-", ".part");
      Files.writeString(typePart, contentType == null ? DEFAULT_TYPE : contentType);
      moveIntoPlace(typePart, meta.resolve(key));
      moveIntoPlace(part, data.resolve(key));
      return size;
    } catch (IOException e) {
      throw new BlobStoreException("cannot store blob " + key + ": " + e, e);
    } finally {
      deleteQuietly(part);
      deleteQuietly(typePart);
    }
  }

  /** Moves a finished file to its key; retries when a concurrent delete pruned the directory. */
  private static void moveIntoPlace(Path from, Path to) throws IOException {
    for (int attempt = 1; ; attempt++) {
      Files.createDirectories(to.getParent());
      try {
        try {
          Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
        return;
      } catch (NoSuchFileException e) {
        if (attempt >= 3 || !Files.exists(from)) {
          throw e;
        }
      }
    }
  }

  @Override
  public Optional<Blob> open(String key) {
    return open(key, 0, Long.MAX_VALUE);
  }

  @Override
  public Optional<Blob> open(String key, long offset, long length) {
    BlobKeys.check(key);
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("offset and length must not be negative");
    }
    Path file = data.resolve(key);
    FileChannel ch;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new BlobStoreException("cannot read blob " + key + ": " + e, e);
    }
    try {
      long total = ch.size();
      long start = Math.min(offset, total);
      long n = Math.min(length, total - start);
      ch.position(start);
      InputStream in = new BoundedInputStream(Channels.newInputStream(ch), n);
      return Optional.of(new Blob(in, start, n, total, contentType(key)));
    } catch (IOException e) {
      closeQuietly(ch);
      throw new BlobStoreException("cannot read blob " + key + ": " + e, e);
    }
  }

  @Override
  public Optional<BlobInfo> stat(String key) {
    BlobKeys.check(key);
    Path file = data.resolve(key);
    try {
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      return Optional.of(new BlobInfo(key, Files.size(file), contentType(key)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new BlobStoreException("cannot read blob " + key + ": " + e, e);
    }
  }

  private String contentType(String key) {
    try {
      return Files.readString(meta.resolve(key), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return DEFAULT_TYPE;
    }
  }

  @Override
  public void delete(String key) {
    BlobKeys.check(key);
    try {
      Files.deleteIfExists(data.resolve(key));
      Files.deleteIfExists(meta.resolve(key));
      pruneEmptyParents(key);
    } catch (IOException e) {
      throw new BlobStoreException("cannot delete blob " + key + ": " + e, e);
    }
  }

  @Override
  public int deleteByPrefix(String prefix) {
    BlobKeys.checkPrefix(prefix);
    int slash = prefix.lastIndexOf('/');
    Path dir = slash < 0 ? data : data.resolve(prefix.substring(0, slash));
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    List<String> keys = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      s.filter(Files::isRegularFile)
          .map(p -> data.relativize(p).toString().replace('\\', '/'))
          .filter(k -> k.startsWith(prefix))
          .forEach(keys::add);
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw new BlobStoreException("cannot list blobs under " + prefix + ": " + e, e);
    }
    for (String k : keys) {
      delete(k);
    }
    return keys.size();
  }

  /** Removes the directories a delete left empty, up to the root; a concurrent put may refill. */
  private void pruneEmptyParents(String key) {
    for (Path base : new Path[] {data, meta}) {
      Path p = base.resolve(key).getParent();
      while (p != null && !p.equals(base) && p.startsWith(base)) {
        try {
          Files.deleteIfExists(p);
        } catch (DirectoryNotEmptyException e) {
          break;
        } catch (IOException e) {
          break;
        }
        p = p.getParent();
      }
    }
  }

  @Override
  public void close() {}

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // a temporary file left behind is deleted on the next start
      }
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // nothing more to do
    }
  }

  /** Yields at most {@code remaining} bytes of the underlying stream. */
  private static final class BoundedInputStream extends InputStream {
    private final InputStream in;
    private long remaining;

    BoundedInputStream(InputStream in, long remaining) {
      this.in = in;
      this.remaining = remaining;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
