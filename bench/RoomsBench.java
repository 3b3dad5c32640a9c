import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rooms load benchmark without browsers: N WebSocket clients in N/4 rooms on one node.
 *   java bench/RoomsBench.java <baseUrl> <apiKey> <serverPid> [clients] [perRoom]
 * Measures join-to-joined latency (join sent to joined received), the server's resident memory
 * and heap after a full GC per connection, and the fan-out time of deleting every meeting.
 */
public class RoomsBench {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  public static void main(String[] args) throws Exception {
    String base = args[0];
    String key = args[1];
    long pid = Long.parseLong(args[2]);
    int clients = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
    int perRoom = args.length > 4 ? Integer.parseInt(args[4]) : 4;
    int rooms = clients / perRoom;

    List<String[]> meetings = new ArrayList<>();
    Pattern room = Pattern.compile("\"roomName\":\"([^\"]+)\"");
    Pattern id = Pattern.compile("\"meetingId\":\"([0-9]+)\"");
    for (int i = 0; i < rooms; i++) {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(base + "/v1/meetings"))
                  .header("Authorization", "Bearer " + key)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"endDate\":\"2099-01-01T00:00:00Z\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Matcher m = room.matcher(r.body());
      Matcher n = id.matcher(r.body());
      if (r.statusCode() != 201 || !m.find() || !n.find()) {
        throw new IllegalStateException("create meeting: " + r.statusCode() + " " + r.body());
      }
      meetings.add(new String[] {n.group(1), m.group(1)});
    }

    long rssIdle = rssKib(pid);
    // warm-up: the same joins once, then closed, so the JIT has compiled the path being measured
    Round warm = round(base, meetings, clients);
    for (Client c : warm.all) {
      c.ws.sendClose(WebSocket.NORMAL_CLOSURE, "warm-up done");
    }
    Thread.sleep(2000);
    long[] warmOk = Arrays.stream(warm.joinNanos).filter(x -> x > 0).sorted().toArray();
    System.out.printf("warm-up round join-to-joined p99 ms (cold JVM)|%.2f%n", pct(warmOk, 99));

    gc(pid);
    long rssBefore = rssKib(pid);
    long heapBefore = heapUsedKib(pid);
    long t0 = System.nanoTime();
    Round r = round(base, meetings, clients);
    long[] joinNanos = r.joinNanos;
    List<Client> all = r.all;
    CountDownLatch ended = r.ended;
    long totalMs = (System.nanoTime() - t0) / 1_000_000;
    long failed = Arrays.stream(joinNanos).filter(x -> x <= 0).count();
    Thread.sleep(2000);
    // every client reports stats once, as a room page does every two seconds
    for (Client c : all) {
      c.ws.sendText(
          "{\"type\":\"stats\",\"packetLossSendPct\":0.5,\"packetLossRecvPct\":0.2,\"bitrateSendBps\":300000,\"bitrateRecvBps\":900000}",
          true);
    }
    Thread.sleep(1000);
    gc(pid);
    long rssAfter = rssKib(pid);
    long heapAfter = heapUsedKib(pid);

    long d0 = System.nanoTime();
    for (String[] m : meetings) {
      HTTP.send(
          HttpRequest.newBuilder(URI.create(base + "/v1/meetings/" + m[0]))
              .header("Authorization", "Bearer " + key)
              .DELETE()
              .build(),
          HttpResponse.BodyHandlers.discarding());
    }
    boolean allEnded = ended.await(60, TimeUnit.SECONDS);
    long endMs = (System.nanoTime() - d0) / 1_000_000;

    long[] ok = Arrays.stream(joinNanos).filter(x -> x > 0).sorted().toArray();
    System.out.printf(
        "clients|%d%nrooms|%d%nfailed joins|%d%njoin-to-joined p50 ms|%.2f%njoin-to-joined p99 ms|%.2f%n"
            + "join-to-joined max ms|%.2f%nall joined after ms|%d%n"
            + "server heap (after full GC) per connection KiB|%.1f%n"
            + "server RSS idle / with all connections MiB|%d / %d%n"
            + "delete all meetings to last meeting_ended ms|%s%n",
        clients,
        rooms,
        failed,
        pct(ok, 50),
        pct(ok, 99),
        ok.length == 0 ? 0 : ok[ok.length - 1] / 1e6,
        totalMs,
        (heapAfter - heapBefore) / (double) clients,
        rssIdle / 1024,
        rssAfter / 1024,
        allEnded ? Long.toString(endMs) : "timeout (" + ended.getCount() + " left)");
    System.exit(0);
  }

  record Round(long[] joinNanos, List<Client> all, CountDownLatch ended) {}

  /** Connects {@code clients} sockets, at most 64 joins in flight, and waits for every answer. */
  static Round round(String base, List<String[]> meetings, int clients) throws Exception {
    int rooms = meetings.size();
    String ws = base.replaceFirst("^http", "ws") + "/_parlor/signal";
    long[] joinNanos = new long[clients];
    List<Client> all = new ArrayList<>();
    Semaphore inFlight = new Semaphore(64);
    CountDownLatch joined = new CountDownLatch(clients);
    CountDownLatch ended = new CountDownLatch(clients);
    for (int i = 0; i < clients; i++) {
      inFlight.acquire();
      String roomName = meetings.get(i % rooms)[1];
      Client c = new Client(i, joinNanos, joined, ended, inFlight);
      all.add(c);
      HTTP.newWebSocketBuilder()
          .buildAsync(URI.create(ws), c)
          .thenAccept(
              w -> {
                c.ws = w;
                c.sentAt = System.nanoTime();
                w.sendText(
                    "{\"type\":\"join\",\"room\":\"" + roomName + "\",\"displayName\":\"Bench " + c.n + "\"}",
                    true);
              })
          .exceptionally(
              e -> {
                System.err.println("connect failed: " + e);
                inFlight.release();
                joined.countDown();
                return null;
              });
    }
    if (!joined.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("not every client joined: " + joined.getCount() + " left");
    }
    return new Round(joinNanos, all, ended);
  }

  static double pct(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, i)] / 1e6;
  }

  static long rssKib(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return 0;
  }

  static void gc(long pid) throws Exception {
    jcmd(pid, "GC.run");
    Thread.sleep(300);
  }

  /** Heap used per jcmd GC.heap_info (KiB), summed over the generations it lists. */
  static long heapUsedKib(long pid) throws Exception {
    String out = jcmd(pid, "GC.heap_info");
    Matcher m = Pattern.compile("used (\\d+)K").matcher(out);
    long sum = 0;
    while (m.find()) {
      sum += Long.parseLong(m.group(1));
    }
    return sum;
  }

  static String jcmd(long pid, String command) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }

  static final class Client implements WebSocket.Listener {
    final int n;
    final long[] joinNanos;
    final CountDownLatch joined;
    final CountDownLatch ended;
    final Semaphore inFlight;
    final StringBuilder buf = new StringBuilder();
    volatile WebSocket ws;
    volatile long sentAt;
    boolean isJoined;
    boolean isEnded;

    Client(int n, long[] joinNanos, CountDownLatch joined, CountDownLatch ended, Semaphore inFlight) {
      this.n = n;
      this.joinNanos = joinNanos;
      this.joined = joined;
      this.ended = ended;
      this.inFlight = inFlight;
    }

    @Override
    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
      buf.append(data);
      if (last) {
        String s = buf.toString();
        buf.setLength(0);
        if (!isJoined && s.contains("\"type\":\"joined\"")) {
          isJoined = true;
          joinNanos[n] = System.nanoTime() - sentAt;
          inFlight.release();
          joined.countDown();
        } else if (!isJoined && s.contains("\"type\":\"error\"")) {
          isJoined = true;
          System.err.println("join refused: " + s);
          inFlight.release();
          joined.countDown();
        } else if (!isEnded && s.contains("\"type\":\"meeting_ended\"")) {
          isEnded = true;
          ended.countDown();
        }
      }
      w.request(1);
      return null;
    }
  }
}
