package dev.parlor.testing;

import dev.parlor.App;
import dev.parlor.config.AppConfig;
import dev.parlor.orgs.OrganizationService;
import dev.parlor.orgs.Plan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real server, built by the real composition root, on port 0 with its own data directory.
 * Configuration is given as the same PARLOR_* variables a user sets.
 */
public final class TestServer implements AutoCloseable {
  private final App app;
  private final Path dataDir;
  private final Clock clock;
  private final ApiClient client;

  private TestServer(Map<String, String> env, Clock clock) {
    try {
      this.dataDir = Files.createTempDirectory("parlor-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> vars = new HashMap<>();
    vars.put("PARLOR_HOST", "127.0.0.1");
    vars.put("PARLOR_PORT", "0");
    vars.put("PARLOR_DATA_DIR", dataDir.toString());
    vars.put("PARLOR_ACCESS_LOG", "false");
    vars.putAll(env);
    this.clock = clock;
    this.app = App.create(AppConfig.from(vars), clock).start();
    this.client = new ApiClient(baseUrl());
  }

  public static TestServer start() {
    return start(Map.of(), Clock.systemUTC());
  }

  public static TestServer start(Map<String, String> env) {
    return start(env, Clock.systemUTC());
  }

  public static TestServer start(Map<String, String> env, Clock clock) {
    return new TestServer(env, clock);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + app.port();
  }

  public ApiClient client() {
    return client;
  }

  public App app() {
    return app;
  }

  public Clock clock() {
    return clock;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Creates an organization on {@code plan} and returns its API key. */
  public String newOrganization(String plan) {
    return newOrganizationWithId(plan).apiKey();
  }

  public OrganizationService.Created newOrganizationWithId(String plan) {
    String name = "org-" + java.util.UUID.randomUUID();
    return app.organizations().create(name, Plan.parse(plan));
  }

  @Override
  public void close() {
    app.close();
    try (Stream<Path> s = Files.walk(dataDir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp directory left behind is harmless
    }
  }
}
