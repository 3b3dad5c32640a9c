package dev.parlor.themes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parlor.blobs.FileSystemBlobStore;
import dev.parlor.testing.ApiClient.Response;
import dev.parlor.testing.Multipart;
import dev.parlor.testing.TestImages;
import dev.parlor.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures that uploads stream: the live heap (what is left after a full GC) is sampled while an
 * upload is under way, from inside the stream that feeds it; a server that buffered the upload
 * would hold all the bytes received so far.
 */
class UploadMemoryTest {

  /** The live heap: used heap right after full collections. */
  static long liveHeap() {
    for (int i = 0; i < 2; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** One sample: how far the upload was, the live heap then, and what was spooled to disk. */
  record Sample(long sent, long liveHeap, long spooled) {}

  /**
   * Yields {@code bytes}, stopping at each sample point to let the server catch up, then samples.
   */
  static final class SamplingStream extends InputStream {
    private final byte[] bytes;
    private final long[] at;
    private final java.util.function.LongSupplier spooled;
    final List<Sample> samples = new ArrayList<>();
    private int pos;
    private int next;

    SamplingStream(byte[] bytes, long[] at, java.util.function.LongSupplier spooled) {
      this.bytes = bytes;
      this.at = at;
      this.spooled = spooled;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= bytes.length) {
        return -1;
      }
      if (next < at.length && pos >= at[next]) {
        try {
          Thread.sleep(300); // the server reads what is in the socket buffers meanwhile
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        samples.add(new Sample(pos, liveHeap(), spooled.getAsLong()));
        next++;
      }
      long until = next < at.length ? at[next] : bytes.length;
      int n = (int) Math.min(Math.min(len, 8192), Math.max(1, until - pos));
      n = Math.min(n, bytes.length - pos);
      System.arraycopy(bytes, pos, b, off, n);
      pos += n;
      return n;
    }
  }

  static long sizeOfFiles(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    } catch (IOException e) {
      return 0;
    }
  }

  @Test
  void aLogoUploadIsSpooledToDiskAsItArrivesAndTheLiveHeapDoesNotGrowWithIt() {
    try (TestServer server = TestServer.start()) {
      String key = server.newOrganization("unlimited");
      String room = ThemeFixture.room(server, key);
      byte[] image = TestImages.noisePng(560, 560);
      assertThat(image.length).isBetween(900_000, 1024 * 1024);
      Multipart body = Multipart.image("big.png", "image/png", image);
      byte[] bytes = body.bytes();
      Path spool = server.dataDir().resolve("tmp/uploads");
      long[] at = {bytes.length / 10, bytes.length / 2, bytes.length * 95L / 100};
      SamplingStream in = new SamplingStream(bytes, at, () -> sizeOfFiles(spool));

      Response r =
          server
              .client()
              .send(
                  HttpRequest.newBuilder(
                          server.client().uri("/v1/rooms/" + room.substring(1) + "/theme/logo"))
                      .header("Authorization", "Bearer " + key)
                      .header("Content-Type", body.contentType())
                      .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> in))
                      .build());

      assertThat(r.status()).as(r.toString()).isEqualTo(204);
      assertThat(in.samples).hasSize(3);
      Sample first = in.samples.get(0);
      Sample last = in.samples.get(2);
      long heapGrowth = last.liveHeap() - first.liveHeap();
      long received = last.sent() - first.sent();
      System.out.printf(
          "upload of %d bytes: %s; live heap grew by %d bytes while %d more bytes arrived%n",
          bytes.length, in.samples, heapGrowth, received);
      assertThat(last.spooled())
          .as("the part received so far is on disk")
          .isGreaterThan(bytes.length * 80L / 100);
      assertThat(heapGrowth)
          .as("live heap growth while %d bytes arrived", received)
          .isLessThan(received / 4);
    }
  }

  @Test
  void aBlobStorePutOf64MegabytesKeepsTheLiveHeapFlat(@TempDir Path dir) {
    long size = 64L * 1024 * 1024;
    try (FileSystemBlobStore store = new FileSystemBlobStore(dir)) {
      List<Long> heap = new ArrayList<>();
      InputStream in =
          new InputStream() {
            long i;

            @Override
            public int read() {
              return i < size ? (int) (i++ & 0x7f) : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
              if (i >= size) {
                return -1;
              }
              if (i == 8L << 20 || i == 56L << 20) {
                heap.add(liveHeap());
              }
              int n = (int) Math.min(len, Math.min(size - i, (8L << 20) - (i % (8L << 20))));
              for (int k = 0; k < n; k++) {
                b[off + k] = (byte) ((i + k) & 0x7f);
              }
              i += n;
              return n;
            }
          };

      assertThat(store.put("big/blob", in, size, "application/octet-stream")).isEqualTo(size);

      assertThat(heap).hasSize(2);
      long growth = heap.get(1) - heap.get(0);
      System.out.printf(
          "put of %d MB: live heap at 8 MB %d, at 56 MB %d, growth %d bytes%n",
          size >> 20, heap.get(0), heap.get(1), growth);
      assertThat(growth).as("live heap growth over 48 MB streamed").isLessThan(1024 * 1024);
    }
  }
}
