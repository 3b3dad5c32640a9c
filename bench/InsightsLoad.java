import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Closed-loop load on the four insights endpoints: {@code clients} threads, each sending one
 * request after the other for {@code seconds}, every request drawn from the mix below for a random
 * organization of the manifest {@code InsightsGenerate} wrote. Prints p50/p99/max per endpoint and
 * per kind of request, as a Markdown table.
 *
 * <pre>
 *   java bench/InsightsLoad.java BASE_URL MANIFEST [seconds] [clients]
 * </pre>
 *
 * The mix: rooms' default listing, each of the 11 sorts (both directions), the {@code exact} and
 * {@code startsWith} filters, next pages (the cursor of a first page, which is not timed), and
 * {@code contains} (reported on its own); a room's sessions (default, each sort, a next page);
 * participants of a session (both sorts, a next page) and by external id; a participant's details.
 */
public final class InsightsLoad {
  static final String[] ROOM_SORTS = {
    "createdAt", "endAt", "firstSessionStartedAt", "lastSessionStartedAt",
    "totalParticipantMinutes", "totalRecorderMinutes", "totalStreamerMinutes",
    "totalUniqueParticipants", "totalUniqueRecorders", "totalUniqueStreamers", "totalSessions"
  };
  static final String[] SESSION_SORTS = {
    "startedAt", "endedAt", "totalParticipantMinutes", "totalUniqueParticipants",
    "totalRecorderMinutes", "totalUniqueStreamers"
  };
  static final String[] PREFIXES = {"/sales-", "/support-", "/team-", "/demo-", "/class-"};
  static final Pattern CURSOR = Pattern.compile("\"cursor\":\"([^\"]+)\"");

  record Org(String key, List<String> rooms, List<String[]> pairs, List<String> externals) {}

  record Timing(String endpoint, String kind, long nanos, int status) {}

  public static void main(String[] args) throws Exception {
    String base = args[0];
    List<Org> orgs = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[1]))) {
      String[] f = line.split("\t", -1);
      List<String[]> pairs = new ArrayList<>();
      for (String p : f[2].split(",")) {
        if (!p.isEmpty()) {
          int slash = p.indexOf('/');
          pairs.add(new String[] {p.substring(0, slash), p.substring(slash + 1)});
        }
      }
      orgs.add(
          new Org(
              f[0],
              Arrays.stream(f[1].split(",")).filter(s -> !s.isEmpty()).toList(),
              pairs,
              Arrays.stream(f[3].split(",")).filter(s -> !s.isEmpty()).toList()));
    }
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
    int clients = args.length > 3 ? Integer.parseInt(args[3]) : 16;
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    // Warm-up: a few seconds of the same mix, not counted.
    run(http, base, orgs, Math.min(10, seconds / 4), clients, new ConcurrentHashMap<>());
    Map<String, List<Long>> timings = new ConcurrentHashMap<>();
    AtomicLong errors = new AtomicLong();
    long t0 = System.nanoTime();
    long total = run(http, base, orgs, seconds, clients, timings);
    double elapsed = (System.nanoTime() - t0) / 1e9;
    timings.forEach(
        (k, v) -> {
          if (k.startsWith("!")) {
            errors.addAndGet(v.size());
          }
        });
    System.out.printf(
        "%d clients for %d s: %,d requests, %.0f requests/s, %d non-200%n%n",
        clients, seconds, total, total / elapsed, errors.get());
    System.out.println("| endpoint / request | n | p50 ms | p99 ms | max ms |");
    System.out.println("|---|---:|---:|---:|---:|");
    Map<String, List<Long>> byEndpoint = new TreeMap<>();
    Map<String, List<Long>> byKind = new TreeMap<>();
    timings.forEach(
        (k, v) -> {
          if (k.startsWith("!")) {
            return;
          }
          String endpoint = k.substring(0, k.indexOf(':'));
          boolean contains = k.endsWith(": contains");
          byEndpoint
              .computeIfAbsent(endpoint + (contains ? " (contains only)" : ""), x -> new ArrayList<>())
              .addAll(v);
          byKind.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v);
        });
    byEndpoint.forEach((k, v) -> row("**" + k + "**", v));
    byKind.forEach((k, v) -> row(k, v));
    timings.forEach(
        (k, v) -> {
          if (k.startsWith("!")) {
            System.out.println("non-200: " + k + " x" + v.size());
          }
        });
  }

  static void row(String name, List<Long> nanos) {
    List<Long> s = new ArrayList<>(nanos);
    Collections.sort(s);
    System.out.printf(
        "| %s | %d | %.1f | %.1f | %.1f |%n",
        name, s.size(), pct(s, 0.50), pct(s, 0.99), s.get(s.size() - 1) / 1e6);
  }

  static double pct(List<Long> sorted, double p) {
    int i = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1e6;
  }

  static long run(
      HttpClient http,
      String base,
      List<Org> orgs,
      int seconds,
      int clients,
      Map<String, List<Long>> timings)
      throws InterruptedException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicLong count = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    while (System.nanoTime() < end) {
                      one(http, base, orgs.get(ThreadLocalRandom.current().nextInt(orgs.size())), timings);
                      count.incrementAndGet();
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    return count.get();
  }

  static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static <T> T pick(List<T> l) {
    return l.get(ThreadLocalRandom.current().nextInt(l.size()));
  }

  static <T> T pick(T[] a) {
    return a[ThreadLocalRandom.current().nextInt(a.length)];
  }

  static String dir() {
    return ThreadLocalRandom.current().nextBoolean() ? "asc" : "desc";
  }

  /** One request of the mix (two for next pages: the first page is not timed). */
  static void one(HttpClient http, String base, Org org, Map<String, List<Long>> timings) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    int p = r.nextInt(100);
    String room = pick(org.rooms());
    String[] pair = pick(org.pairs());
    if (p < 8) {
      time(http, base, org, "default", "/v1/insights/rooms", timings);
    } else if (p < 30) {
      String sort = pick(ROOM_SORTS) + ":" + dir();
      time(http, base, org, "sortBy", "/v1/insights/rooms?sortBy=" + sort, timings);
    } else if (p < 36) {
      time(http, base, org, "exact", "/v1/insights/rooms?roomName%5Bexact%5D=" + q(room), timings);
    } else if (p < 42) {
      time(
          http, base, org, "startsWith",
          "/v1/insights/rooms?roomName%5BstartsWith%5D=" + q(pick(PREFIXES)), timings);
    } else if (p < 52) {
      String first = "/v1/insights/rooms?limit=10&sortBy=" + pick(ROOM_SORTS) + ":" + dir();
      String body = get(http, base, org, first).body();
      Matcher m = CURSOR.matcher(body);
      if (m.find()) {
        time(http, base, org, "next page", first + "&cursor=" + q(m.group(1)), timings);
      }
    } else if (p < 55) {
      String part = room.substring(room.length() - 8);
      time(http, base, org, "contains", "/v1/insights/rooms?roomName%5Bcontains%5D=" + q(part), timings);
    } else if (p < 63) {
      time(http, base, org, "default", "/v1/insights/room-sessions?roomName=" + q(room), timings);
    } else if (p < 68) {
      time(
          http, base, org, "sortBy",
          "/v1/insights/room-sessions?roomName=" + q(room) + "&sortBy=" + pick(SESSION_SORTS) + ":" + dir(),
          timings);
    } else if (p < 72) {
      String first = "/v1/insights/room-sessions?limit=1&roomName=" + q(room);
      Matcher m = CURSOR.matcher(get(http, base, org, first).body());
      if (m.find()) {
        time(http, base, org, "next page", first + "&cursor=" + q(m.group(1)), timings);
      }
    } else if (p < 80) {
      time(
          http, base, org, "by session",
          "/v1/insights/participants?roomSessionId=" + pair[0] + "&sortBy=" + (r.nextBoolean() ? "joinedAt" : "leftAt") + ":" + dir(),
          timings);
    } else if (p < 86) {
      time(
          http, base, org, "by externalId",
          "/v1/insights/participants?externalId=" + q(pick(org.externals())), timings);
    } else if (p < 90) {
      String first = "/v1/insights/participants?limit=2&roomSessionId=" + pair[0];
      Matcher m = CURSOR.matcher(get(http, base, org, first).body());
      if (m.find()) {
        time(http, base, org, "next page", first + "&cursor=" + q(m.group(1)), timings);
      }
    } else {
      time(
          http, base, org, "details",
          "/v1/insights/participant?roomSessionId=" + pair[0] + "&participantId=" + q(pair[1]),
          timings);
    }
  }

  static HttpResponse<String> get(HttpClient http, String base, Org org, String path) {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create(base + path))
              .header("Authorization", "Bearer " + org.key())
              .timeout(Duration.ofSeconds(30))
              .GET()
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(path, e);
    }
  }

  static void time(
      HttpClient http,
      String base,
      Org org,
      String kind,
      String path,
      Map<String, List<Long>> timings) {
    long t = System.nanoTime();
    HttpResponse<String> res = get(http, base, org, path);
    long nanos = System.nanoTime() - t;
    String endpoint = path.substring("/v1/insights/".length()).replaceAll("\\?.*", "");
    String key = (res.statusCode() == 200 ? "" : "!" + res.statusCode() + " ") + endpoint + ": " + kind;
    timings.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>())).add(nanos);
  }
}
