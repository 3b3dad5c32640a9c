package dev.parlor.cli;

import dev.parlor.App;
import dev.parlor.config.AppConfig;
import dev.parlor.orgs.Plan;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * Runs the server once through its common paths in a throw-away data directory and exits. The
 * launcher runs this after each build with the JVM recording an ahead-of-time cache (JDK 25's
 * {@code -XX:AOTCacheOutput}, or a dynamic CDS archive on older JDKs), so later starts load and
 * link those classes from the cache instead of from the jars.
 */
@Command(
    name = "train",
    hidden = true,
    description = "Warm-up run that records the start-up cache.")
final class TrainCommand implements Callable<Integer> {

  @Override
  public Integer call() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("parlor-train");
    AppConfig config =
        AppConfig.from(
            Map.of(
                "PARLOR_DATA_DIR", dir.toString(),
                "PARLOR_PORT", "0",
                "PARLOR_HOST", "127.0.0.1"));
    try (App app = App.create(config, Clock.systemUTC())) {
      app.organizations().bootstrap(java.util.Optional.empty());
      String key = app.organizations().create("train", Plan.parse("grow")).apiKey();
      app.start();
      String base = "http://127.0.0.1:" + app.port();
      HttpClient http = HttpClient.newHttpClient();
      for (int i = 0; i < 50; i++) {
        send(http, HttpRequest.newBuilder(URI.create(base + "/readyz")).GET());
        String created =
            send(
                http,
                HttpRequest.newBuilder(URI.create(base + "/v1/meetings"))
                    .header("Authorization", "Bearer " + key)
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"endDate\":\"2099-01-01T00:00:00Z\",\"fields\":[\"hostRoomUrl\"]}")));
        String id = created.replaceAll(".*\"meetingId\":\"(\\d+)\".*", "$1");
        send(
            http,
            HttpRequest.newBuilder(URI.create(base + "/v1/meetings/" + id))
                .header("Authorization", "Bearer " + key)
                .GET());
        send(
            http,
            HttpRequest.newBuilder(URI.create(base + "/v1/meetings?limit=5"))
                .header("Authorization", "Bearer " + key)
                .GET());
        send(
            http,
            HttpRequest.newBuilder(URI.create(base + "/v1/meetings/" + id))
                .header("Authorization", "Bearer " + key)
                .DELETE());
        send(http, HttpRequest.newBuilder(URI.create(base + "/v1/nope")).GET());
      }
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return 0;
  }

  private static String send(HttpClient http, HttpRequest.Builder b)
      throws IOException, InterruptedException {
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
