package dev.parlor.blobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs as objects in a bucket of any S3-compatible server (AWS, MinIO, Ceph, s3proxy...), through
 * the AWS SDK v2 with the JDK's HTTP client. A put is spooled to a temporary file first (so its
 * length is known and memory stays flat), then uploaded in one request; S3 makes the object visible
 * only once it is complete.
 *
 * <p>Checksums are sent only where the API requires them, with {@code Content-MD5}: the SDK's newer
 * default checksum headers are not understood by every S3-compatible server.
 */
public final class S3BlobStore implements BlobStore {
  private static final String DEFAULT_TYPE = "application/octet-stream";

  private final S3Client client;
  private final String bucket;
  private final Path tmp;

  /** Where and how to reach the bucket. */
  public record Settings(
      Optional<URI> endpoint,
      String region,
      String bucket,
      Optional<String> accessKeyId,
      Optional<String> secretAccessKey,
      boolean pathStyle) {}

  S3BlobStore(S3Client client, String bucket, Path tmp) {
    this.client = client;
    this.bucket = bucket;
    this.tmp = tmp;
  }

  /**
   * Connects and checks that the bucket is reachable with these credentials, so a misconfiguration
   * fails at start-up rather than on the first upload.
   */
  public static S3BlobStore connect(Settings s, Path tmpDir) {
    S3ClientBuilder b =
        S3Client.builder()
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(Duration.ofSeconds(60)))
            .region(Region.of(s.region()))
            .forcePathStyle(s.pathStyle())
            .credentialsProvider(credentials(s))
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .addPlugin(LegacyMd5Plugin.create());
    s.endpoint().ifPresent(b::endpointOverride);
    S3Client client = b.build();
    try {
      Files.createDirectories(tmpDir);
      client.headBucket(r -> r.bucket(s.bucket()));
    } catch (IOException | SdkException e) {
      client.close();
      throw new BlobStoreException(
          "cannot reach bucket '"
              + s.bucket()
              + "'"
              + s.endpoint().map(u -> " at " + u).orElse("")
              + ": "
              + e.getMessage(),
          e);
    }
    return new S3BlobStore(client, s.bucket(), tmpDir);
  }

  private static AwsCredentialsProvider credentials(Settings s) {
    if (s.accessKeyId().isPresent() && s.secretAccessKey().isPresent()) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(s.accessKeyId().get(), s.secretAccessKey().get()));
    }
    // The environment, the shared profile files, an instance or container role.
    return DefaultCredentialsProvider.builder().build();
  }

  @Override
  public long put(String key, InputStream in, long maxBytes, String contentType) {
    BlobKeys.check(key);
    Path part = null;
    try {
      part = Files.createTempFile(tmp, "s3-put-", ".part");
      long size;
      try (OutputStream out = Files.newOutputStream(part)) {
        size = BlobKeys.copyAtMost(in, out, maxBytes);
      }
      client.putObject(
          r -> r.bucket(bucket).key(key).contentType(type(contentType)).contentLength(size),
          RequestBody.fromFile(part));
      return size;
    } catch (IOException | SdkException e) {
      throw new BlobStoreException("cannot store blob " + key + ": " + e.getMessage(), e);
    } finally {
      if (part != null) {
        try {
          Files.deleteIfExists(part);
        } catch (IOException e) {
          // left in the temporary directory
        }
      }
    }
  }

  @Override
  public Optional<Blob> open(String key) {
    BlobKeys.check(key);
    try {
      ResponseInputStream<GetObjectResponse> in = client.getObject(r -> r.bucket(bucket).key(key));
      long n = in.response().contentLength();
      return Optional.of(new Blob(in, 0, n, n, type(in.response().contentType())));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw new BlobStoreException("cannot read blob " + key + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<Blob> open(String key, long offset, long length) {
    BlobKeys.check(key);
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("offset and length must not be negative");
    }
    // S3 answers a range that starts past the end with 416, and an empty range cannot be asked
    // for at all: learn the size first, then ask for exactly what exists.
    Optional<BlobInfo> info = stat(key);
    if (info.isEmpty()) {
      return Optional.empty();
    }
    long total = info.get().size();
    long start = Math.min(offset, total);
    long n = Math.min(length, total - start);
    if (n == 0) {
      return Optional.of(
          new Blob(InputStream.nullInputStream(), start, 0, total, info.get().contentType()));
    }
    try {
      ResponseInputStream<GetObjectResponse> in =
          client.getObject(
              r ->
                  r.bucket(bucket)
                      .key(key)
                      .range("bytes=" + start + "-" + Math.addExact(start, n - 1)));
      return Optional.of(new Blob(in, start, n, total, type(in.response().contentType())));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw new BlobStoreException("cannot read blob " + key + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<BlobInfo> stat(String key) {
    BlobKeys.check(key);
    try {
      HeadObjectResponse h = client.headObject(r -> r.bucket(bucket).key(key));
      return Optional.of(new BlobInfo(key, h.contentLength(), type(h.contentType())));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      // HEAD has no body, so a missing key is a bare 404 rather than NoSuchKey.
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw new BlobStoreException("cannot read blob " + key + ": " + e.getMessage(), e);
    } catch (SdkException e) {
      throw new BlobStoreException("cannot read blob " + key + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void delete(String key) {
    BlobKeys.check(key);
    try {
      client.deleteObject(r -> r.bucket(bucket).key(key));
    } catch (SdkException e) {
      throw new BlobStoreException("cannot delete blob " + key + ": " + e.getMessage(), e);
    }
  }

  @Override
  public int deleteByPrefix(String prefix) {
    BlobKeys.checkPrefix(prefix);
    try {
      List<String> keys = new ArrayList<>();
      try (Stream<S3Object> objects =
          client.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().stream()) {
        objects.map(S3Object::key).forEach(keys::add);
      }
      // One DeleteObject per key: DeleteObjects would be fewer requests, but the SDK insists on
      // sending it a CRC32 checksum header that S3-compatible servers such as s3proxy refuse
      // (501). A room has a handful of images; this is not where requests add up.
      for (String k : keys) {
        client.deleteObject(r -> r.bucket(bucket).key(k));
      }
      return keys.size();
    } catch (SdkException e) {
      throw new BlobStoreException(
          "cannot delete blobs under " + prefix + ": " + e.getMessage(), e);
    }
  }

  private static String type(String contentType) {
    return contentType == null || contentType.isBlank() ? DEFAULT_TYPE : contentType;
  }

  @Override
  public void close() {
    client.close();
  }
}
