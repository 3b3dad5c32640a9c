package dev.parlor.recordings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parlor.orgs.OrganizationService;
import dev.parlor.testing.ApiClient;
import dev.parlor.testing.ApiClient.Response;
import dev.parlor.testing.MutableClock;
import dev.parlor.testing.S3TestServer;
import dev.parlor.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Access links: Parlor's signed file route, and presigned URLs for a customer's S3 bucket. */
class AccessLinkTest {
  static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

  static MutableClock clock;
  static TestServer server;
  static ApiClient api;
  static long org;
  static String key;
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    clock = MutableClock.startingNow();
    // Links carry PARLOR_PUBLIC_URL, so it must name this server's own (free) port.
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    server =
        TestServer.start(
            Map.of(
                "PARLOR_PORT",
                Integer.toString(port),
                "PARLOR_PUBLIC_URL",
                "http://127.0.0.1:" + port + "/"),
            clock);
    api = server.client();
    OrganizationService.Created c = server.newOrganizationWithId("unlimited");
    org = c.organization().id();
    key = c.apiKey();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static byte[] content(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  static Recording hosted(byte[] content, String ext) {
    return RecordingFixtures.add(server, org, "/links", T0, Duration.ofMinutes(1), content, ext);
  }

  static JsonNode link(String recordingId, String query) {
    Response r = api.get("/v1/recordings/" + recordingId + "/access-link" + query, key);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  static HttpResponse<byte[]> fetch(String url, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  static HttpResponse<byte[]> head(String url) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create(url))
              .method("HEAD", HttpRequest.BodyPublishers.noBody())
              .build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void aLinkServesTheWholeFileWithoutAKeyWithItsTypeLengthAndAcceptRanges() throws Exception {
    byte[] bytes = content(3_000_000);
    Recording r = hosted(bytes, "webm");

    JsonNode l = link(r.recordingId(), "");
    HttpResponse<byte[]> got = fetch(l.get("accessLink").asText());

    assertThat(l.get("accessLink").asText())
        .startsWith(server.baseUrl() + "/recordings/" + r.recordingId() + "/file?expires=");
    assertThat(l.get("expires").asLong()).isEqualTo(clock.millis() + 3_600_000);
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.headers().firstValue("Content-Type")).hasValue("video/webm");
    assertThat(got.headers().firstValue("Content-Length")).hasValue("3000000");
    assertThat(got.headers().firstValue("Accept-Ranges")).hasValue("bytes");
    assertThat(MessageDigest.getInstance("SHA-256").digest(got.body()))
        .isEqualTo(MessageDigest.getInstance("SHA-256").digest(bytes));
    HttpResponse<byte[]> h = head(l.get("accessLink").asText());
    assertThat(h.statusCode()).isEqualTo(200);
    assertThat(h.headers().firstValue("Content-Length")).hasValue("3000000");
    assertThat(h.body()).isEmpty();
  }

  @Test
  void singleRangesAreServedAs206WithContentRangeAndAnUnsatisfiableOneIs416() {
    byte[] bytes = content(1000);
    Recording r = hosted(bytes, "mp4");
    String url = link(r.recordingId(), "?validForSeconds=60").get("accessLink").asText();

    HttpResponse<byte[]> first = fetch(url, "Range", "bytes=0-9");
    assertThat(first.statusCode()).isEqualTo(206);
    assertThat(first.headers().firstValue("Content-Range")).hasValue("bytes 0-9/1000");
    assertThat(first.headers().firstValue("Content-Length")).hasValue("10");
    assertThat(first.headers().firstValue("Content-Type")).hasValue("video/mp4");
    assertThat(first.body()).isEqualTo(Arrays.copyOfRange(bytes, 0, 10));

    HttpResponse<byte[]> open = fetch(url, "Range", "bytes=990-");
    assertThat(open.statusCode()).isEqualTo(206);
    assertThat(open.headers().firstValue("Content-Range")).hasValue("bytes 990-999/1000");
    assertThat(open.body()).isEqualTo(Arrays.copyOfRange(bytes, 990, 1000));

    HttpResponse<byte[]> suffix = fetch(url, "Range", "bytes=-100");
    assertThat(suffix.headers().firstValue("Content-Range")).hasValue("bytes 900-999/1000");
    assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(bytes, 900, 1000));

    HttpResponse<byte[]> beyondEnd = fetch(url, "Range", "bytes=500-5000");
    assertThat(beyondEnd.headers().firstValue("Content-Range")).hasValue("bytes 500-999/1000");
    assertThat(beyondEnd.body()).hasSize(500);

    HttpResponse<byte[]> past = fetch(url, "Range", "bytes=1000-");
    assertThat(past.statusCode()).isEqualTo(416);
    assertThat(past.headers().firstValue("Content-Range")).hasValue("bytes */1000");
    assertThat(text(past)).startsWith("{\"error\":");

    HttpResponse<byte[]> several = fetch(url, "Range", "bytes=0-1,5-6");
    assertThat(several.statusCode()).as("several ranges: the whole file").isEqualTo(200);
    assertThat(several.body()).isEqualTo(bytes);
  }

  @Test
  void aTamperedSignatureExpiryOrRecordingIdIs403WithAJsonError() {
    Recording r = hosted(content(10), "mp4");
    Recording other = hosted(content(10), "mp4");
    String url = link(r.recordingId(), "").get("accessLink").asText();
    String sig = url.substring(url.indexOf("signature=") + 10);
    String expires = url.replaceAll(".*expires=(\\d+).*", "$1");

    for (String bad :
        new String[] {
          url.replace("signature=" + sig, "signature=" + sig.substring(1) + "A"),
          url.replace("expires=" + expires, "expires=" + (Long.parseLong(expires) + 1000)),
          url.replace(r.recordingId(), other.recordingId()),
          url.replace("&signature=" + sig, ""),
          url.replace("expires=" + expires, "expires=soon")
        }) {
      HttpResponse<byte[]> got = fetch(bad);
      assertThat(got.statusCode()).as(bad).isEqualTo(403);
      assertThat(got.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(text(got)).contains("\"error\":\"The access link is invalid\"");
    }
  }

  @Test
  void aLinkStopsWorkingWhenItExpires() {
    Recording r = hosted(content(10), "mp4");
    JsonNode l = link(r.recordingId(), "?validForSeconds=30");
    assertThat(l.get("expires").asLong()).isEqualTo(clock.millis() + 30_000);
    assertThat(fetch(l.get("accessLink").asText()).statusCode()).isEqualTo(200);

    clock.advance(Duration.ofSeconds(31));

    HttpResponse<byte[]> late = fetch(l.get("accessLink").asText());
    assertThat(late.statusCode()).isEqualTo(403);
    assertThat(text(late)).contains("expired");
  }

  @Test
  void aLinkToADeletedRecordingIs404AndSoIsAskingForOne() {
    Recording r = hosted(content(10), "mp4");
    String url = link(r.recordingId(), "").get("accessLink").asText();
    assertThat(api.delete("/v1/recordings/" + r.recordingId(), key).status()).isEqualTo(204);

    HttpResponse<byte[]> got = fetch(url);
    assertThat(got.statusCode()).isEqualTo(404);
    assertThat(text(got)).startsWith("{\"error\":");
    assertThat(api.get("/v1/recordings/" + r.recordingId() + "/access-link", key).status())
        .isEqualTo(404);
  }

  @Test
  void validForSecondsOutside1To43200IsA400NamingIt() {
    Recording r = hosted(content(10), "mp4");
    for (String v : new String[] {"0", "43201", "-1", "an-hour"}) {
      Response resp =
          api.get("/v1/recordings/" + r.recordingId() + "/access-link?validForSeconds=" + v, key);
      assertThat(resp.status()).as(v).isEqualTo(400);
      assertThat(resp.json().at("/data/field").asText()).isEqualTo("validForSeconds");
    }
    assertThat(link(r.recordingId(), "?validForSeconds=43200").get("expires").asLong())
        .isEqualTo(clock.millis() + 43_200_000);
  }

  @Test
  void anotherOrganizationGetsNoLink() {
    Recording r = hosted(content(10), "mp4");
    String other = server.newOrganization("unlimited");
    assertThat(api.get("/v1/recordings/" + r.recordingId() + "/access-link", other).status())
        .isEqualTo(404);
  }

  // ------------------------------------------------------------------ the customer's bucket

  @Test
  void aRecordingInTheMeetingsS3DestinationGetsAPresignedUrlThatServesIt() throws Exception {
    try (S3TestServer s3 = S3TestServer.start()) {
      String bucket = s3.newBucket();
      String roomName =
          createMeetingWithDestination(
              "{\"provider\":\"s3\",\"authenticationType\":\"accessKey\",\"bucket\":\""
                  + bucket
                  + "/recordings\",\"region\":\"us-east-1\",\"endpoint\":\""
                  + s3.endpoint()
                  + "\",\"accessKeyId\":\""
                  + S3TestServer.ACCESS_KEY
                  + "\",\"accessKeySecret\":\""
                  + S3TestServer.SECRET_KEY
                  + "\",\"fileFormat\":\"mkv\"}");
      String destination = destinationOf(roomName);
      RecordingService.Finished f =
          new RecordingService.Finished(org, roomName, "s-1", T0, T0.plusSeconds(90), "mkv");
      byte[] bytes = content(4096);
      // The recorder writes the file to the customer's bucket, under the destination's folder.
      try (S3Client customer =
          S3Client.builder()
              .httpClientBuilder(UrlConnectionHttpClient.builder())
              .endpointOverride(s3.endpoint())
              .region(Region.of(S3TestServer.REGION))
              .forcePathStyle(true)
              .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
              .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
              .credentialsProvider(
                  StaticCredentialsProvider.create(
                      AwsBasicCredentials.create(S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY)))
              .build()) {
        customer.putObject(
            b ->
                b.bucket(bucket)
                    .key("recordings/" + RecordingService.filename(f))
                    .contentType("video/x-matroska"),
            RequestBody.fromBytes(bytes));
      }
      Recording r = server.app().recordings().addInCustomerBucket(f, destination, bytes.length);

      JsonNode l = link(r.recordingId(), "?validForSeconds=120");
      String url = l.get("accessLink").asText();

      assertThat(url)
          .startsWith(s3.endpoint() + "/" + bucket + "/recordings/")
          .contains("X-Amz-Signature=")
          .contains("X-Amz-Expires=120");
      assertThat(l.get("expires").asLong()).isEqualTo(clock.millis() + 120_000);
      HttpResponse<byte[]> got = fetch(url);
      assertThat(got.statusCode()).as(text(got)).isEqualTo(200);
      assertThat(got.body()).isEqualTo(bytes);
      HttpResponse<byte[]> tampered = fetch(url.replace("X-Amz-Expires=120", "X-Amz-Expires=999"));
      assertThat(tampered.statusCode()).isEqualTo(403);

      Response read = api.get("/v1/recordings/" + r.recordingId(), key);
      assertThat(read.json().get("filename").asText()).endsWith(".mkv");
      assertThat(api.delete("/v1/recordings/" + r.recordingId(), key).status()).isEqualTo(204);
      assertThat(s3.objectCount(bucket, "recordings/"))
          .as("the customer's own file is left alone")
          .isEqualTo(1);
    }
  }

  @Test
  void theRoomServersRecordingOfAMeetingWithAnAccessKeyDestinationIsUploadedToThatBucket(
      @TempDir Path tmp) throws Exception {
    try (S3TestServer s3 = S3TestServer.start()) {
      String bucket = s3.newBucket();
      String roomName =
          createMeetingWithDestination(
              "{\"provider\":\"s3\",\"authenticationType\":\"accessKey\",\"bucket\":\""
                  + bucket
                  + "/team/recordings\",\"region\":\"us-east-1\",\"endpoint\":\""
                  + s3.endpoint()
                  + "\",\"accessKeyId\":\""
                  + S3TestServer.ACCESS_KEY
                  + "\",\"accessKeySecret\":\""
                  + S3TestServer.SECRET_KEY
                  + "\",\"fileFormat\":\"mp4\"}");
      byte[] bytes = content(2048);
      Path file = Files.write(tmp.resolve("out.mp4"), bytes);

      Recording r =
          server
              .app()
              .recordings()
              .addForMeeting(
                  server.app().meetings().findLiveByRoomName(roomName).orElseThrow(),
                  "s-3",
                  T0,
                  T0.plusSeconds(60),
                  "mp4",
                  file);

      assertThat(r.storage()).isEqualTo(Recording.Storage.S3);
      assertThat(r.storageKey()).isEqualTo("team/recordings/" + r.filename());
      assertThat(s3.objectCount(bucket, "team/recordings/")).isEqualTo(1);
      String url = link(r.recordingId(), "").get("accessLink").asText();
      assertThat(url).startsWith(s3.endpoint() + "/" + bucket + "/team/recordings/");
      HttpResponse<byte[]> got = fetch(url);
      assertThat(got.statusCode()).as(text(got)).isEqualTo(200);
      assertThat(got.body()).isEqualTo(bytes);
    }
  }

  @Test
  void theRoomServersRecordingOfAMeetingWithoutDestinationIsKeptByParlor(@TempDir Path tmp)
      throws Exception {
    Response m =
        api.post(
            "/v1/meetings", key, "{\"endDate\":\"" + clock.instant().plusSeconds(3600) + "\"}");
    String roomName = m.json().get("roomName").asText();
    byte[] bytes = content(512);
    Path file = Files.write(tmp.resolve("out.webm"), bytes);

    Recording r =
        server
            .app()
            .recordings()
            .addForMeeting(
                server.app().meetings().findLiveByRoomName(roomName).orElseThrow(),
                "s-4",
                T0,
                T0.plusSeconds(1),
                "webm",
                file);

    assertThat(r.storage()).isEqualTo(Recording.Storage.PARLOR);
    assertThat(r.filename()).isEqualTo(roomName.substring(1) + "-2026-11-30T10:00:00.000Z.webm");
    assertThat(fetch(link(r.recordingId(), "").get("accessLink").asText()).body()).isEqualTo(bytes);
  }

  @Test
  void aLinkWhoseFileIsGoneFromTheBlobStoreIs404() {
    Recording r = hosted(content(10), "mp4");
    String url = link(r.recordingId(), "").get("accessLink").asText();
    server.app().blobs().delete(r.storageKey());

    HttpResponse<byte[]> got = fetch(url);

    assertThat(got.statusCode()).isEqualTo(404);
    assertThat(text(got)).startsWith("{\"error\":");
  }

  @Test
  void aRoleBasedS3DestinationIsStoredButItsAccessLinkIsA403ThatSaysWhy() {
    String roomName =
        createMeetingWithDestination(
            "{\"provider\":\"s3\",\"authenticationType\":\"roleBased\",\"bucket\":\"b\","
                + "\"region\":\"eu-west-1\",\"oidcRoleArn\":\"arn:aws:iam::1:role/r\"}");
    RecordingService.Finished f =
        new RecordingService.Finished(org, roomName, "s-2", T0, T0.plusSeconds(5), "mp4");
    Recording r = server.app().recordings().addInCustomerBucket(f, destinationOf(roomName), 10);

    assertThat(api.get("/v1/recordings/" + r.recordingId(), key).status()).isEqualTo(200);
    Response l = api.get("/v1/recordings/" + r.recordingId() + "/access-link", key);

    assertThat(l.status()).isEqualTo(403);
    assertThat(l.json().get("error").asText()).contains("role-based").contains("not support");
    assertThat(l.json().at("/data/authenticationType").asText()).isEqualTo("roleBased");
    assertThatThrownBy(
            () ->
                server
                    .app()
                    .recordings()
                    .addForMeeting(
                        server.app().meetings().findLiveByRoomName(roomName).orElseThrow(),
                        "s-5",
                        T0,
                        T0,
                        "mp4",
                        Path.of("unused.mp4")))
        .hasMessageContaining("role-based S3 access is not supported by this server");
  }

  static String createMeetingWithDestination(String destination) {
    Response m =
        api.post(
            "/v1/meetings",
            key,
            "{\"endDate\":\""
                + clock.instant().plus(Duration.ofHours(1))
                + "\",\"recording\":{\"type\":\"cloud\",\"destination\":"
                + destination
                + "}}");
    assertThat(m.status()).as(m.toString()).isEqualTo(201);
    return m.json().get("roomName").asText();
  }

  static String destinationOf(String roomName) throws RuntimeException {
    String options =
        server.app().meetings().findLiveByRoomName(roomName).orElseThrow().optionsJson();
    try {
      return dev.parlor.http.Json.MAPPER.readTree(options).at("/recording/destination").toString();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
