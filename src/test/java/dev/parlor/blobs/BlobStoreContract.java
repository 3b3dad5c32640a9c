package dev.parlor.blobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BlobStore} must do, whatever keeps the bytes. Subclasses supply a new, empty
 * store for each test (see {@link BlobStoresTest}).
 */
public abstract class BlobStoreContract {
  protected BlobStore store;

  /** A new, empty store. */
  protected abstract BlobStore newStore();

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static InputStream in(String s) {
    return new ByteArrayInputStream(bytes(s));
  }

  static byte[] read(Blob b) {
    try (b) {
      return b.stream().readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code n} bytes of a repeatable pattern, produced as they are read, never as one array. */
  static InputStream pattern(long n) {
    return new InputStream() {
      long i;

      @Override
      public int read() {
        return i < n ? (int) (i++ * 31 % 251) : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (i >= n) {
          return -1;
        }
        int k = (int) Math.min(len, n - i);
        for (int j = 0; j < k; j++) {
          b[off + j] = (byte) (i++ * 31 % 251);
        }
        return k;
      }
    };
  }

  static byte[] sha256(InputStream in) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    byte[] buf = new byte[64 * 1024];
    int n;
    while ((n = in.read(buf)) >= 0) {
      md.update(buf, 0, n);
    }
    return md.digest();
  }

  @Test
  void aStoredBlobIsReadBackWithItsSizeAndContentType() {
    long size = store.put("themes/room/1/logo-abc.png", in("hello, blob"), 100, "image/png");

    assertThat(size).isEqualTo(11);
    Blob b = store.open("themes/room/1/logo-abc.png").orElseThrow();
    assertThat(b.length()).isEqualTo(11);
    assertThat(b.totalLength()).isEqualTo(11);
    assertThat(b.offset()).isZero();
    assertThat(b.contentType()).isEqualTo("image/png");
    assertThat(read(b)).isEqualTo(bytes("hello, blob"));
    assertThat(store.stat("themes/room/1/logo-abc.png"))
        .contains(new BlobInfo("themes/room/1/logo-abc.png", 11, "image/png"));
    assertThat(store.exists("themes/room/1/logo-abc.png")).isTrue();
  }

  @Test
  void aMissingBlobIsNeitherOpenedNorStattedNorSaidToExist() {
    assertThat(store.open("no/such/blob")).isEmpty();
    assertThat(store.open("no/such/blob", 0, 10)).isEmpty();
    assertThat(store.stat("no/such/blob")).isEmpty();
    assertThat(store.exists("no/such/blob")).isFalse();
  }

  @Test
  void anEmptyBlobIsStoredAndReadAsEmpty() {
    assertThat(store.put("empty", InputStream.nullInputStream(), 10, "text/plain")).isZero();

    Blob b = store.open("empty").orElseThrow();
    assertThat(b.length()).isZero();
    assertThat(read(b)).isEmpty();
    assertThat(store.exists("empty")).isTrue();
  }

  @Test
  void aPutReplacesTheBlobAndItsContentType() {
    store.put("k", in("first version"), 100, "text/plain");
    store.put("k", in("second"), 100, "image/webp");

    Blob b = store.open("k").orElseThrow();
    assertThat(b.contentType()).isEqualTo("image/webp");
    assertThat(read(b)).isEqualTo(bytes("second"));
  }

  @Test
  void aPutOverTheLimitFailsAndLeavesNoBlobOrTheOldOne() {
    assertThatThrownBy(() -> store.put("new", in("0123456789x"), 10, "text/plain"))
        .isInstanceOf(BlobTooLargeException.class)
        .satisfies(e -> assertThat(((BlobTooLargeException) e).limit()).isEqualTo(10));
    assertThat(store.exists("new")).isFalse();

    store.put("old", in("kept"), 10, "text/plain");
    assertThatThrownBy(() -> store.put("old", pattern(1_000_000), 10, "text/plain"))
        .isInstanceOf(BlobTooLargeException.class);
    assertThat(read(store.open("old").orElseThrow())).isEqualTo(bytes("kept"));
  }

  @Test
  void aBlobOfExactlyTheLimitIsStored() {
    assertThat(store.put("exact", in("0123456789"), 10, "text/plain")).isEqualTo(10);
  }

  @Test
  void rangeReadsReturnTheAskedBytesClippedToTheBlob() {
    store.put("r", in("0123456789"), 100, "application/octet-stream");

    Blob middle = store.open("r", 3, 4).orElseThrow();
    assertThat(middle.offset()).isEqualTo(3);
    assertThat(middle.length()).isEqualTo(4);
    assertThat(middle.totalLength()).isEqualTo(10);
    assertThat(read(middle)).isEqualTo(bytes("3456"));

    Blob tail = store.open("r", 7, 100).orElseThrow();
    assertThat(tail.length()).isEqualTo(3);
    assertThat(read(tail)).isEqualTo(bytes("789"));

    Blob first = store.open("r", 0, 1).orElseThrow();
    assertThat(read(first)).isEqualTo(bytes("0"));

    for (long offset : new long[] {10, 11, 1_000}) {
      Blob past = store.open("r", offset, 5).orElseThrow();
      assertThat(past.length()).as("offset %d", offset).isZero();
      assertThat(past.totalLength()).isEqualTo(10);
      assertThat(read(past)).isEmpty();
    }
    assertThat(read(store.open("r", 2, 0).orElseThrow())).isEmpty();
  }

  @Test
  void negativeRangesAreRefused() {
    store.put("r", in("0123456789"), 100, "text/plain");

    assertThatThrownBy(() -> store.open("r", -1, 3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.open("r", 0, -3)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void deletingRemovesTheBlobAndDeletingAgainIsNoError() {
    store.put("a/b/c.png", in("x"), 10, "image/png");

    store.delete("a/b/c.png");
    store.delete("a/b/c.png");
    store.delete("never/there");

    assertThat(store.exists("a/b/c.png")).isFalse();
    assertThat(store.open("a/b/c.png")).isEmpty();
  }

  @Test
  void deletingByPrefixRemovesExactlyTheKeysThatStartWithItAndCountsThem() {
    for (String k :
        List.of(
            "themes/room/1/logo-a.png",
            "themes/room/1/room-background-b.jpg",
            "themes/room/1/deeper/x",
            "themes/room/12/logo-c.png",
            "themes/room/2/logo-d.png",
            "themes/organization/1/logo-e.png")) {
      store.put(k, in(k), 100, "image/png");
    }

    assertThat(store.deleteByPrefix("themes/room/1/")).isEqualTo(3);

    assertThat(store.exists("themes/room/1/logo-a.png")).isFalse();
    assertThat(store.exists("themes/room/1/deeper/x")).isFalse();
    assertThat(store.exists("themes/room/12/logo-c.png")).as("12 is not 1").isTrue();
    assertThat(store.exists("themes/room/2/logo-d.png")).isTrue();
    assertThat(store.exists("themes/organization/1/logo-e.png")).isTrue();
    assertThat(store.deleteByPrefix("themes/room/1/")).isZero();
    assertThat(store.deleteByPrefix("themes/room/2/logo-")).isEqualTo(1);
    assertThat(store.deleteByPrefix("nothing/here/")).isZero();
  }

  @Test
  void aKeyCanBeStoredAgainAfterItsDirectoryWasEmptiedByAPrefixDelete() {
    store.put("p/q/r", in("1"), 10, "text/plain");
    store.deleteByPrefix("p/");

    store.put("p/q/r", in("2"), 10, "text/plain");

    assertThat(read(store.open("p/q/r").orElseThrow())).isEqualTo(bytes("2"));
  }

  @Test
  void keysThatCouldEscapeOrAreNotPlainPathsAreRefused() {
    for (String bad :
        new String[] {
          "", "/abs", "a//b", "../x", "a/../b", "a/./b", ".hidden", "a/", "sp ace", "a\\b"
        }) {
      assertThatThrownBy(() -> store.put(bad, in("x"), 10, "text/plain"))
          .as("key '%s'", bad)
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.open(bad)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> store.deleteByPrefix("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.deleteByPrefix("../"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aLargeBlobIsStoredFromAStreamAndReadBackIntact() throws Exception {
    long size = 12L * 1024 * 1024 + 7;
    assertThat(store.put("big/blob.bin", pattern(size), size, "application/octet-stream"))
        .isEqualTo(size);

    try (Blob b = store.open("big/blob.bin").orElseThrow()) {
      assertThat(b.length()).isEqualTo(size);
      assertThat(sha256(b.stream())).isEqualTo(sha256(pattern(size)));
    }
    try (Blob r = store.open("big/blob.bin", size - 10, 10).orElseThrow()) {
      byte[] tail = r.stream().readAllBytes();
      byte[] expected = new byte[10];
      InputStream p = pattern(size);
      p.skipNBytes(size - 10);
      p.readNBytes(expected, 0, 10);
      assertThat(tail).isEqualTo(expected);
    }
  }

  @Test
  void concurrentPutsOfOneKeyLeaveOneWholeVersion() throws Exception {
    List<String> versions = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      versions.add(("version " + i + " ").repeat(5_000));
    }
    List<Future<Long>> done = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      for (String v : versions) {
        done.add(pool.submit(() -> store.put("same", in(v), 1_000_000, "text/plain")));
      }
    }
    for (Future<Long> f : done) {
      f.get();
    }

    String stored = new String(read(store.open("same").orElseThrow()), StandardCharsets.UTF_8);
    assertThat(versions).contains(stored);
  }

  @Test
  void aMissingContentTypeReadsAsOctetStream() {
    store.put("untyped", in("x"), 10, null);

    assertThat(store.stat("untyped").map(BlobInfo::contentType))
        .isEqualTo(Optional.of("application/octet-stream"));
  }
}
