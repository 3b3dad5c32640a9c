package dev.parlor.recordings;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parlor.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A meeting's {@code recording.destination} with {@code provider: s3}: the customer's bucket (with
 * an optional sub-folder, {@code my-bucket/recordings}), region, endpoint and credentials.
 */
record S3Destination(
    String bucket,
    String folder,
    String region,
    Optional<URI> endpoint,
    String authenticationType,
    Optional<String> accessKeyId,
    Optional<String> accessKeySecret) {

  static S3Destination parse(String json) {
    JsonNode d;
    try {
      d = Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String bucketPath = d.path("bucket").asText("");
    int slash = bucketPath.indexOf('/');
    String bucket = slash < 0 ? bucketPath : bucketPath.substring(0, slash);
    String folder = slash < 0 ? "" : bucketPath.substring(slash + 1).replaceAll("^/+|/+$", "");
    return new S3Destination(
        bucket,
        folder,
        text(d, "region").orElse("us-east-1"),
        text(d, "endpoint").map(URI::create),
        text(d, "authenticationType").orElse("accessKey"),
        text(d, "accessKeyId"),
        text(d, "accessKeySecret"));
  }

  private static Optional<String> text(JsonNode d, String name) {
    JsonNode n = d.path(name);
    return n.isTextual() && !n.asText().isBlank() ? Optional.of(n.asText()) : Optional.empty();
  }

  boolean roleBased() {
    return "roleBased".equals(authenticationType);
  }

  /** The object key of a file named {@code filename} in this destination's folder. */
  String objectKey(String filename) {
    return folder.isEmpty() ? filename : folder + "/" + filename;
  }

  /** Uploads {@code file} to {@code objectKey} with the destination's keys (path-style). */
  void upload(String objectKey, Path file, String contentType) {
    S3ClientBuilder b =
        S3Client.builder()
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(Duration.ofSeconds(60)))
            .region(Region.of(region))
            .forcePathStyle(true)
            .credentialsProvider(credentials())
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .addPlugin(LegacyMd5Plugin.create());
    endpoint.ifPresent(b::endpointOverride);
    try (S3Client client = b.build()) {
      client.putObject(
          r -> r.bucket(bucket).key(objectKey).contentType(contentType),
          RequestBody.fromFile(file));
    }
  }

  private StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(accessKeyId.orElseThrow(), accessKeySecret.orElseThrow()));
  }

  /** A presigned GET URL of {@code objectKey}, path-style, valid for {@code validFor}. */
  String presignGet(String objectKey, Duration validFor) {
    S3Presigner.Builder b =
        S3Presigner.builder()
            .region(Region.of(region))
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .credentialsProvider(credentials());
    endpoint.ifPresent(b::endpointOverride);
    try (S3Presigner p = b.build()) {
      return p.presignGetObject(
              r ->
                  r.signatureDuration(validFor)
                      .getObjectRequest(g -> g.bucket(bucket).key(objectKey)))
          .url()
          .toString();
    }
  }
}
