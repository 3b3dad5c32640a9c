package dev.parlor.themes;

import static dev.parlor.testing.ApiAssertions.assertError;
import static dev.parlor.testing.ApiAssertions.assertErrorShape;
import static dev.parlor.testing.ApiAssertions.assertFieldError;
import static dev.parlor.themes.ThemeFixture.fetch;
import static dev.parlor.themes.ThemeFixture.putJson;
import static dev.parlor.themes.ThemeFixture.room;
import static dev.parlor.themes.ThemeFixture.theme;
import static dev.parlor.themes.ThemeFixture.upload;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parlor.testing.ApiClient;
import dev.parlor.testing.ApiClient.BinaryResponse;
import dev.parlor.testing.ApiClient.Response;
import dev.parlor.testing.Multipart;
import dev.parlor.testing.TestImages;
import dev.parlor.testing.TestServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The logo and both backgrounds: uploads, built-in backgrounds, resets, refusals. */
class RoomImagesTest {
  static final String WRONG_TYPE = "Content-Type must be multipart/form-data or application/json";
  static final List<String> ENDPOINTS =
      List.of("logo", "room-background", "room-knock-page-background");

  static TestServer server;
  static ApiClient api;
  static String key;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = server.client();
    key = server.newOrganization("unlimited");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String member(String endpoint) {
    return ImageSlot.fromWire(endpoint).orElseThrow().jsonName();
  }

  static BufferedImage decode(byte[] bytes) throws IOException {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
    assertThat(img).as("decodes").isNotNull();
    return img;
  }

  static Stream<Arguments> imagesOfEachType() {
    return Stream.of(
        Arguments.of("PNG", "image/png", TestImages.png(400, 120), 400, 120),
        Arguments.of("JPEG", "image/jpeg", TestImages.jpeg(640, 360), 640, 360),
        Arguments.of(
            "progressive JPEG", "image/jpeg", TestImages.progressiveJpeg(320, 200), 320, 200),
        Arguments.of("lossy WebP", "image/webp", TestImages.lossyWebp(), 64, 48),
        Arguments.of("lossless WebP", "image/webp", TestImages.losslessWebp(), 64, 48));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("imagesOfEachType")
  void anImageOfEachTypeIsStoredForEachSlotAndServedFromItsHashedUrl(
      String what, String type, byte[] image, int width, int height) throws IOException {
    for (String endpoint : ENDPOINTS) {
      String room = room(server, key);

      Response r = upload(api, key, room, endpoint, type, image);

      assertThat(r.status()).as(endpoint + ": " + r).isEqualTo(204);
      JsonNode img = theme(api, room).get(member(endpoint));
      assertThat(img.get("source").asText()).isEqualTo("room");
      assertThat(img.get("contentType").asText()).isEqualTo(type);
      assertThat(img.get("width").asInt()).isEqualTo(width);
      assertThat(img.get("height").asInt()).isEqualTo(height);
      assertThat(img.get("url").asText())
          .startsWith(server.app().publicUrl() + "/rooms" + room + "/theme/" + endpoint + "-")
          .matches(".*-[0-9a-f]{16}\\.(png|jpg|webp)");
      BinaryResponse served = fetch(api, img);
      assertThat(served.status()).isEqualTo(200);
      assertThat(served.header("Content-Type")).hasValue(type);
      assertThat(served.header("Cache-Control")).hasValue("public, max-age=31536000, immutable");
      assertThat(served.header("ETag"))
          .hasValueSatisfying(e -> assertThat(e).matches("\"[0-9a-f]{64}\""));
      if (!type.equals("image/webp")) {
        BufferedImage got = decode(served.body());
        assertThat(got.getWidth()).isEqualTo(width);
        assertThat(got.getHeight()).isEqualTo(height);
      } else {
        assertThat(new String(served.body(), 8, 4, StandardCharsets.ISO_8859_1)).isEqualTo("WEBP");
      }
    }
  }

  @Test
  void aPlainImageIsStoredByteForByte() {
    String room = room(server, key);
    byte[] png = TestImages.png(100, 100);

    upload(api, key, room, "logo", "image/png", png);

    assertThat(fetch(api, theme(api, room).get("logo")).body()).isEqualTo(png);
  }

  @Test
  void theDeclaredTypeAndFileNameDoNotMatterOnlyTheBytesDo() {
    String room = room(server, key);

    Response r =
        upload(
            api,
            key,
            room,
            "logo",
            Multipart.image("logo.gif", "application/octet-stream", TestImages.jpeg(50, 50)));

    assertThat(r.status()).isEqualTo(204);
    assertThat(theme(api, room).at("/logo/contentType").asText()).isEqualTo("image/jpeg");
  }

  @Test
  void aTextFileNamedLikeAnImageIsA400NamingTheProblem() {
    String room = room(server, key);
    byte[] text = "just some notes, not a picture\n".repeat(20).getBytes(StandardCharsets.UTF_8);

    Response r = upload(api, key, room, "logo", Multipart.image("photo.png", "image/png", text));

    JsonNode body = assertFieldError(r, "image");
    assertThat(body.get("error").asText()).isEqualTo("image must be a PNG, JPEG or WebP image");
    assertThat(theme(api, room).get("logo").isNull()).isTrue();
  }

  @Test
  void aTruncatedOrCorruptedImageIsA400() {
    String room = room(server, key);
    byte[] png = TestImages.png(200, 200);
    byte[] jpeg = TestImages.jpeg(200, 200);
    byte[] webp = TestImages.lossyWebp();
    byte[] flipped = png.clone();
    flipped[60] ^= 0x55; // inside IDAT: its CRC no longer matches

    for (byte[] bad :
        List.of(
            java.util.Arrays.copyOf(png, png.length / 2),
            java.util.Arrays.copyOf(jpeg, jpeg.length - 200),
            java.util.Arrays.copyOf(webp, webp.length - 40),
            flipped,
            new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})) {
      Response r = upload(api, key, room, "room-background", "image/png", bad);

      JsonNode body = assertFieldError(r, "image");
      assertThat(body.get("error").asText()).containsAnyOf("could not be decoded", "damaged");
    }
  }

  @Test
  void anEmptyFileIsA400() {
    String room = room(server, key);

    Response r = upload(api, key, room, "logo", "image/png", new byte[0]);

    assertThat(assertFieldError(r, "image").get("error").asText()).isEqualTo("image is empty");
  }

  @Test
  void aDecompressionBombIsRefusedFromItsHeaderBeforeAnyPixelIsDecoded() {
    String room = room(server, key);
    byte[] bomb = TestImages.pngDeclaring(100_000, 100_000);
    assertThat(bomb.length).as("a small file").isLessThan(2_000);

    long start = System.nanoTime();
    Response r = upload(api, key, room, "room-background", "image/png", bomb);

    JsonNode body = assertFieldError(r, "image");
    assertThat(body.get("error").asText())
        .isEqualTo(
            "image is 100000x100000 pixels; at most 10000 pixels a side and 40 megapixels are"
                + " accepted");
    assertThat(System.nanoTime() - start).as("answered at once").isLessThan(5_000_000_000L);
    assertFieldError(
        upload(api, key, room, "logo", "image/png", TestImages.pngDeclaring(9000, 9000)), "image");
    assertFieldError(
        upload(api, key, room, "logo", "image/png", TestImages.pngDeclaring(20_000, 10)), "image");
  }

  @Test
  void aLargeButSaneImageIsDecodedWithinBoundsAndAccepted() {
    String room = room(server, key);
    // 6000 x 6000 = 36 megapixels of one color: a few kilobytes of PNG.
    BufferedImage big = new BufferedImage(6000, 6000, BufferedImage.TYPE_BYTE_GRAY);
    byte[] png = TestImages.encode(big, "png");

    Response r = upload(api, key, room, "room-background", "image/png", png);

    assertThat(r.status()).as(r.toString()).isEqualTo(204);
    assertThat(theme(api, room).at("/roomBackground/width").asInt()).isEqualTo(6000);
  }

  @Test
  void anOversizeBackgroundIsA413NamingThe600KbLimitDeclaredOrStreamed() {
    String room = room(server, key);
    byte[] big = TestImages.noisePng(500, 500);
    assertThat(big.length).isBetween(600 * 1024 + 1, 1024 * 1024);
    Multipart body = Multipart.image("big.png", "image/png", big);

    Response declared = upload(api, key, room, "room-background", body);
    Response streamed =
        api.send(
            HttpRequest.newBuilder(
                    api.uri("/v1/rooms/" + room.substring(1) + "/theme/room-knock-page-background"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", body.contentType())
                .PUT(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(body.bytes())))
                .build());

    for (Response r : List.of(declared, streamed)) {
      JsonNode e = assertErrorShape(r, 413);
      assertThat(e.get("error").asText())
          .isEqualTo("image is larger than the limit of 600 KB (614400 bytes) for a background");
      assertThat(e.at("/data/limitBytes").asInt()).isEqualTo(614400);
      assertThat(e.at("/data/field").asText()).isEqualTo("image");
    }
    assertThat(upload(api, key, room, "logo", body).status())
        .as("the same file is a fine logo")
        .isEqualTo(204);
  }

  @Test
  void anOversizeLogoIsA413NamingThe1MbLimitEvenWhenTheBodyIsMuchLarger() {
    String room = room(server, key);
    byte[] big = TestImages.noisePng(700, 700);
    assertThat(big.length).isGreaterThan(1024 * 1024);
    byte[] huge = new byte[20 * 1024 * 1024];
    System.arraycopy(big, 0, huge, 0, big.length);

    for (byte[] image : List.of(big, huge)) {
      Response r = upload(api, key, room, "logo", "image/png", image);

      JsonNode e = assertErrorShape(r, 413);
      assertThat(e.get("error").asText())
          .isEqualTo("image is larger than the limit of 1 MB (1048576 bytes) for a logo");
      assertThat(e.at("/data/limitBytes").asInt()).isEqualTo(1048576);
    }
  }

  @Test
  void exifWithAGpsPositionIsStrippedFromAStoredJpeg() throws IOException {
    String room = room(server, key);
    byte[] withGps = TestImages.jpegWithGpsExif(300, 200);
    byte[] gps = TestImages.gpsExif();
    assertThat(TestImages.contains(withGps, gps)).isTrue();

    Response r = upload(api, key, room, "logo", "image/jpeg", withGps);

    assertThat(r.status()).isEqualTo(204);
    byte[] stored = fetch(api, theme(api, room).get("logo")).body();
    assertThat(TestImages.contains(stored, gps)).as("the GPS block").isFalse();
    assertThat(TestImages.contains(stored, "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1)))
        .isFalse();
    assertThat(TestImages.contains(stored, "taken at home".getBytes(StandardCharsets.ISO_8859_1)))
        .as("the comment")
        .isFalse();
    assertThat(segments(stored)).doesNotContain(0xe1, 0xfe).contains(0xe0, 0xdb, 0xc0, 0xda);
    BufferedImage got = decode(stored);
    assertThat(got.getWidth()).isEqualTo(300);
    assertThat(got.getRGB(150, 100)).isEqualTo(decode(TestImages.jpeg(300, 200)).getRGB(150, 100));
  }

  @Test
  void aJpegKeepsItsOrientationButNoOtherExif() {
    String room = room(server, key);
    byte[] exif = TestImages.orientationAndGpsExif(6);
    byte[] photo = TestImages.jpegWithExif(300, 200, exif);

    upload(api, key, room, "logo", "image/jpeg", photo);

    byte[] stored = fetch(api, theme(api, room).get("logo")).body();
    assertThat(TestImages.contains(stored, java.util.Arrays.copyOfRange(exif, 60, 92)))
        .as("the GPS values")
        .isFalse();
    assertThat(segments(stored)).containsOnlyOnce(0xe1);
    assertThat(MetadataStripper.exifOrientation(app1(stored))).isEqualTo(6);
    assertThat(app1(stored)).hasSize(6 + 8 + 2 + 12 + 4);
  }

  /** The body of a JPEG's first APP1 segment. */
  static byte[] app1(byte[] jpeg) {
    int i = 2;
    while (i + 4 <= jpeg.length) {
      int m = jpeg[i + 1] & 0xff;
      int len = (jpeg[i + 2] & 0xff) << 8 | (jpeg[i + 3] & 0xff);
      if (m == 0xe1) {
        return java.util.Arrays.copyOfRange(jpeg, i + 4, i + 2 + len);
      }
      i += 2 + len;
    }
    throw new AssertionError("no APP1 segment");
  }

  /** The markers of a JPEG's segments up to its first scan. */
  static List<Integer> segments(byte[] jpeg) {
    List<Integer> markers = new java.util.ArrayList<>();
    int i = 2;
    while (i + 4 <= jpeg.length && (jpeg[i] & 0xff) == 0xff) {
      int m = jpeg[i + 1] & 0xff;
      markers.add(m);
      if (m == 0xda) {
        break;
      }
      i += 2 + ((jpeg[i + 2] & 0xff) << 8 | (jpeg[i + 3] & 0xff));
    }
    return markers;
  }

  @Test
  void textAndExifChunksAreStrippedFromAStoredPng() throws IOException {
    String room = room(server, key);
    byte[] png = TestImages.pngWithText(120, 80);

    upload(api, key, room, "room-background", "image/png", png);

    byte[] stored = fetch(api, theme(api, room).get("roomBackground")).body();
    assertThat(TestImages.contains(stored, "Stockholm".getBytes(StandardCharsets.ISO_8859_1)))
        .isFalse();
    assertThat(TestImages.contains(stored, "eXIf".getBytes(StandardCharsets.ISO_8859_1))).isFalse();
    assertThat(TestImages.contains(stored, TestImages.gpsExif())).isFalse();
    assertThat(stored).isEqualTo(TestImages.png(120, 80));
    assertThat(decode(stored).getWidth()).isEqualTo(120);
  }

  @Test
  void exifAndXmpChunksAreStrippedFromAStoredWebpAndItsHeaderSaysSo() {
    String room = room(server, key);
    byte[] webp = TestImages.webpWithMetadata();

    upload(api, key, room, "room-knock-page-background", "image/webp", webp);

    byte[] stored = fetch(api, theme(api, room).get("roomKnockPageBackground")).body();
    assertThat(TestImages.contains(stored, "EXIF".getBytes(StandardCharsets.ISO_8859_1))).isFalse();
    assertThat(TestImages.contains(stored, "XMP ".getBytes(StandardCharsets.ISO_8859_1))).isFalse();
    assertThat(TestImages.contains(stored, "GPSLatitude".getBytes(StandardCharsets.ISO_8859_1)))
        .isFalse();
    assertThat(new String(stored, 12, 4, StandardCharsets.ISO_8859_1)).isEqualTo("VP8X");
    assertThat(stored[20] & 0x0c).as("EXIF and XMP flags").isZero();
    long riff =
        (stored[4] & 0xffL)
            | (stored[5] & 0xffL) << 8
            | (stored[6] & 0xffL) << 16
            | (stored[7] & 0xffL) << 24;
    assertThat(riff).isEqualTo(stored.length - 8);
  }

  @ParameterizedTest(name = "Content-Type: {0}")
  @ValueSource(
      strings = {
        "text/plain",
        "image/png",
        "application/x-www-form-urlencoded",
        "multipart/mixed; boundary=x",
        ""
      })
  void anyOtherContentTypeIsA400WithExactlyTheContractsMessage(String type) {
    String room = room(server, key);
    for (String endpoint : ENDPOINTS) {
      Response r =
          api.sendBytes(
              "PUT",
              "/v1/rooms/" + room.substring(1) + "/theme/" + endpoint,
              key,
              type.isEmpty() ? null : type,
              TestImages.png(10, 10));

      assertError(r, 400, WRONG_TYPE);
    }
  }

  @Test
  void aMultipartBodyWithoutAnImagePartOrWithoutABoundaryIsA400() {
    String room = room(server, key);

    Response noImage = upload(api, key, room, "logo", new Multipart().field("file", "nothing"));
    Response noBoundary =
        api.sendBytes(
            "PUT",
            "/v1/rooms/" + room.substring(1) + "/theme/logo",
            key,
            "multipart/form-data",
            new byte[10]);
    Response malformed =
        api.sendBytes(
            "PUT",
            "/v1/rooms/" + room.substring(1) + "/theme/logo",
            key,
            "multipart/form-data; boundary=abc",
            "--abc\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\nno end"
                .getBytes(StandardCharsets.ISO_8859_1));

    assertThat(assertFieldError(noImage, "image").get("error").asText())
        .contains("multipart/form-data part named image");
    assertThat(assertErrorShape(noBoundary, 400).get("error").asText()).contains("boundary");
    assertThat(assertErrorShape(malformed, 400).get("error").asText())
        .startsWith("Malformed multipart body");
  }

  @Test
  void theImagePartMayComeAfterOtherFields() {
    String room = room(server, key);

    Response r =
        upload(
            api,
            key,
            room,
            "logo",
            new Multipart()
                .field("note", "hi")
                .file("image", "l.png", "image/png", TestImages.png(20, 20)));

    assertThat(r.status()).isEqualTo(204);
    assertThat(theme(api, room).at("/logo/width").asInt()).isEqualTo(20);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"room-background", "room-knock-page-background"})
  void aBuiltInPaletteAndPictureAreChosenWithJsonAndServedAsAPng(String endpoint)
      throws IOException {
    String room = room(server, key);

    Response r =
        putJson(api, key, room, endpoint, "{\"palette\":\"purple\",\"theme\":\"mountains\"}");

    assertThat(r.status()).as(r.toString()).isEqualTo(204);
    JsonNode img = theme(api, room).get(member(endpoint));
    assertThat(img.get("source").asText()).isEqualTo("room");
    assertThat(img.get("palette").asText()).isEqualTo("purple");
    assertThat(img.get("theme").asText()).isEqualTo("mountains");
    BinaryResponse served = fetch(api, img);
    assertThat(served.header("Content-Type")).hasValue("image/png");
    assertThat(served.header("Cache-Control")).hasValue("public, max-age=31536000, immutable");
    assertThat(decode(served.body()).getWidth()).isEqualTo(1280);
  }

  @Test
  void everyBuiltInBackgroundIsADistinctSmallPng() throws IOException {
    String room = room(server, key);
    java.util.Set<String> urls = new java.util.HashSet<>();
    for (String palette : Palette.names()) {
      for (String picture : BackgroundTheme.names()) {
        assertThat(
                putJson(
                        api,
                        key,
                        room,
                        "room-background",
                        "{\"palette\":\"" + palette + "\",\"theme\":\"" + picture + "\"}")
                    .status())
            .isEqualTo(204);
        JsonNode img = theme(api, room).get("roomBackground");
        BinaryResponse served = fetch(api, img);
        assertThat(served.status()).isEqualTo(200);
        assertThat(served.body().length).as(palette + "/" + picture).isLessThan(200 * 1024);
        urls.add(img.get("url").asText());
      }
    }
    assertThat(urls).hasSize(16);
  }

  @Test
  void theDefaultBackgroundIsTheBuiltInDefaultAndJsonDefaultsResetAnUpload() {
    String room = room(server, key);
    JsonNode before = theme(api, room).get("roomBackground");
    assertThat(before.get("source").asText()).isEqualTo("built-in");
    assertThat(before.get("palette").asText()).isEqualTo("default");
    assertThat(before.get("theme").asText()).isEqualTo("default");
    assertThat(fetch(api, before).status()).isEqualTo(200);
    upload(api, key, room, "room-background", "image/png", TestImages.png(30, 30));
    JsonNode uploaded = theme(api, room).get("roomBackground");
    assertThat(uploaded.get("source").asText()).isEqualTo("room");

    for (String reset : List.of("{\"palette\":\"default\",\"theme\":\"default\"}", "{}")) {
      upload(api, key, room, "room-background", "image/png", TestImages.png(31, 31));
      assertThat(putJson(api, key, room, "room-background", reset).status()).isEqualTo(204);

      assertThat(theme(api, room).get("roomBackground")).isEqualTo(before);
    }
    assertThat(fetch(api, uploaded).status()).as("the replaced image is gone").isEqualTo(404);
  }

  @Test
  void aBadPaletteOrPictureIsA400NamingIt() {
    String room = room(server, key);

    assertFieldError(
        putJson(api, key, room, "room-background", "{\"palette\":\"pink\"}"), "palette");
    assertFieldError(
        putJson(api, key, room, "room-knock-page-background", "{\"theme\":\"beach\"}"), "theme");
    assertFieldError(putJson(api, key, room, "room-background", "{\"theme\":3}"), "theme");
  }

  @Test
  void theLogoIsResetToTheDefaultWithJson() {
    String room = room(server, key);
    upload(api, key, room, "logo", "image/png", TestImages.png(40, 40));
    JsonNode uploaded = theme(api, room).get("logo");
    assertThat(uploaded.isObject()).isTrue();

    Response r = putJson(api, key, room, "logo", "{\"theme\":\"default\"}");

    assertThat(r.status()).isEqualTo(204);
    assertThat(theme(api, room).get("logo").isNull()).isTrue();
    assertThat(fetch(api, uploaded).status()).isEqualTo(404);
    assertFieldError(putJson(api, key, room, "logo", "{\"theme\":\"mountains\"}"), "theme");
  }

  @Test
  void aNewUploadReplacesTheOldImageWhoseUrlAndBlobAreGone() {
    String room = room(server, key);
    upload(api, key, room, "logo", "image/png", TestImages.png(50, 50));
    JsonNode first = theme(api, room).get("logo");

    upload(api, key, room, "logo", "image/png", TestImages.png(60, 60));
    JsonNode second = theme(api, room).get("logo");

    assertThat(second.get("url")).isNotEqualTo(first.get("url"));
    assertThat(fetch(api, first).status()).isEqualTo(404);
    assertThat(fetch(api, second).status()).isEqualTo(200);
    String meetingId = ThemeFixture.meetingIdOf(server, key, room);
    assertThat(server.app().blobs().deleteByPrefix("themes/room/" + meetingId + "/"))
        .as("one blob left")
        .isEqualTo(1);
  }

  @Test
  void uploadingTheSameImageAgainKeepsItsUrl() {
    String room = room(server, key);
    byte[] png = TestImages.png(70, 70);
    upload(api, key, room, "logo", "image/png", png);
    JsonNode first = theme(api, room).get("logo");

    upload(api, key, room, "logo", "image/png", png);

    assertThat(theme(api, room).get("logo")).isEqualTo(first);
    assertThat(fetch(api, first).status()).isEqualTo(200);
  }

  @Test
  void concurrentUploadsToOneSlotLeaveAnImageThatIsServed() throws Exception {
    String room = room(server, key);
    byte[] a = TestImages.png(90, 90);
    byte[] b = TestImages.png(91, 91);
    upload(api, key, room, "logo", "image/png", a);
    List<java.util.concurrent.Future<Response>> done = new java.util.ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(6)) {
      for (int i = 0; i < 12; i++) {
        byte[] image = i % 2 == 0 ? a : b;
        done.add(pool.submit(() -> upload(api, key, room, "logo", "image/png", image)));
      }
    }
    for (var f : done) {
      assertThat(f.get().status()).isEqualTo(204);
    }

    BinaryResponse served = fetch(api, theme(api, room).get("logo"));

    assertThat(served.status()).isEqualTo(200);
    assertThat(served.body())
        .satisfiesAnyOf(x -> assertThat(x).isEqualTo(a), x -> assertThat(x).isEqualTo(b));
  }

  @Test
  void theThreeRoomNameSpellingsReachTheSameRoomForImages() {
    String room = room(server, key);
    String name = room.substring(1);
    int size = 10;
    for (String spelling : List.of(name, "/" + name, "%2F" + name)) {
      size++;
      Multipart body = Multipart.image("l.png", "image/png", TestImages.png(size, size));
      Response r =
          api.sendBytes(
              "PUT",
              "/v1/rooms/" + spelling + "/theme/logo",
              key,
              body.contentType(),
              body.bytes());

      assertThat(r.status()).as(spelling).isEqualTo(204);
      assertThat(theme(api, room).at("/logo/width").asInt()).isEqualTo(size);
    }
  }

  @Test
  void anotherOrganizationsOrAnUnknownRoomIsNotFoundWhateverTheBody() {
    String room = room(server, key);
    String other = server.newOrganization("unlimited");

    for (String endpoint : ENDPOINTS) {
      assertError(
          upload(api, other, room, endpoint, "image/png", TestImages.png(5, 5)),
          404,
          "The requested resource doesn't exist");
      assertError(
          putJson(api, other, room, endpoint, "{}"), 404, "The requested resource doesn't exist");
      assertError(
          upload(api, key, "/nope-" + endpoint, endpoint, "image/png", TestImages.png(5, 5)),
          404,
          "The requested resource doesn't exist");
    }
    assertThat(theme(api, room).get("logo").isNull()).isTrue();
  }
}
