package dev.parlor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parlor.orgs.Organization;
import dev.parlor.orgs.OrganizationService;
import dev.parlor.testing.AdminDatabase;
import dev.parlor.testing.ApiClient;
import dev.parlor.testing.ApiClient.Response;
import dev.parlor.testing.ParlorProcess;
import dev.parlor.testing.ParlorProcess.Result;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code parlor serve} as a real process: first start, PARLOR_API_KEY, bad configuration, stop. */
class ServeCommandTest {
  private static final Pattern PRINTED_KEY =
      Pattern.compile("Its API key, shown only this once: (prl_[A-Za-z0-9_-]+)\n");
  private static final String KEY_A = "ci-key-aaaaaaaaaaaaaaaa";
  private static final String KEY_B = "ci-key-bbbbbbbbbbbbbbbb";

  @TempDir Path dataDir;

  static int status(ApiClient api, String key) {
    return api.get("/v1/meetings", key).status();
  }

  static Organization defaultOrganization(Path dataDir) {
    try (AdminDatabase admin = AdminDatabase.open(dataDir)) {
      List<Organization> named =
          admin.organizations().list().stream()
              .filter(o -> o.name().equals(OrganizationService.DEFAULT_ORG))
              .toList();
      assertThat(named).hasSize(1);
      return named.get(0);
    }
  }

  @Test
  void theFirstStartOnAnEmptyDatabaseCreatesTheDefaultOrgOnGrowAndPrintsItsKeyOnceOnly() {
    String key;
    // Durations in either form are accepted: ISO-8601 on the first start, seconds on the second.
    try (ParlorProcess first =
        ParlorProcess.serve(ParlorProcess.env(dataDir, "PARLOR_MEETING_GRACE", "PT5S"))) {
      Matcher m = PRINTED_KEY.matcher(first.stdout());
      assertThat(m.find()).as(first.stdout()).isTrue();
      key = m.group(1);
      assertThat(first.stdout()).containsOnlyOnce("prl_");
      assertThat(first.stderr()).as("the key is never logged").doesNotContain(key);

      Response r = first.client().get("/v1/meetings", key);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("X-RateLimit-Limit")).contains("1000");
    }
    Organization org = defaultOrganization(dataDir);
    assertThat(org.pointsPerMinute()).isEqualTo(OptionalLong.of(1000));

    try (ParlorProcess second =
        ParlorProcess.serve(ParlorProcess.env(dataDir, "PARLOR_MEETING_GRACE", "5"))) {
      assertThat(second.stdout()).as("a second start prints no key").isEmpty();
      assertThat(status(second.client(), key)).as("the first key still works").isEqualTo(200);
    }
    assertThat(defaultOrganization(dataDir).id()).isEqualTo(org.id());
  }

  @Test
  void parlorApiKeyIsAValidKeyOfDefaultOnEveryStartAndChangingItRevokesThePreviousValue() {
    try (ParlorProcess withA =
        ParlorProcess.serve(ParlorProcess.env(dataDir, "PARLOR_API_KEY", KEY_A))) {
      assertThat(withA.stdout()).as("no key is generated, so none is printed").isEmpty();
      assertThat(withA.stderr()).doesNotContain(KEY_A);
      Response r = withA.client().get("/v1/meetings", KEY_A);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("X-RateLimit-Limit")).as("grow plan").contains("1000");
    }
    try (ParlorProcess withB =
        ParlorProcess.serve(ParlorProcess.env(dataDir, "PARLOR_API_KEY", KEY_B))) {
      assertThat(status(withB.client(), KEY_B)).isEqualTo(200);
      Response old = withB.client().get("/v1/meetings", KEY_A);
      assertThat(old.status()).as("the previous value is revoked").isEqualTo(401);
      assertThat(old.json().get("error").asText()).isEqualTo("Access token is missing or invalid");
    }
    try (ParlorProcess backToA =
        ParlorProcess.serve(ParlorProcess.env(dataDir, "PARLOR_API_KEY", KEY_A))) {
      assertThat(status(backToA.client(), KEY_A))
          .as("a value used before is valid again")
          .isEqualTo(200);
      assertThat(status(backToA.client(), KEY_B)).isEqualTo(401);
    }
    assertThat(defaultOrganization(dataDir).pointsPerMinute()).isEqualTo(OptionalLong.of(1000));
  }

  @Test
  void parlorApiKeyShorterThanSixteenCharactersFailsTheStartNamingTheVariable() {
    Result r =
        ParlorProcess.run(ParlorProcess.env(dataDir, "PARLOR_API_KEY", "too-short-key"), "serve");

    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr())
        .contains("error: PARLOR_API_KEY must be at least 16 characters long")
        .doesNotContain("too-short-key")
        .doesNotContain("Exception");
    assertThat(dataDir.resolve("parlor.db")).as("nothing was created").doesNotExist();
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "PARLOR_PORT, abc",
    "PARLOR_MEETING_GRACE, xyz",
    "PARLOR_SWEEP_INTERVAL, 0",
    "PARLOR_DATABASE_URL, jdbc:mysql://localhost/parlor"
  })
  void aBadConfigurationValueFailsTheStartWithAMessageNamingTheKey(String key, String value) {
    Result r = ParlorProcess.run(ParlorProcess.env(dataDir, key, value), "serve");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr()).contains("error: " + key + " ").doesNotContain("Exception");
  }

  @Test
  void aPortInUseFailsTheStartWithAClearMessageInsteadOfHanging() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String port = Integer.toString(taken.getLocalPort());
      Result r = ParlorProcess.run(ParlorProcess.env(dataDir, "PARLOR_PORT", port), "serve");

      assertThat(r.exitCode()).isNotZero();
      assertThat(r.stderr()).contains("error: PARLOR_PORT: cannot listen on 127.0.0.1:" + port);
      assertThat(r.stdout())
          .as("the default org's key is printed even so: it was created")
          .contains("Its API key, shown only this once: prl_");
    }
  }

  @Test
  void aSigtermStopIsGracefulAndClosesTheDatabase() throws IOException {
    try (ParlorProcess server =
        ParlorProcess.serve(ParlorProcess.env(dataDir, "PARLOR_API_KEY", KEY_A))) {
      Response created = server.client().post("/v1/meetings", KEY_A, ApiClient.meetingBody());
      assertThat(created.status()).isEqualTo(201);

      int exit = server.terminate(Duration.ofSeconds(15));

      // 143 = 128 + SIGTERM: the JVM's exit status once its shutdown hooks have run.
      assertThat(exit).isEqualTo(143);
      assertThat(server.stderr()).contains("Parlor stopped");
      assertThat(server.stderr()).doesNotContain("ERROR", "WARN", "Exception", "\tat ");
      assertThat(dataDir.resolve("parlor.db-wal"))
          .as("the database was closed, its write-ahead log checkpointed")
          .satisfiesAnyOf(
              p -> assertThat(p).doesNotExist(), p -> assertThat(Files.size(p)).isZero());
    }
  }
}
