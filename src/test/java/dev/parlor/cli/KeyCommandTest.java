package dev.parlor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parlor.orgs.ApiKey;
import dev.parlor.orgs.ApiKeys;
import dev.parlor.orgs.OrganizationService;
import dev.parlor.testing.AdminDatabase;
import dev.parlor.testing.ApiClient;
import dev.parlor.testing.ApiClient.Response;
import dev.parlor.testing.ParlorProcess;
import dev.parlor.testing.ParlorProcess.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parlor key ...} as a separate process, on the database of a running server. */
class KeyCommandTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir static Path dataDir;
  static Map<String, String> env;
  static ParlorProcess server;
  static ApiClient api;
  static AdminDatabase admin;

  @BeforeAll
  static void startServer() {
    env = ParlorProcess.env(dataDir);
    server = ParlorProcess.serve(env);
    api = server.client();
    admin = AdminDatabase.open(dataDir);
  }

  @AfterAll
  static void stopServer() {
    admin.close();
    server.close();
  }

  static Result parlor(String... args) {
    return ParlorProcess.run(env, args);
  }

  static Result ok(String... args) {
    Result r = parlor(args);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }

  static JsonNode json(Result r) {
    assertThat(r.stdoutLines()).as("exactly one line of JSON").hasSize(1);
    try {
      return MAPPER.readTree(r.stdout());
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + r.stdout(), e);
    }
  }

  /**
   * A new organization (unlimited, so polling is never rate limited), set up in-process: its id and
   * first key.
   */
  static String[] newOrganization() {
    OrganizationService.Created c = admin.newOrganization("unlimited");
    return new String[] {Long.toString(c.organization().id()), c.apiKey()};
  }

  @Test
  void keyCreateWithJsonPrintsOneJsonObjectWithAKeyThatWorksInTheRunningServer() {
    String org = newOrganization()[0];

    JsonNode k = json(ok("key", "create", "--org", org, "--label", "ci runner", "--json"));

    assertThat(k.get("keyId").asText()).matches("\\d+");
    assertThat(k.get("organizationId").asText()).isEqualTo(org);
    assertThat(k.get("label").asText()).isEqualTo("ci runner");
    assertThat(k.get("revokedAt").isNull()).isTrue();
    assertThat(k.get("apiKey").asText()).startsWith("prl_");
    assertThat(api.get("/v1/meetings", k.get("apiKey").asText()).status()).isEqualTo(200);
  }

  @Test
  void keyCreateWithoutJsonPrintsTheKeyOnce() {
    String org = newOrganization()[0];

    Result r = ok("key", "create", "--org", org);

    assertThat(r.stdoutLines()).hasSize(1);
    Matcher m = Pattern.compile("API key (\\d+) \\(shown once\\): (prl_\\S+)").matcher(r.stdout());
    assertThat(m.find()).as(r.stdout()).isTrue();
    assertThat(api.get("/v1/meetings", m.group(2)).status()).isEqualTo(200);
  }

  @Test
  void keyListNeverPrintsKeyMaterialAndShowsWhichKeysAreRevoked() {
    String[] org = newOrganization();
    OrganizationService.NewKey second =
        admin.organizations().createKey(Long.parseLong(org[0]), "second", ApiKey.Source.CLI);
    String secondId = Long.toString(second.key().id());
    admin.organizations().revoke(second.key().id());

    Result text = ok("key", "list", "--org", org[0]);
    Result js = ok("key", "list", "--org", org[0], "--json");

    for (Result r : new Result[] {text, js}) {
      for (String key : new String[] {org[1], second.apiKey()}) {
        assertThat(r.stdout())
            .doesNotContain(key)
            .doesNotContain(key.substring(4, 16))
            .doesNotContain(ApiKeys.hash(key))
            .doesNotContain("prl_");
        assertThat(r.stderr()).doesNotContain(key);
      }
    }
    assertThat(text.stdoutLines()).hasSize(2);
    assertThat(text.stdoutLines().get(0)).matches("\\d+\tfirst key\tcli\t\\S+Z\tactive");
    assertThat(text.stdoutLines().get(1)).matches(secondId + "\tsecond\tcli\t\\S+Z\trevoked \\S+Z");

    JsonNode list = json(js);
    assertThat(list.isArray()).isTrue();
    assertThat(list).hasSize(2);
    assertThat(list.get(0).get("revokedAt").isNull()).isTrue();
    assertThat(list.get(1).get("keyId").asText()).isEqualTo(secondId);
    assertThat(list.get(1).get("revokedAt").asText()).endsWith("Z");
    assertThat(list.get(1).has("keyHash")).isFalse();
    assertThat(list.get(1).has("apiKey")).isFalse();
  }

  @Test
  void aRevokedKeyIsRefusedByTheRunningServerWithinOneSecondWhileTheOrgsOtherKeysKeepWorking()
      throws Exception {
    String[] org = newOrganization();
    JsonNode doomed = json(ok("key", "create", "--org", org[0], "--json"));
    String key = doomed.get("apiKey").asText();
    assertThat(api.get("/v1/meetings", key).status()).isEqualTo(200);

    // The server keeps using the key while the CLI revokes it, so its cache is always warm.
    AtomicBoolean revoking = new AtomicBoolean(true);
    AtomicInteger served = new AtomicInteger();
    Thread user =
        Thread.ofPlatform()
            .start(
                () -> {
                  while (revoking.get()) {
                    if (api.get("/v1/meetings", key).status() == 200) {
                      served.incrementAndGet();
                    }
                    pause(5);
                  }
                });
    Result revoke;
    long returned;
    try {
      revoke = parlor("key", "revoke", doomed.get("keyId").asText());
      returned = System.nanoTime();
    } finally {
      revoking.set(false);
      user.join();
    }
    assertThat(revoke.exitCode()).as(revoke.toString()).isZero();
    assertThat(revoke.stdout()).isEqualTo("Revoked key " + doomed.get("keyId").asText() + "\n");
    assertThat(served.get()).as("the key was in use up to the revocation").isPositive();

    Response refused;
    do {
      refused = api.get("/v1/meetings", key);
    } while (refused.status() == 200 && System.nanoTime() - returned < 3_000_000_000L);
    Duration toRefusal = Duration.ofNanos(System.nanoTime() - returned);
    System.out.println("revoke-to-refusal: " + toRefusal.toMillis() + " ms");

    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.json().get("error").asText())
        .isEqualTo("Access token is missing or invalid");
    assertThat(toRefusal).isLessThan(Duration.ofSeconds(1));
    assertThat(api.get("/v1/meetings", org[1]).status())
        .as("the organization's first key still works")
        .isEqualTo(200);
  }

  static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void revokingAnAlreadyRevokedKeySaysSoAndSucceeds() {
    long keyId = admin.newOrganization("build").key().id();
    String id = Long.toString(keyId);
    admin.organizations().revoke(keyId);

    Result again = ok("key", "revoke", id);

    assertThat(again.stdout()).isEqualTo("Key " + id + " was already revoked\n");
  }

  @Test
  void anUnknownOrganizationOrKeyExitsNonZeroWithAClearMessageAndPrintsNothing() {
    Result create = parlor("key", "create", "--org", "987654", "--json");
    Result revoke = parlor("key", "revoke", "987654");

    assertThat(create.exitCode()).isNotZero();
    assertThat(create.stdout()).isEmpty();
    assertThat(create.stderr()).contains("error: no organization with id 987654");
    assertThat(revoke.exitCode()).isNotZero();
    assertThat(revoke.stdout()).isEmpty();
    assertThat(revoke.stderr()).contains("error: no API key with id 987654");
  }

  @Test
  void aNonNumericIdIsAUsageErrorOnStderr() {
    Result r = parlor("key", "revoke", "abc");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr()).contains("KEY-ID", "'abc'");
  }
}
