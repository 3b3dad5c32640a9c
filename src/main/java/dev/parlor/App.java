package dev.parlor;

import dev.parlor.blobs.BlobStore;
import dev.parlor.blobs.BlobStores;
import dev.parlor.config.AppConfig;
import dev.parlor.config.ConfigException;
import dev.parlor.config.Secrets;
import dev.parlor.config.Setting;
import dev.parlor.db.Database;
import dev.parlor.db.IdAllocator;
import dev.parlor.db.WriteBatcher;
import dev.parlor.http.ApiAuthFilter;
import dev.parlor.http.ClientAddress;
import dev.parlor.http.Cursors;
import dev.parlor.http.ErrorRendering;
import dev.parlor.http.HeadRequestFilter;
import dev.parlor.http.NotImplementedRoutes;
import dev.parlor.http.ObservabilityFilter;
import dev.parlor.http.RouteTable;
import dev.parlor.meetings.CachingMeetingStore;
import dev.parlor.meetings.MeetingRoutes;
import dev.parlor.meetings.MeetingService;
import dev.parlor.meetings.MeetingStore;
import dev.parlor.meetings.MeetingSweeper;
import dev.parlor.meetings.SqlMeetingStore;
import dev.parlor.observe.OperationalRoutes;
import dev.parlor.orgs.ApiKeyAuthenticator;
import dev.parlor.orgs.OrganizationService;
import dev.parlor.orgs.SqlOrganizationStore;
import dev.parlor.ratelimit.BucketRateLimiter;
import dev.parlor.ratelimit.RateLimiter;
import dev.parlor.rooms.RoomKeys;
import dev.parlor.themes.BuiltInBackgrounds;
import dev.parlor.themes.SqlThemeStore;
import dev.parlor.themes.ThemeRoutes;
import dev.parlor.themes.ThemeService;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every component from the configuration, by hand, in one place. Tests
 * build the same {@code App} with their own configuration and clock.
 */
public final class App implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(App.class);

  private final AppConfig config;
  private final Database database;
  private final WriteBatcher writer;
  private final OrganizationService organizations;
  private final MeetingService meetings;
  private final MeetingSweeper sweeper;
  private final BlobStore blobs;
  private final ThemeService themes;
  private final WebServer server;
  private final List<RouteTable.Route> routes;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private volatile String publicUrl;

  private App(AppConfig config, Clock clock) {
    this.config = config;
    this.blobs = BlobStores.open(config);
    closeables.add(blobs);
    this.database = Database.open(config.effectiveDatabaseUrl(), config.databasePoolSize());
    closeables.add(database);
    byte[] secret = Secrets.load(config);
    IdAllocator ids = new IdAllocator(database.jdbi(), 100);
    this.writer = new WriteBatcher(database.jdbi());
    closeables.add(0, writer);

    SqlOrganizationStore orgStore = new SqlOrganizationStore(database.jdbi());
    this.organizations = new OrganizationService(orgStore, ids, clock);
    RoomKeys roomKeys = new RoomKeys(secret, clock);
    Cursors cursors = new Cursors(secret);
    MeetingStore meetingStore = new SqlMeetingStore(database.jdbi(), writer);
    if (database.kind() == Database.Kind.SQLITE) {
      // Embedded SQLite means this process is the only writer of meetings: safe to cache.
      meetingStore = new CachingMeetingStore(meetingStore, 100_000);
    }
    this.meetings = new MeetingService(meetingStore, ids, cursors, clock, config.meetingGrace());
    this.sweeper = new MeetingSweeper(meetings, config.sweepInterval());
    closeables.add(0, sweeper);
    this.themes =
        new ThemeService(
            new SqlThemeStore(database.jdbi()),
            blobs,
            config.tmpDir().resolve("uploads"),
            new BuiltInBackgrounds(),
            meetings::findLiveByRoomName,
            clock);
    meetings.addListener(themes);

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RateLimiter limiter = new BucketRateLimiter(clock);
    ClientAddress clientAddress = new ClientAddress(config.trustedProxies());

    HttpRouting.Builder routing = HttpRouting.builder();
    ErrorRendering.register(routing);
    routing.addFilter(new HeadRequestFilter());
    routing.addFilter(new ObservabilityFilter(registry, clientAddress, config.accessLog()));
    routing.addFilter(
        new ApiAuthFilter(
            new ApiKeyAuthenticator(orgStore),
            limiter,
            clientAddress,
            config.authFailureLimit(),
            kind ->
                Counter.builder("parlor.ratelimit.rejections")
                    .description("Requests refused by a rate limit")
                    .tag("limit", kind)
                    .register(registry)
                    .increment()));
    RouteTable routes = new RouteTable(routing);
    new OperationalRoutes(database, registry).register(routes);
    new MeetingRoutes(meetings, roomKeys, () -> publicUrl).register(routes);
    new ThemeRoutes(themes, () -> publicUrl).register(routes);
    NotImplementedRoutes.register(routes);
    routes.notFoundFallback();
    this.routes = routes.routes();

    this.server =
        WebServer.builder()
            .host(config.host())
            .port(config.port())
            // close() stops the server before the database; Helidon's own hook would race it
            .shutdownHook(false)
            .directHandlers(ErrorRendering.directHandlers())
            .routing(routing)
            .build();
  }

  /** Builds everything (opening the database and migrating it) without starting the server. */
  public static App create(AppConfig config, Clock clock) {
    return new App(config, clock);
  }

  public App start() {
    server.start();
    if (!server.isRunning()) {
      // Helidon logs why (address in use, no permission) and returns instead of throwing.
      close();
      throw new ConfigException(
          Setting.PORT.key()
              + ": cannot listen on "
              + config.host()
              + ":"
              + config.port()
              + " (is the port in use, or the address not local? see the log above)");
    }
    publicUrl = config.effectivePublicUrl(server.port());
    sweeper.start();
    Thread.ofVirtual()
        .name("parlor-theme-cleanup")
        .start(
            () -> {
              try {
                themes.removeOrphans();
              } catch (RuntimeException e) {
                log.warn("Removing the themes of deleted rooms failed: {}", e.toString());
              }
            });
    return this;
  }

  public int port() {
    return server.port();
  }

  public String publicUrl() {
    return publicUrl;
  }

  public OrganizationService organizations() {
    return organizations;
  }

  public MeetingService meetings() {
    return meetings;
  }

  public ThemeService themes() {
    return themes;
  }

  public BlobStore blobs() {
    return blobs;
  }

  public MeetingSweeper sweeper() {
    return sweeper;
  }

  public Database database() {
    return database;
  }

  /** The paths the server serves and their methods, as registered (for tests and docs). */
  public List<RouteTable.Route> routes() {
    return routes;
  }

  @Override
  public void close() {
    if (server.isRunning()) {
      server.stop();
    }
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        // closing the rest matters more than this one failure
      }
    }
  }
}
