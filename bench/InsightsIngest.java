import com.fasterxml.jackson.databind.JsonNode;
import dev.parlor.App;
import dev.parlor.config.AppConfig;
import dev.parlor.http.Json;
import dev.parlor.insights.MediaEvent;
import dev.parlor.insights.Role;
import dev.parlor.insights.RoomActivity;
import dev.parlor.meetings.MeetingRequestParser;
import dev.parlor.orgs.Plan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Insights ingestion throughput: RoomActivity events per second, until everything is committed.
 *
 * <pre>
 *   java -cp 'target/classes:target/lib/*' bench/InsightsIngest.java JDBC_URL [rooms] [minutes]
 * </pre>
 *
 * Two runs on the same database:
 *
 * <ol>
 *   <li><b>steady</b>: {@code rooms} rooms of 5 participants for {@code minutes} minutes of room
 *       time: one network sample per connection every 2 s, a media switch per connection every
 *       30 s, and one reload (disconnect + connect) per room every minute. Samples are over 90% of
 *       the events, as in a real deployment.
 *   <li><b>churn</b>: joins and leaves only (sessions starting and ending, participant rows): each
 *       room has 4 people join and leave, 10 times.
 * </ol>
 *
 * Events are produced by two threads (the machine's cores), with times in simulated room time; the
 * clock ends with {@code flush()}, the commit of everything. Times include the database writes.
 */
public final class InsightsIngest {
  public static void main(String[] args) throws Exception {
    String url = args[0];
    int rooms = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    int minutes = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    Path dir = Files.createTempDirectory("parlor-ingest");
    Map<String, String> env = new HashMap<>();
    env.put("PARLOR_DATABASE_URL", url);
    env.put("PARLOR_DATA_DIR", dir.toString());
    env.put("PARLOR_PORT", "0");
    env.put("PARLOR_SECRET", "bench-secret-0123456789abcdef0123456789");
    try (App app = App.create(AppConfig.from(env), Clock.systemUTC())) {
      long org =
          app.organizations()
              .create("ingest-" + System.nanoTime(), Plan.parse("unlimited"))
              .organization()
              .id();
      List<String> names = new ArrayList<>();
      JsonNode body = Json.MAPPER.readTree("{\"endDate\":\"2099-01-01T00:00:00Z\"}");
      for (int i = 0; i < rooms; i++) {
        names.add(
            app.meetings()
                .create(org, MeetingRequestParser.parse(body, Instant.now()))
                .roomName());
      }
      RoomActivity activity = app.roomActivity();
      System.out.printf(
          "database: %s%nrooms: %d, steady: 5 participants for %d minutes of room time%n",
          url.replaceAll("password=[^&]*", "password=***"), rooms, minutes);
      run("steady", activity, names, (a, part, count) -> steady(a, part, minutes, count));
      run("churn", activity, names, InsightsIngest::churn);
    }
  }

  interface Work {
    void run(RoomActivity a, List<String> rooms, AtomicLong events);
  }

  private static void run(String name, RoomActivity a, List<String> rooms, Work work)
      throws InterruptedException {
    AtomicLong events = new AtomicLong();
    int threads = 2;
    List<Thread> ts = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      List<String> part = new ArrayList<>();
      for (int i = t; i < rooms.size(); i += threads) {
        part.add(rooms.get(i));
      }
      ts.add(Thread.ofPlatform().start(() -> work.run(a, part, events)));
    }
    for (Thread t : ts) {
      t.join();
    }
    long produced = System.nanoTime();
    a.flush();
    long done = System.nanoTime();
    double secs = (done - t0) / 1e9;
    System.out.printf(
        "%s: %,d events in %.2f s (%.2f s producing, %.2f s final flush): %,.0f events/s"
            + " committed%n",
        name,
        events.get(),
        secs,
        (produced - t0) / 1e9,
        (done - produced) / 1e9,
        events.get() / secs);
  }

  private static final Instant BASE = Instant.parse("2031-01-01T00:00:00Z");

  private static void steady(RoomActivity a, List<String> rooms, int minutes, AtomicLong count) {
    long n = 0;
    String tag = Thread.currentThread().getName() + "-" + System.nanoTime();
    Map<String, Integer> generation = new HashMap<>();
    for (int r = 0; r < rooms.size(); r++) {
      for (int p = 0; p < 5; p++) {
        a.participantConnected(join(rooms.get(r), conn(tag, r, p, 0), "p" + p, BASE));
        n++;
      }
    }
    int steps = minutes * 30;
    for (int s = 1; s <= steps; s++) {
      Instant at = BASE.plusSeconds(2L * s);
      for (int r = 0; r < rooms.size(); r++) {
        for (int p = 0; p < 5; p++) {
          String key = tag + "-" + r + "-" + p;
          String c = conn(tag, r, p, generation.getOrDefault(key, 0));
          a.networkSample(c, at, (s % 7) * 0.3, (s % 5) * 0.2, 1_200_000 + s, 900_000 - s);
          n++;
          if ((s + p) % 15 == 0) {
            a.mediaEvent(c, s % 2 == 0 ? MediaEvent.CAMERA_OFF : MediaEvent.CAMERA_ON, at);
            n++;
          }
        }
        if (s % 30 == r % 30) {
          // one reload per room per minute
          int p = s % 5;
          String key = tag + "-" + r + "-" + p;
          int g = generation.getOrDefault(key, 0);
          a.participantDisconnected(conn(tag, r, p, g), at);
          generation.put(key, g + 1);
          a.participantConnected(join(rooms.get(r), conn(tag, r, p, g + 1), "p" + p, at));
          n += 2;
        }
      }
    }
    Instant end = BASE.plusSeconds(2L * steps + 1);
    for (int r = 0; r < rooms.size(); r++) {
      for (int p = 0; p < 5; p++) {
        a.participantDisconnected(
            conn(tag, r, p, generation.getOrDefault(tag + "-" + r + "-" + p, 0)), end);
        n++;
      }
    }
    count.addAndGet(n);
  }

  private static void churn(RoomActivity a, List<String> rooms, AtomicLong count) {
    long n = 0;
    String tag = "churn-" + Thread.currentThread().getName() + "-" + System.nanoTime();
    Instant base = BASE.plusSeconds(86_400);
    for (int cycle = 0; cycle < 10; cycle++) {
      Instant in = base.plusSeconds(600L * cycle);
      Instant out = in.plusSeconds(300);
      for (int r = 0; r < rooms.size(); r++) {
        for (int p = 0; p < 4; p++) {
          a.participantConnected(join(rooms.get(r), conn(tag, r, p, cycle), "p" + p, in));
          n++;
        }
      }
      for (int r = 0; r < rooms.size(); r++) {
        for (int p = 0; p < 4; p++) {
          a.participantDisconnected(conn(tag, r, p, cycle), out.plusMillis(p));
          n++;
        }
      }
    }
    count.addAndGet(n);
  }

  private static String conn(String tag, int room, int p, int generation) {
    return tag + "-" + room + "-" + p + "-" + generation;
  }

  private static RoomActivity.Join join(String room, String conn, String participant, Instant at) {
    return new RoomActivity.Join(
        room,
        conn,
        participant,
        "device-" + participant,
        participant.equals("p0") ? Role.HOST : Role.VISITOR,
        "Participant " + participant,
        null,
        "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0",
        at);
  }
}
