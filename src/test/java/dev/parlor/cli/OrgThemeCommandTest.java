package dev.parlor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parlor.orgs.OrganizationService;
import dev.parlor.testing.AdminDatabase;
import dev.parlor.testing.ApiClient;
import dev.parlor.testing.ApiClient.Response;
import dev.parlor.testing.Multipart;
import dev.parlor.testing.ParlorProcess;
import dev.parlor.testing.ParlorProcess.Result;
import dev.parlor.testing.TestImages;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parlor org theme}: an organization's default theme, set beside a running server. */
class OrgThemeCommandTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir static Path dataDir;
  @TempDir static Path files;
  static Map<String, String> env;
  static ParlorProcess server;
  static ApiClient api;

  @BeforeAll
  static void startServer() {
    env = ParlorProcess.env(dataDir);
    server = ParlorProcess.serve(env);
    api = server.client();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  static Result parlor(String... args) {
    return ParlorProcess.run(env, args);
  }

  static OrganizationService.Created newOrganization() {
    try (AdminDatabase admin = AdminDatabase.open(dataDir)) {
      return admin.newOrganization("unlimited");
    }
  }

  static String room(String key) {
    Response r = api.post("/v1/meetings", key, ApiClient.meetingBody());
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("roomName").asText().substring(1);
  }

  static JsonNode theme(String room) {
    Response r = api.get("/rooms/" + room + "/theme.json", null);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  static Path file(String name, byte[] bytes) throws IOException {
    return Files.write(files.resolve(name), bytes);
  }

  static JsonNode json(String line) throws IOException {
    return MAPPER.readTree(line);
  }

  static ApiClient.BinaryResponse image(JsonNode img) {
    return api.getBytes(URI.create(img.get("url").asText()).getPath());
  }

  @Test
  void theOrganizationsColorsAndLogoAreEveryRoomsDefaultUntilTheRoomSetsItsOwn()
      throws IOException {
    OrganizationService.Created org = newOrganization();
    String id = Long.toString(org.organization().id());
    String room = room(org.apiKey());
    Path logo = file("org-logo.jpg", TestImages.jpegWithGpsExif(400, 100));

    Result r =
        parlor(
            "org",
            "theme",
            "--org",
            id,
            "--primary",
            "#112233",
            "--secondary",
            "#445566",
            "--focus",
            "#778899",
            "--logo",
            logo.toString(),
            "--json");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdoutLines()).hasSize(1);
    JsonNode printed = json(r.stdout());
    assertThat(printed.get("organizationId").asText()).isEqualTo(id);
    assertThat(printed.at("/colors/primary").asText()).isEqualTo("#112233");
    assertThat(printed.at("/logo/contentType").asText()).isEqualTo("image/jpeg");
    assertThat(printed.at("/logo/width").asInt()).isEqualTo(400);

    JsonNode t = theme(room);
    assertThat(t.get("tokensPreset").asText()).isEqualTo("default");
    assertThat(t.at("/tokens/colors/primary").asText()).isEqualTo("#112233");
    assertThat(t.at("/tokens/colors/secondary").asText()).isEqualTo("#445566");
    assertThat(t.at("/tokens/colors/focus").asText()).isEqualTo("#778899");
    assertThat(t.at("/logo/source").asText()).isEqualTo("organization");
    ApiClient.BinaryResponse served = image(t.get("logo"));
    assertThat(served.status()).isEqualTo(200);
    assertThat(TestImages.contains(served.body(), TestImages.gpsExif()))
        .as("EXIF stripped from the organization's logo too")
        .isFalse();

    // The room's own theme wins.
    assertThat(
            api.send(
                    "PUT",
                    "/v1/rooms/" + room + "/theme/tokens",
                    org.apiKey(),
                    "{\"tokensPreset\":\"custom\",\"tokens\":{\"colors\":{\"primary\":\"#abcdef\"}}}")
                .status())
        .isEqualTo(204);
    Multipart own = Multipart.image("own.png", "image/png", TestImages.png(50, 50));
    assertThat(
            api.sendBytes(
                    "PUT",
                    "/v1/rooms/" + room + "/theme/logo",
                    org.apiKey(),
                    own.contentType(),
                    own.bytes())
                .status())
        .isEqualTo(204);
    JsonNode overridden = theme(room);
    assertThat(overridden.at("/tokens/colors/primary").asText()).isEqualTo("#abcdef");
    assertThat(overridden.at("/tokens/colors/secondary").asText())
        .as("a color the room leaves out is still the organization's")
        .isEqualTo("#445566");
    assertThat(overridden.at("/logo/source").asText()).isEqualTo("room");
    assertThat(overridden.at("/logo/width").asInt()).isEqualTo(50);

    // Reset to default: the organization's logo again.
    assertThat(
            api.send(
                    "PUT",
                    "/v1/rooms/" + room + "/theme/logo",
                    org.apiKey(),
                    "{\"theme\":\"default\"}")
                .status())
        .isEqualTo(204);
    assertThat(theme(room).get("logo")).isEqualTo(t.get("logo"));
    assertThat(
            api.send(
                    "PUT",
                    "/v1/rooms/" + room + "/theme/tokens",
                    org.apiKey(),
                    "{\"tokensPreset\":\"default\"}")
                .status())
        .isEqualTo(204);
    assertThat(theme(room).at("/tokens/colors/primary").asText()).isEqualTo("#112233");
  }

  @Test
  void colorsSetLaterChangeOnlyTheGivenOnesAndResetRemovesEverything() throws IOException {
    OrganizationService.Created org = newOrganization();
    String id = Long.toString(org.organization().id());
    String room = room(org.apiKey());
    Path logo = file("small.png", TestImages.png(40, 40));
    assertThat(
            parlor("org", "theme", "--org", id, "--primary", "#101010", "--logo", logo.toString())
                .exitCode())
        .isZero();
    JsonNode before = theme(room);

    Result later = parlor("org", "theme", "--org", id, "--focus", "#FF00AA");

    assertThat(later.exitCode()).as(later.toString()).isZero();
    assertThat(later.stdoutLines())
        .containsExactly(
            "Organization " + id + " theme defaults:",
            "primary\t#101010",
            "secondary\t(not set: Parlor's #e8ecf4)",
            "focus\t#ff00aa",
            "logo\tPNG 40x40, "
                + Files.size(logo)
                + " bytes, sha256 "
                + later.stdoutLines().get(4).replaceAll(".*sha256 ", ""));
    assertThat(theme(room).at("/tokens/colors/focus").asText()).isEqualTo("#ff00aa");

    Result reset = parlor("org", "theme", "--org", id, "--reset", "--json");

    assertThat(reset.exitCode()).isZero();
    JsonNode printed = json(reset.stdout());
    assertThat(printed.at("/colors/primary").isNull()).isTrue();
    assertThat(printed.get("logo").isNull()).isTrue();
    JsonNode after = theme(room);
    assertThat(after.get("logo").isNull()).isTrue();
    assertThat(after.at("/tokens/colors/primary").asText()).isEqualTo("#2c5cc5");
    assertThat(image(before.get("logo")).status()).as("the old logo's URL").isEqualTo(404);
    try (var blobs = Files.walk(dataDir.resolve("blobs/data"))) {
      assertThat(blobs.filter(Files::isRegularFile).map(Path::toString))
          .noneMatch(p -> p.contains("themes/organization/" + id + "/"));
    }
  }

  @Test
  void aBadColorAMissingOrganizationOrABadLogoExitsTwoWithOneErrorLineAndChangesNothing()
      throws IOException {
    OrganizationService.Created org = newOrganization();
    String id = Long.toString(org.organization().id());
    Path text = file("notes.png", "not a picture at all\n".getBytes(StandardCharsets.UTF_8));
    Path big = file("big.png", TestImages.noisePng(700, 700));
    Path bomb = file("bomb.png", TestImages.pngDeclaring(100_000, 100_000));

    String[][] cases = {
      {
        "error: --primary must be a hex color like #1a2b3c, got 'red'",
        "--org",
        id,
        "--primary",
        "red"
      },
      {
        "error: --focus must be a hex color like #1a2b3c, got '#12345'",
        "--org",
        id,
        "--focus",
        "#12345"
      },
      {"error: no organization with id 987654", "--org", "987654", "--primary", "#123456"},
      {
        "error: --logo: image must be a PNG, JPEG or WebP image",
        "--org",
        id,
        "--logo",
        text.toString()
      },
      {
        "error: --logo: no such file: " + files.resolve("missing.png"),
        "--org",
        id,
        "--logo",
        files.resolve("missing.png").toString()
      },
      {
        "error: --logo: image is larger than the limit of 1 MB (1048576 bytes) for a logo",
        "--org",
        id,
        "--logo",
        big.toString()
      },
      {
        "error: --logo: image is 100000x100000 pixels; at most 10000 pixels a side and 40 megapixels are accepted",
        "--org",
        id,
        "--logo",
        bomb.toString()
      },
    };
    for (String[] c : cases) {
      String[] args = new String[c.length + 1];
      args[0] = "org";
      args[1] = "theme";
      System.arraycopy(c, 1, args, 2, c.length - 1);

      Result r = parlor(args);

      assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
      assertThat(r.stdout()).isEmpty();
      assertThat(r.stderr()).contains(c[0] + "\n").doesNotContain("Exception", "\tat ");
    }
    Result shown = parlor("org", "theme", "--org", id, "--json");
    assertThat(json(shown.stdout()).at("/colors/primary").isNull()).isTrue();
    assertThat(json(shown.stdout()).get("logo").isNull()).isTrue();
  }
}
