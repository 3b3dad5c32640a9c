package dev.parlor.blobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parlor.config.AppConfig;
import dev.parlor.config.ConfigException;
import dev.parlor.testing.S3TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BlobStoreContract} on the file system and on a real S3-compatible server. */
class BlobStoresTest {
  static S3TestServer s3;

  @BeforeAll
  static void startS3() {
    s3 = S3TestServer.start();
  }

  @AfterAll
  static void stopS3() {
    s3.close();
  }

  @Nested
  class OnTheFileSystem extends BlobStoreContract {
    @TempDir Path dir;

    @Override
    protected BlobStore newStore() {
      return new FileSystemBlobStore(dir.resolve("blobs"));
    }

    @Test
    void aPutInterruptedByACrashLeavesOnlyATemporaryFileWhichALaterStartRemovesOnceItIsOld()
        throws IOException {
      Path tmp = dir.resolve("blobs/tmp");
      Path old = Files.writeString(tmp.resolve("put-123.part"), "half a blob");
      Files.setLastModifiedTime(
          old, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 7_200_000));
      Path recent = Files.writeString(tmp.resolve("put-456.part"), "another process's put");

      new FileSystemBlobStore(dir.resolve("blobs")).close();

      try (Stream<Path> left = Files.list(tmp)) {
        assertThat(left).containsExactly(recent);
      }
    }

    @Test
    void blobsAreFilesUnderTheDataDirectoryAndEmptyDirectoriesAreRemoved() throws IOException {
      store.put(
          "themes/room/7/logo-x.png", new ByteArrayInputStream(new byte[] {1, 2}), 10, "image/png");
      assertThat(dir.resolve("blobs/data/themes/room/7/logo-x.png"))
          .hasBinaryContent(new byte[] {1, 2});

      store.deleteByPrefix("themes/room/7/");

      assertThat(dir.resolve("blobs/data/themes/room/7")).doesNotExist();
      assertThat(dir.resolve("blobs/data")).exists();
    }
  }

  @Nested
  class OnS3 extends BlobStoreContract {
    @TempDir Path tmp;

    @Override
    protected BlobStore newStore() {
      return S3BlobStore.connect(settings(s3.newBucket()), tmp);
    }

    @Test
    void theBlobsAreObjectsInTheBucket() {
      String bucket = s3.newBucket();
      try (BlobStore own = S3BlobStore.connect(settings(bucket), tmp)) {
        own.put(
            "themes/room/1/logo-a.png", new ByteArrayInputStream(new byte[] {1}), 10, "image/png");
        own.put(
            "themes/room/1/logo-b.png", new ByteArrayInputStream(new byte[] {2}), 10, "image/png");

        assertThat(s3.objectCount(bucket, "themes/room/1/")).isEqualTo(2);
        own.deleteByPrefix("themes/room/1/");
        assertThat(s3.objectCount(bucket, "")).isZero();
      }
    }

    @Test
    void aMissingBucketOrWrongCredentialsFailAtOnceNamingTheBucket() {
      assertThatThrownBy(() -> S3BlobStore.connect(settings("no-such-bucket"), tmp))
          .isInstanceOf(BlobStoreException.class)
          .hasMessageContaining("no-such-bucket");
      S3BlobStore.Settings wrong =
          new S3BlobStore.Settings(
              Optional.of(s3.endpoint()),
              S3TestServer.REGION,
              s3.newBucket(),
              Optional.of(S3TestServer.ACCESS_KEY),
              Optional.of("not-the-secret"),
              true);
      assertThatThrownBy(() -> S3BlobStore.connect(wrong, tmp))
          .isInstanceOf(BlobStoreException.class);
    }
  }

  @Test
  void theConfigurationChoosesTheFileSystemByDefaultAndS3WhenAsked(@TempDir Path dir) {
    Map<String, String> env = new HashMap<>(Map.of("PARLOR_DATA_DIR", dir.toString()));
    try (BlobStore fs = BlobStores.open(AppConfig.from(env))) {
      assertThat(fs).isInstanceOf(FileSystemBlobStore.class);
    }
    env.putAll(s3.env(s3.newBucket()));
    try (BlobStore remote = BlobStores.open(AppConfig.from(env))) {
      assertThat(remote).isInstanceOf(S3BlobStore.class);
    }
  }

  @Test
  void anUnreachableS3BucketIsAConfigurationErrorNamingIt(@TempDir Path dir) {
    Map<String, String> env = new HashMap<>(s3.env("missing-bucket"));
    env.put("PARLOR_DATA_DIR", dir.toString());

    assertThatThrownBy(() -> BlobStores.open(AppConfig.from(env)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PARLOR_BLOB_STORE=s3")
        .hasMessageContaining("missing-bucket");
  }

  static S3BlobStore.Settings settings(String bucket) {
    return new S3BlobStore.Settings(
        Optional.of(URI.create(s3.endpoint().toString())),
        S3TestServer.REGION,
        bucket,
        Optional.of(S3TestServer.ACCESS_KEY),
        Optional.of(S3TestServer.SECRET_KEY),
        true);
  }
}
