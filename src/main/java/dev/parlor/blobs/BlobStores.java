package dev.parlor.blobs;

import dev.parlor.config.AppConfig;
import dev.parlor.config.ConfigException;
import dev.parlor.config.Setting;

/** The blob store the configuration names. */
public final class BlobStores {
  private BlobStores() {}

  /** Opens it; an unreachable S3 bucket is a configuration error, reported at once. */
  public static BlobStore open(AppConfig config) {
    return switch (config.blobStore()) {
      case FS -> new FileSystemBlobStore(config.blobsDir());
      case S3 -> {
        AppConfig.S3 s3 = config.s3();
        try {
          yield S3BlobStore.connect(
              new S3BlobStore.Settings(
                  s3.endpoint(),
                  s3.region(),
                  s3.bucket().orElseThrow(),
                  s3.accessKeyId(),
                  s3.secretAccessKey(),
                  s3.pathStyle()),
              config.tmpDir().resolve("s3"));
        } catch (BlobStoreException e) {
          throw new ConfigException(Setting.BLOB_STORE.key() + "=s3: " + e.getMessage());
        }
      }
    };
  }
}
