package dev.parlor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parlor.orgs.Plan;
import dev.parlor.testing.AdminDatabase;
import dev.parlor.testing.ApiClient;
import dev.parlor.testing.ApiClient.Response;
import dev.parlor.testing.ParlorProcess;
import dev.parlor.testing.ParlorProcess.Result;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code parlor org ...} as a separate process, on the database of a running server. */
class OrgCommandTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir static Path dataDir;
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

  static JsonNode json(String line) {
    try {
      return MAPPER.readTree(line);
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }

  @ParameterizedTest(name = "--plan {0}")
  @CsvSource({"build, 100", "grow, 1000", "250, 250", "unlimited, "})
  void orgCreateWithJsonPrintsExactlyOneJsonObjectOnOneLineWithTheKeyAndThePlansPoints(
      String plan, Long points) {
    String name = "acme-" + plan;
    Result r = parlor("org", "create", "--name", name, "--plan", plan, "--json");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdoutLines()).as("stdout holds the JSON and nothing else").hasSize(1);
    assertThat(r.stdout()).endsWith("\n");
    JsonNode o = json(r.stdoutLines().get(0));
    assertThat(o.isObject()).isTrue();
    assertThat(o.get("organizationId").asText()).matches("\\d+");
    assertThat(o.get("name").asText()).isEqualTo(name);
    if (points == null) {
      assertThat(o.get("pointsPerMinute").isNull()).as("unlimited is null").isTrue();
    } else {
      assertThat(o.get("pointsPerMinute").isIntegralNumber()).isTrue();
      assertThat(o.get("pointsPerMinute").asLong()).isEqualTo(points);
    }
    String key = o.get("apiKey").asText();
    assertThat(key).startsWith("prl_").hasSizeGreaterThanOrEqualTo(40);
    assertThat(r.stderr()).as("logs go to stderr").contains("Database ready");

    Response listed = api.get("/v1/meetings", key);
    assertThat(listed.status()).as("the new key works in the running server").isEqualTo(200);
    if (points == null) {
      assertThat(listed.header("X-RateLimit-Limit")).isEmpty();
    } else {
      assertThat(listed.header("X-RateLimit-Limit")).contains(points.toString());
    }
  }

  @Test
  void orgCreateWithoutJsonPrintsTheIdAndAWorkingKeyAndDefaultsToTheGrowPlan() {
    Result r = parlor("org", "create", "--name", "Plain Text Inc");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    List<String> lines = r.stdoutLines();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).matches("Organization \\d+ 'Plain Text Inc' \\(1000 points/minute\\)");
    Matcher m = Pattern.compile("API key \\d+ \\(shown once\\): (prl_\\S+)").matcher(lines.get(1));
    assertThat(m.matches()).as(lines.get(1)).isTrue();
    Response listed = api.get("/v1/meetings", m.group(1));
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.header("X-RateLimit-Limit")).contains("1000");
  }

  @Test
  void aDuplicateNameExitsNonZeroWithAClearMessageAndPrintsNothing() {
    try (AdminDatabase admin = AdminDatabase.open(dataDir)) {
      admin.organizations().create("twice", Plan.parse("build"));
    }

    Result again = parlor("org", "create", "--name", "twice", "--json");

    assertThat(again.exitCode()).isNotZero();
    assertThat(again.stdout()).isEmpty();
    assertThat(again.stderr()).contains("error: an organization named 'twice' already exists");
    assertThat(again.stderr()).doesNotContain("Exception", "\tat ");
  }

  @Test
  void aBadPlanExitsNonZeroWithAClearMessageAndCreatesNothing() {
    String plan = "enterprise";
    String name = "bad-plan";
    Result r = parlor("org", "create", "--name", name, "--plan", plan, "--json");

    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr())
        .contains("error: plan must be build, grow, unlimited or a positive number")
        .contains("'" + plan + "'")
        .doesNotContain("Exception");
    try (AdminDatabase admin = AdminDatabase.open(dataDir)) {
      assertThat(admin.organizations().list()).noneMatch(o -> o.name().equals(name));
    }
  }

  @Test
  void aMissingNameIsAUsageErrorOnStderr() {
    Result r = parlor("org", "create", "--json");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr()).contains("Missing required option: '--name=<name>'", "Usage:");
  }

  @Test
  void anUnexpectedFailureExitsOneWithAnErrorLineBeforeTheDetails(@TempDir Path tmp)
      throws java.io.IOException {
    Path notADirectory = java.nio.file.Files.createFile(tmp.resolve("a-file"));
    Result r = ParlorProcess.run(ParlorProcess.env(notADirectory), "org", "list");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr().lines().filter(l -> !l.contains(" INFO ")).findFirst())
        .hasValueSatisfying(
            l -> assertThat(l).startsWith("error: ").contains("cannot create database directory"));
  }

  @Test
  void orgListShowsEveryOrganizationWithItsIdAndPlanAsTextOrJson() {
    String id;
    try (AdminDatabase admin = AdminDatabase.open(dataDir)) {
      id =
          Long.toString(
              admin.organizations().create("listed", Plan.parse("build")).organization().id());
    }

    Result text = parlor("org", "list");
    assertThat(text.exitCode()).isZero();
    assertThat(text.stdoutLines())
        .contains(id + "\tlisted\t100 points/minute")
        .anySatisfy(l -> assertThat(l).matches("\\d+\tdefault\t1000 points/minute"));

    Result js = parlor("org", "list", "--json");
    assertThat(js.exitCode()).isZero();
    assertThat(js.stdoutLines()).hasSize(1);
    JsonNode all = json(js.stdout());
    assertThat(all.isArray()).isTrue();
    assertThat(all.findValuesAsText("name")).contains("default", "listed");
    for (JsonNode o : all) {
      assertThat(o.has("apiKey")).as("a list never shows keys").isFalse();
      if (o.get("name").asText().equals("listed")) {
        assertThat(o.get("organizationId").asText()).isEqualTo(id);
        assertThat(o.get("pointsPerMinute").asLong()).isEqualTo(100);
      }
    }
  }
}
