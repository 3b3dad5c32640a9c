import dev.parlor.App;
import dev.parlor.config.AppConfig;
import dev.parlor.orgs.Plan;
import dev.parlor.webhooks.EventType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Webhook delivery throughput, and API latency while a backlog is being delivered.
 *
 * <pre>
 *   java -cp 'target/classes:target/lib/*' bench/WebhooksBench.java JDBC_URL|sqlite RECEIVER_URL \
 *       [events] [requests]
 * </pre>
 *
 * Three processes: this JVM is the server (the App started in-process, the server's JVM flags
 * given by bench/webhooks.sh) and the orchestrator; the receiver is bench/webhook-receiver.js
 * (Node); the closed-loop API client is this file again, {@code load} mode, in a JVM of its own,
 * driven over its stdin. Only the orchestration (staging events, polling the pending count every
 * 50 ms) runs beside the server here, and none of it while API latency is measured except the
 * pending-count reads between measurements.
 *
 * <p>Staging a backlog: the App runs on a clock this program can shift. Events are emitted through
 * the real outbox ({@code WebhookOutbox.emit}, 8 threads) with their real creation time while the
 * App's clock is a day behind, so every delivery is pending but not due and the dispatcher (which
 * runs all along, woken by every emit) claims none. Putting the clock back makes all of them due at
 * once; the dispatcher is woken and the drain is timed. No attempt is made during staging, so no
 * retry or backoff is involved.
 *
 * <p>Output: {@code key|value} lines on stdout, for bench/webhooks.sh to tabulate.
 */
public final class WebhooksBench {
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("load")) {
      Load.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    new WebhooksBench(args).run();
  }

  /** The system clock plus an offset the bench sets. */
  static final class ShiftClock extends Clock {
    volatile long offsetMs;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(System.currentTimeMillis() + offsetMs);
    }

    @Override
    public long millis() {
      return System.currentTimeMillis() + offsetMs;
    }
  }

  static final HttpClient HTTP = HttpClient.newHttpClient();
  final String url;
  final String receiver;
  final int events;
  final int requests;
  final ShiftClock clock = new ShiftClock();
  final Map<String, String> out = new LinkedHashMap<>();
  final Map<String, String> later = new LinkedHashMap<>();
  long receiverPid;
  Process load;
  App app;
  String base;

  WebhooksBench(String[] args) {
    url = args[0];
    receiver = args[1].replaceAll("/$", "");
    events = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
    requests = args.length > 3 ? Integer.parseInt(args[3]) : 20_000;
    receiverPid = args.length > 4 ? Long.parseLong(args[4]) : -1;
  }

  /** A row of the second part (API latency), printed after the first whatever the order run. */
  void putLater(String k, String v) {
    later.put(k, v);
    System.err.println("bench: " + k + " = " + v);
  }

  /** CPU used so far: this JVM, two of its threads by name, other processes, GC. */
  record Cpu(long procNs, long writerNs, long loopNs, long receiverNs, long loadNs, long gcMs) {
    Cpu minus(Cpu o) {
      return new Cpu(
          procNs - o.procNs,
          writerNs - o.writerNs,
          loopNs - o.loopNs,
          receiverNs - o.receiverNs,
          loadNs - o.loadNs,
          gcMs - o.gcMs);
    }

    String describe(double wallS) {
      return String.format(
          "%.2f (writer thread %.2f, dispatcher loop %.2f, GC %.2f) / %.2f / %.2f of %.2f s wall",
          procNs / 1e9,
          writerNs / 1e9,
          loopNs / 1e9,
          gcMs / 1e3,
          receiverNs / 1e9,
          loadNs / 1e9,
          wallS);
    }
  }

  Cpu cpu() throws Exception {
    var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long writer = 0;
    long loop = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("parlor-db-writer")) {
        writer += threads.getThreadCpuTime(t.threadId());
      } else if (t.getName().equals("parlor-webhooks")) {
        loop += threads.getThreadCpuTime(t.threadId());
      }
    }
    long gc = 0;
    for (var b : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      gc += Math.max(0, b.getCollectionTime());
    }
    return new Cpu(
        os.getProcessCpuTime(), writer, loop, procCpuNs(receiverPid), procCpuNs(load.pid()), gc);
  }

  /** utime + stime of a process, from /proc (clock ticks of 10 ms). */
  static long procCpuNs(long pid) {
    if (pid <= 0) {
      return 0;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
    } catch (Exception e) {
      return 0;
    }
  }

  void put(String k, String v) {
    out.put(k, v);
    System.err.println("bench: " + k + " = " + v);
  }

  void run() throws Exception {
    Path dir = Files.createTempDirectory("parlor-webhooks");
    Map<String, String> env = new HashMap<>();
    if (!url.equals("sqlite")) {
      env.put("PARLOR_DATABASE_URL", url);
    }
    env.put("PARLOR_DATA_DIR", dir.toString());
    env.put("PARLOR_PORT", "0");
    env.put("PARLOR_HOST", "127.0.0.1");
    env.put("PARLOR_ACCESS_LOG", "false");
    env.put("PARLOR_WEBHOOK_ALLOW_PRIVATE", "true");
    env.put("PARLOR_SECRET", "bench-secret-0123456789abcdef0123456789");
    // the one knob passed through, to see what bounds the drain (default 16, as the server's)
    String concurrency = System.getenv().getOrDefault("PARLOR_WEBHOOK_CONCURRENCY", "16");
    env.put("PARLOR_WEBHOOK_CONCURRENCY", concurrency);
    App started = App.create(AppConfig.from(env), clock).start();
    app = started;
    base = "http://127.0.0.1:" + app.port();
    String tag = Long.toString(System.nanoTime(), 36);
    var fast = app.organizations().create("webhooks-fast-" + tag, Plan.parse("unlimited"));
    var slow = app.organizations().create("webhooks-slow-" + tag, Plan.parse("unlimited"));
    long fastOrg = fast.organization().id();
    long slowOrg = slow.organization().id();
    load =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC",
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                "bench/WebhooksBench.java",
                "load",
                base,
                fast.apiKey())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try (started;
        BufferedReader fromLoad = new BufferedReader(new InputStreamReader(load.getInputStream()));
        PrintWriter toLoad = new PrintWriter(load.getOutputStream(), true)) {
      String ready = fromLoad.readLine();
      if (ready == null || !ready.startsWith("ready")) {
        throw new IllegalStateException("load client did not start: " + ready);
      }
      put("database", url.equals("sqlite") ? "SQLite" : "PostgreSQL");
      put("attempts in flight per endpoint (PARLOR_WEBHOOK_CONCURRENCY)", concurrency);

      // Warm-up: the delivery path and the API path once, so the JIT compiled what is measured.
      app.webhooks().add(fastOrg, receiver + "/fast", List.of("recording.finished"), Optional.empty());
      app.webhookOutbox().refresh();
      Thread.sleep(1_200); // the dispatcher's own endpoint cache (1 s)
      int warm = Math.min(2_000, events);
      long w0 = System.nanoTime();
      emitAll(fastOrg, warm, "warm");
      waitDrained(120);
      put(
          "warm-up: deliveries/s, emitted and sent at once (cold JIT)",
          String.format("%.0f (%,d)", warm / secs(w0), warm));
      command(toLoad, fromLoad, "GET " + requests);
      command(toLoad, fromLoad, "POST " + requests / 4);

      // Baseline API latency: no webhook backlog.
      String[] g = command(toLoad, fromLoad, "GET " + requests);
      String[] p = command(toLoad, fromLoad, "POST " + requests / 4);

      // 1. Delivery throughput: `events` due at once, receiver answering 200 at once.
      Map<String, Double> m0 = metrics();
      get(receiver + "/reset");
      long st = stage(fastOrg, events, "fast");
      long[] pg0 = pgStats();
      Cpu c0 = cpu();
      long t0 = System.nanoTime();
      clock.offsetMs = 0;
      app.webhookDispatcher().wake();
      boolean drained = waitDrained(600);
      double drainS = secs(t0);
      Cpu used = cpu().minus(c0);
      long[] pg1 = pgStats();
      Map<String, Double> m1 = metrics();
      String rc = get(receiver + "/count");
      put("events staged (pending, not yet due)", String.format("%,d", st));
      put(
          "drain " + String.format("%,d", events) + " to a 200-at-once receiver: s",
          drained ? String.format("%.2f", drainS) : "timeout");
      put("**delivery throughput: deliveries/s**", String.format("**%.0f**", events / drainS));
      put("receiver: POSTs / distinct event ids", num(rc, "count") + " / " + num(rc, "unique"));
      put(
          "receiver: first to last POST s",
          String.format("%.2f", (num(rc, "lastMs") - num(rc, "firstMs")) / 1000.0));
      put("attempts delivered / retried / failed", attempts(m0, m1));
      put("drain CPU s: server / receiver / API client (idle)", used.describe(drainS));
      put(
          "drain: database commits / rows updated, per delivery",
          pg0 == null
              ? "n/a (SQLite)"
              : String.format(
                  "%,d / %,d (%.2f / %.2f)",
                  pg1[0] - pg0[0],
                  pg1[1] - pg0[1],
                  (pg1[0] - pg0[0]) / (double) events,
                  (pg1[1] - pg0[1]) / (double) events));

      // 2. API latency while `events` deliveries are pending, receiver answering after 20 ms.
      app.webhooks().add(
          slowOrg, receiver + "/slow?delay=20", List.of("recording.finished"), Optional.empty());
      app.webhookOutbox().refresh();
      Thread.sleep(1_200);
      get(receiver + "/reset");
      m0 = metrics();
      stage(slowOrg, events, "slow");
      c0 = cpu();
      long b0 = System.nanoTime();
      clock.offsetMs = 0;
      app.webhookDispatcher().wake();
      long pend0 = app.webhooks().pendingCount();
      String[] gb = command(toLoad, fromLoad, "GET " + requests);
      long pend1 = app.webhooks().pendingCount();
      String[] pb = command(toLoad, fromLoad, "POST " + requests / 4);
      long pend2 = app.webhooks().pendingCount();
      boolean drained2 = waitDrained(600);
      double drain2 = secs(b0);
      used = cpu().minus(c0);
      m1 = metrics();
      rc = get(receiver + "/count");
      // Baseline again, the backlog gone: brackets the run with a backlog, so a change of the
      // machine's other load during the run shows instead of passing for the backlog's effect.
      String[] ga = command(toLoad, fromLoad, "GET " + requests);
      String[] pa = command(toLoad, fromLoad, "POST " + requests / 4);

      putLater("API: requests per run, 8 closed-loop clients", g[0] + " GET, " + p[0] + " POST");
      row("GET /v1/meetings/{id}", g, gb, ga);
      row("POST /v1/meetings", p, pb, pa);
      putLater(
          "pending deliveries at start / after GET run / after POST run",
          String.format("%,d / %,d / %,d", pend0, pend1, pend2));
      putLater(
          "backlog (receiver 20 ms) drained in s, deliveries/s",
          drained2
              ? String.format("%.2f, %.0f", drain2, events / drain2)
              : "timeout");
      putLater("backlog: receiver POSTs / distinct event ids", num(rc, "count") + " / " + num(rc, "unique"));
      putLater("backlog: attempts delivered / retried / failed", attempts(m0, m1));
      putLater("backlog CPU s: server / receiver / API client", used.describe(drain2));
      toLoad.println("quit");
    } finally {
      load.destroy();
    }
    out.putAll(later);
    for (var e : out.entrySet()) {
      System.out.println(e.getKey() + "|" + e.getValue());
    }
    System.exit(0);
  }

  void row(String name, String[] before, String[] backlog, String[] after) {
    putLater(name + " p50 / p99 / max ms: baseline", latency(before));
    putLater(name + " p50 / p99 / max ms: with backlog", latency(backlog));
    putLater(name + " p50 / p99 / max ms: baseline again, after the drain", latency(after));
  }

  /** Fields of a load answer: n, p50, p99, max, errors, req/s. */
  static String latency(String[] r) {
    return r[1] + " / " + r[2] + " / " + r[3] + " (" + r[5] + " req/s, " + r[4] + " errors)";
  }

  /** Stages n events that are pending but not due (the App's clock a day behind). */
  long stage(long org, int n, String label) throws Exception {
    long before = app.webhooks().pendingCount();
    clock.offsetMs = -Duration.ofDays(1).toMillis();
    long s0 = System.nanoTime();
    emitAll(org, n, label);
    double s = secs(s0);
    long pending = app.webhooks().pendingCount() - before;
    String k = "staging " + label + ": emits/s (8 threads, each returns after its commit)";
    if (label.equals("slow")) {
      putLater(k, String.format("%.0f", n / s));
    } else {
      put(k, String.format("%.0f", n / s));
    }
    if (pending != n) {
      throw new IllegalStateException("staged " + pending + " pending deliveries, wanted " + n);
    }
    return pending;
  }

  void emitAll(long org, int n, String label) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      ts.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int i; (i = next.getAndIncrement()) < n; ) {
                      Map<String, Object> d = new LinkedHashMap<>();
                      d.put("recordingId", "rec-" + label + "-" + i);
                      d.put("roomName", "/bench-" + (i % 100));
                      d.put("roomSessionId", "00000000-0000-4000-8000-" + String.format("%012d", i));
                      d.put("filename", "bench-" + i + ".webm");
                      d.put("status", "completed");
                      // real time: with the clock a day behind, due only when it is put back
                      app.webhookOutbox()
                          .emit(org, EventType.RECORDING_FINISHED, Instant.now(), () -> d);
                    }
                  }));
    }
    for (Thread t : ts) {
      t.join();
    }
  }

  /**
   * PostgreSQL only: this database's commits and updated rows so far (pg_stat_database; backends
   * report them up to a second late, hence the wait, outside any timing). Null on SQLite.
   */
  long[] pgStats() throws InterruptedException {
    if (url.equals("sqlite")) {
      return null;
    }
    Thread.sleep(1_500);
    return app.database()
        .jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT xact_commit, tup_updated FROM pg_stat_database"
                            + " WHERE datname = current_database()")
                    .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
                    .one());
  }

  boolean waitDrained(int seconds) throws InterruptedException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < end) {
      if (app.webhooks().pendingCount() == 0) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  String[] command(PrintWriter to, BufferedReader from, String cmd) throws Exception {
    to.println(cmd);
    String line = from.readLine();
    if (line == null || !line.startsWith("ok ")) {
      throw new IllegalStateException("load client: " + line);
    }
    System.err.println("bench: " + cmd + " -> " + line);
    return line.substring(3).split(" ");
  }

  static String get(String u) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(u)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  static long num(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\":(\\d+)").matcher(json);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  Map<String, Double> metrics() throws Exception {
    Map<String, Double> m = new HashMap<>();
    Matcher x =
        Pattern.compile("parlor_webhook_attempts_total\\{outcome=\"(\\w+)\"[^}]*\\} ([0-9.E+-]+)")
            .matcher(get(base + "/metrics"));
    while (x.find()) {
      m.put(x.group(1), Double.parseDouble(x.group(2)));
    }
    return m;
  }

  static String attempts(Map<String, Double> a, Map<String, Double> b) {
    StringBuilder s = new StringBuilder();
    for (String k : List.of("delivered", "retry", "failed")) {
      if (!s.isEmpty()) {
        s.append(" / ");
      }
      s.append(String.format("%,.0f", b.getOrDefault(k, 0.0) - a.getOrDefault(k, 0.0)));
    }
    return s.toString();
  }

  /**
   * The closed-loop API client, in its own JVM: 8 virtual threads, each sending its next request
   * when the last one was answered. Commands on stdin: {@code GET n}, {@code POST n}, {@code quit};
   * answers {@code ok n p50 p99 max errors req/s}.
   */
  static final class Load {
    public static void main(String[] args) throws Exception {
      String base = args[0];
      String key = args[1];
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest post =
          HttpRequest.newBuilder(URI.create(base + "/v1/meetings"))
              .header("Authorization", "Bearer " + key)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"endDate\":\"2099-01-01T00:00:00Z\"}"))
              .build();
      HttpResponse<String> created = http.send(post, HttpResponse.BodyHandlers.ofString());
      Matcher id = Pattern.compile("\"meetingId\":\"([0-9]+)\"").matcher(created.body());
      if (created.statusCode() != 201 || !id.find()) {
        throw new IllegalStateException("create meeting: " + created.statusCode() + " " + created.body());
      }
      HttpRequest get =
          HttpRequest.newBuilder(URI.create(base + "/v1/meetings/" + id.group(1)))
              .header("Authorization", "Bearer " + key)
              .GET()
              .build();
      System.out.println("ready " + id.group(1));
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
      for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
        String[] c = line.split(" ");
        int n = Integer.parseInt(c[1]);
        boolean isGet = c[0].equals("GET");
        HttpRequest r = isGet ? get : post;
        int ok = isGet ? 200 : 201;
        long[] nanos = new long[n];
        AtomicInteger next = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        List<Thread> ts = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int t = 0; t < 8; t++) {
          ts.add(
              Thread.ofVirtual()
                  .start(
                      () -> {
                        for (int i; (i = next.getAndIncrement()) < n; ) {
                          long s = System.nanoTime();
                          try {
                            HttpResponse<Void> res = http.send(r, HttpResponse.BodyHandlers.discarding());
                            if (res.statusCode() != ok) {
                              errors.incrementAndGet();
                            }
                          } catch (Exception e) {
                            errors.incrementAndGet();
                          }
                          nanos[i] = System.nanoTime() - s;
                        }
                      }));
        }
        for (Thread t : ts) {
          t.join();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        Arrays.sort(nanos);
        System.out.printf(
            "ok %d %.2f %.2f %.2f %d %.0f%n",
            n, pct(nanos, 50), pct(nanos, 99), nanos[n - 1] / 1e6, errors.get(), n / secs);
      }
    }

    static double pct(long[] sorted, int p) {
      int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
      return sorted[Math.max(0, i)] / 1e6;
    }
  }
}
