package dev.parlor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parlor.orgs.OrganizationService;
import dev.parlor.testing.AdminDatabase;
import dev.parlor.testing.ApiClient;
import dev.parlor.testing.ApiClient.Response;
import dev.parlor.testing.ParlorProcess;
import dev.parlor.testing.ParlorProcess.Result;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parlor recording import} as a separate process beside a running server, with a real media
 * file: {@code src/test/resources/media/tiny.webm}, one second of VP8 video and Opus audio made
 * with Debian's ffmpeg ({@code ffmpeg -f lavfi -i testsrc=duration=1:size=160x120:rate=10 -f lavfi
 * -i sine=frequency=440:duration=1 -c:v libvpx -b:v 50k -c:a libopus -b:a 24k -shortest}).
 */
class RecordingCommandTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir static Path dataDir;
  @TempDir static Path files;
  static Map<String, String> env;
  static ParlorProcess server;
  static ApiClient api;
  static long org;
  static String key;
  static Path media;

  @BeforeAll
  static void startServer() throws IOException {
    env = ParlorProcess.env(dataDir);
    server = ParlorProcess.serve(env);
    api = server.client();
    try (AdminDatabase admin = AdminDatabase.open(dataDir)) {
      OrganizationService.Created c = admin.newOrganization("unlimited");
      org = c.organization().id();
      key = c.apiKey();
    }
    media = files.resolve("talk.webm");
    try (InputStream in = RecordingCommandTest.class.getResourceAsStream("/media/tiny.webm")) {
      Files.copy(in, media);
    }
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  static JsonNode json(String line) {
    try {
      return MAPPER.readTree(line);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }

  @Test
  void importWithJsonPrintsTheNewRecordingOnOneLineAndTheRunningServerServesItsFile()
      throws Exception {
    Result r =
        ParlorProcess.run(
            env,
            "recording",
            "import",
            "--org",
            Long.toString(org),
            "--room",
            "/all-hands",
            "--file",
            media.toString(),
            "--session",
            "e2f29530-46ec-4cee-8b27-e565cb5bb2e9",
            "--start",
            "2025-03-04T10:00:00+01:00",
            "--end",
            "2025-03-04T09:30:00Z",
            "--json");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdoutLines()).as("stdout holds the JSON and nothing else").hasSize(1);
    JsonNode rec = json(r.stdoutLines().get(0));
    String id = rec.get("recordingId").asText();
    assertThat(rec.get("roomName").asText()).isEqualTo("/all-hands");
    assertThat(rec.get("roomSessionId").asText()).isEqualTo("e2f29530-46ec-4cee-8b27-e565cb5bb2e9");
    assertThat(rec.get("filename").asText()).isEqualTo("all-hands-2025-03-04T09:00:00.000Z.webm");
    assertThat(rec.get("startDate").asText()).isEqualTo("2025-03-04T09:00:00.000Z");
    assertThat(rec.get("endDate").asText()).isEqualTo("2025-03-04T09:30:00.000Z");
    assertThat(rec.get("sizeInMegaBytes").asDouble()).isEqualTo(0.01);

    Response read = api.get("/v1/recordings/" + id, key);
    assertThat(read.status()).as(read.toString()).isEqualTo(200);
    assertThat(read.json()).isEqualTo(rec);
    Response listed = api.get("/v1/recordings?roomName=/all-hands", key);
    assertThat(listed.json().get("results")).hasSize(1);

    String link =
        api.get("/v1/recordings/" + id + "/access-link", key)
            .json()
            .get("accessLink")
            .asText()
            .replace("http://localhost:", "http://127.0.0.1:");
    HttpResponse<byte[]> file =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(link)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(file.headers().firstValue("Content-Type")).hasValue("video/webm");
    assertThat(file.body()).isEqualTo(Files.readAllBytes(media));
    assertThat(file.body()).startsWith(0x1a, 0x45, 0xdf, 0xa3); // the EBML magic of a WebM file
  }

  @Test
  void importWithoutDatesUsesTheFilesModificationTimeAndPrintsAReadableLine() throws IOException {
    Path copy = files.resolve("standup.WEBM");
    Files.copy(media, copy);
    Instant modified = Instant.parse("2024-06-01T08:15:30.250Z");
    Files.setLastModifiedTime(copy, FileTime.from(modified));

    Result r =
        ParlorProcess.run(
            env,
            "recording",
            "import",
            "--org",
            Long.toString(org),
            "--room",
            "standup",
            "--file",
            copy.toString());

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdoutLines()).hasSize(1);
    assertThat(r.stdout())
        .matches(
            "(?s)Recording [0-9a-f-]{36} of /standup: standup-2024-06-01T08:15:30.250Z\\.webm \\(11649 bytes\\)\\n");
  }

  @Test
  void anUnknownOrganizationAMissingFileABadDateOrRoomNameExitWith2AClearMessageAndNoOutput() {
    Result noOrg =
        ParlorProcess.run(
            env,
            "recording",
            "import",
            "--org",
            "999999",
            "--room",
            "/x",
            "--file",
            media.toString());
    Result noFile =
        ParlorProcess.run(
            env,
            "recording",
            "import",
            "--org",
            Long.toString(org),
            "--room",
            "/x",
            "--file",
            files.resolve("nothing.mp4").toString());
    Result badDate =
        ParlorProcess.run(
            env,
            "recording",
            "import",
            "--org",
            Long.toString(org),
            "--room",
            "/x",
            "--file",
            media.toString(),
            "--start",
            "yesterday");

    Result badRoom =
        ParlorProcess.run(
            env,
            "recording",
            "import",
            "--org",
            Long.toString(org),
            "--room",
            "/a room",
            "--file",
            media.toString());

    assertThat(badRoom.exitCode()).as(badRoom.toString()).isEqualTo(2);
    assertThat(badRoom.stderr()).contains("error: a room name is a slash and up to 127");
    assertThat(noOrg.exitCode()).as(noOrg.toString()).isEqualTo(2);
    assertThat(noOrg.stderr()).contains("error: --org: no organization 999999");
    assertThat(noFile.exitCode()).isEqualTo(2);
    assertThat(noFile.stderr()).contains("error: --file: no such file");
    assertThat(badDate.exitCode()).isEqualTo(2);
    assertThat(badDate.stderr()).contains("error: --start must be an ISO 8601");
    for (Result r : new Result[] {noOrg, noFile, badDate, badRoom}) {
      assertThat(r.stdout()).isEmpty();
      assertThat(r.stderr()).doesNotContain("\tat ");
    }
  }
}
