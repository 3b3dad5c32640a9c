package dev.parlor.themes;

import dev.parlor.blobs.BlobStore;
import dev.parlor.http.ApiException;
import dev.parlor.http.ErrorCode;
import dev.parlor.http.LimitedInputStream;
import dev.parlor.http.MultipartReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Takes an uploaded image from its stream to the blob store: spooled to a temporary file within the
 * slot's size limit (memory stays at one small buffer whatever the upload), checked by {@link
 * ImageValidator}, stripped of metadata by {@link MetadataStripper}, checked again as stored, and
 * put under a key that carries a hash of its bytes.
 */
final class ThemeImages {
  private final BlobStore blobs;
  private final Path tmpDir;
  private final ImageValidator validator = new ImageValidator();
  private final MetadataStripper stripper = new MetadataStripper();

  ThemeImages(BlobStore blobs, Path tmpDir) {
    this.blobs = blobs;
    this.tmpDir = tmpDir;
    try {
      Files.createDirectories(tmpDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + tmpDir, e);
    }
    clearTemporaryFiles();
  }

  /** A 413 naming the slot's limit. */
  static ApiException tooLarge(ImageSlot slot) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("field", "image");
    data.put("limitBytes", slot.maxBytes());
    return new ApiException(
        ErrorCode.PAYLOAD_TOO_LARGE,
        "image is larger than the limit of "
            + slot.limitText()
            + " ("
            + slot.maxBytes()
            + " bytes) for "
            + (slot == ImageSlot.LOGO ? "a logo" : "a background"),
        data);
  }

  /**
   * Stores the image {@code in} yields as {@code <keyPrefix><slot>-<hash>-<random>.<ext>}; throws
   * 400s for anything that is not an acceptable image and a 413 past the slot's limit.
   */
  ThemeImage.Uploaded ingest(InputStream in, ImageSlot slot, String keyPrefix) {
    Path raw = null;
    Path clean = null;
    try {
      raw = Files.createTempFile(tmpDir, "upload-", ".raw");
      long size;
      try (OutputStream out = Files.newOutputStream(raw)) {
        size = copyAtMost(in, out, slot.maxBytes());
      } catch (UploadReadException e) {
        throw readFailure(e.getCause(), slot);
      }
      if (size < 0) {
        throw tooLarge(slot);
      }
      if (size == 0) {
        throw ImageValidator.invalid("image is empty");
      }
      ImageValidator.Inspection declared = validator.inspect(raw);
      clean = Files.createTempFile(tmpDir, "upload-", ".clean");
      stripper.strip(declared.format(), raw, clean);
      ImageValidator.Inspection stored = validator.inspect(clean);
      if (stored.width() != declared.width() || stored.height() != declared.height()) {
        throw ImageValidator.invalid(ImageValidator.damaged(declared.format()));
      }
      validator.decode(clean, stored);
      String sha256 = sha256(clean);
      long storedSize = Files.size(clean);
      // The hash names the content (and its public URL); the random part makes every upload its
      // own blob, so deleting a replaced image can never delete the blob another upload of the
      // same content, racing this one, is about to point at.
      String key =
          keyPrefix
              + slot.wire()
              + "-"
              + sha256.substring(0, 16)
              + "-"
              + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt())
              + "."
              + stored.format().extension();
      try (InputStream body = Files.newInputStream(clean)) {
        blobs.put(key, body, storedSize, stored.format().contentType());
      }
      return new ThemeImage.Uploaded(
          key, sha256, stored.format(), storedSize, stored.width(), stored.height());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteQuietly(raw);
      deleteQuietly(clean);
    }
  }

  /** What a failure to read the upload means to the client. */
  private static ApiException readFailure(IOException e, ImageSlot slot) {
    if (e instanceof LimitedInputStream.TooLargeException) {
      return tooLarge(slot);
    }
    if (e instanceof MultipartReader.MalformedException) {
      return new ApiException(
          ErrorCode.INVALID_REQUEST, "Malformed multipart body: " + e.getMessage());
    }
    return new ApiException(ErrorCode.INVALID_REQUEST, "Could not read the request body");
  }

  /** Reading the upload failed (not writing the temporary file). */
  private static final class UploadReadException extends IOException {
    UploadReadException(IOException cause) {
      super(cause);
    }

    @Override
    public synchronized IOException getCause() {
      return (IOException) super.getCause();
    }
  }

  /** Copies at most {@code max} bytes; -1 when the input has more. */
  private static long copyAtMost(InputStream in, OutputStream out, long max) throws IOException {
    byte[] buf = new byte[16 * 1024];
    long total = 0;
    int n;
    while ((n = read(in, buf)) >= 0) {
      total += n;
      if (total > max) {
        return -1;
      }
      out.write(buf, 0, n);
    }
    return total;
  }

  private static int read(InputStream in, byte[] buf) throws UploadReadException {
    try {
      return in.read(buf);
    } catch (IOException e) {
      throw new UploadReadException(e);
    } catch (RuntimeException e) {
      // Helidon reports a client that went away mid-body unchecked.
      throw new UploadReadException(new IOException(e));
    }
  }

  static String sha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buf = new byte[16 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // a temporary upload left behind is removed on the next start
      }
    }
  }

  /**
   * Deletes leftovers of uploads a crash interrupted: those over an hour old, since another process
   * (a server beside the CLI) may be writing the newer ones.
   */
  private void clearTemporaryFiles() {
    java.nio.file.attribute.FileTime cutoff =
        java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(3600));
    try (var s = Files.list(tmpDir)) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith("upload-")).toList()) {
        try {
          if (Files.getLastModifiedTime(p).compareTo(cutoff) < 0) {
            deleteQuietly(p);
          }
        } catch (IOException e) {
          // gone already
        }
      }
    } catch (IOException e) {
      // nothing to clear
    }
  }
}
