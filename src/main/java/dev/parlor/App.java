package dev.parlor;

import dev.parlor.background.Periodic;
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
import dev.parlor.http.PublicRateLimitFilter;
import dev.parlor.http.RouteTable;
import dev.parlor.insights.ActivityTracker;
import dev.parlor.insights.InsightsJobs;
import dev.parlor.insights.InsightsRoutes;
import dev.parlor.insights.InsightsService;
import dev.parlor.insights.InsightsWriter;
import dev.parlor.insights.RoomActivity;
import dev.parlor.insights.SignalingInsights;
import dev.parlor.insights.SqlInsightsStore;
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
import dev.parlor.recordings.RecordingLinks;
import dev.parlor.recordings.RecordingRoutes;
import dev.parlor.recordings.RecordingService;
import dev.parlor.recordings.RecordingWorker;
import dev.parlor.recordings.SqlRecordingStore;
import dev.parlor.roompage.RoomPageRoutes;
import dev.parlor.rooms.RoomKeys;
import dev.parlor.signaling.InProcessRoomBus;
import dev.parlor.signaling.RoomObserver;
import dev.parlor.signaling.SignalingRoutes;
import dev.parlor.signaling.SignalingService;
import dev.parlor.themes.BuiltInBackgrounds;
import dev.parlor.themes.SqlThemeStore;
import dev.parlor.themes.ThemeRoutes;
import dev.parlor.themes.ThemeService;
import dev.parlor.webhooks.SqlWebhookStore;
import dev.parlor.webhooks.UrlGuard;
import dev.parlor.webhooks.WebhookDispatcher;
import dev.parlor.webhooks.WebhookEvents;
import dev.parlor.webhooks.WebhookOutbox;
import dev.parlor.webhooks.WebhookService;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
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
  private final ActivityTracker roomActivity;
  private final InsightsService insights;
  private final InsightsJobs insightsJobs;
  private final SignalingService signaling;
  private final BlobStore blobs;
  private final RecordingService recordings;
  private final RecordingWorker recordingWorker;
  private final ThemeService themes;
  private final WebhookService webhooks;
  private final WebhookDispatcher webhookDispatcher;
  private final WebhookOutbox webhookOutbox;
  private final Periodic roomExpiry;
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

    this.recordings =
        new RecordingService(
            new SqlRecordingStore(database.jdbi(), writer),
            blobs,
            ids,
            cursors,
            new RecordingLinks(secret),
            clock,
            config.recordingRetention());
    this.recordingWorker = new RecordingWorker(recordings, config.sweepInterval());
    closeables.add(0, recordingWorker);

    // Insights: rooms are recorded as meetings are created; activity is written in batches by its
    // own writer thread, which closes (after writing what is queued) before the shared writer.
    SqlInsightsStore insightsStore = new SqlInsightsStore(database.jdbi(), writer);
    InsightsWriter insightsWriter = new InsightsWriter(insightsStore);
    closeables.add(0, insightsWriter);
    this.roomActivity =
        new ActivityTracker(
            insightsStore,
            insightsWriter,
            new IdAllocator(database.jdbi(), 1000),
            clock,
            config.sessionIdle(),
            meetings::findLiveByRoomName);
    closeables.add(0, roomActivity);
    this.insights =
        new InsightsService(
            insightsStore,
            roomActivity,
            cursors,
            clock,
            config.meetingGrace(),
            config.insightsRetention());
    meetings.addListener(insights);

    // Webhooks: events enter the outbox with the change that caused them; the dispatcher sends
    // them. Sessions ended by recovery below are reported too.
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // On PostgreSQL the dispatcher's bookkeeping (claims, outcomes) has its own writer, so a
    // delivery backlog never queues the API's writes behind it (measured: bench/webhooks.sh).
    // SQLite has one write lock whatever the writer count; there it shares the main writer.
    WriteBatcher webhookWriter = writer;
    if (database.kind() == Database.Kind.POSTGRESQL) {
      webhookWriter = new WriteBatcher(database.jdbi(), "parlor-webhook-writer");
      closeables.add(0, webhookWriter);
    }
    SqlWebhookStore webhookStore = new SqlWebhookStore(database.jdbi(), webhookWriter);
    WebhookOutbox outbox = new WebhookOutbox(webhookStore, writer);
    this.webhookOutbox = outbox;
    UrlGuard urlGuard = new UrlGuard(config.webhooks().allowPrivate());
    this.webhooks = new WebhookService(webhookStore, ids, secret, urlGuard, clock);
    WebhookEvents webhookEvents =
        new WebhookEvents(
            outbox,
            clock,
            config.meetingGrace(),
            roomActivity::currentSessionId,
            meetings::findLiveByRoomName);
    roomActivity.setSessionListener(webhookEvents);
    recordings.setEvents(webhookEvents);
    this.webhookDispatcher =
        new WebhookDispatcher(
            webhookStore, outbox, secret, urlGuard, clock, config.webhooks(), registry);
    closeables.add(0, webhookDispatcher);
    roomActivity.recover();
    this.insightsJobs = new InsightsJobs(roomActivity, insights, config.sweepInterval());
    closeables.add(0, insightsJobs);

    RateLimiter limiter = new BucketRateLimiter(clock);
    ClientAddress clientAddress = new ClientAddress(config.trustedProxies());
    java.util.function.Consumer<String> rejected =
        kind ->
            Counter.builder("parlor.ratelimit.rejections")
                .description("Requests refused by a rate limit")
                .tag("limit", kind)
                .register(registry)
                .increment();

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
            rejected));
    routing.addFilter(
        new PublicRateLimitFilter(limiter, clientAddress, config.publicRateLimit(), rejected));
    RouteTable routes = new RouteTable(routing);
    new OperationalRoutes(database, registry).register(routes);
    new MeetingRoutes(meetings, roomKeys, () -> publicUrl).register(routes);
    new InsightsRoutes(insights).register(routes);
    new RecordingRoutes(recordings, () -> publicUrl).register(routes);
    new ThemeRoutes(themes, () -> publicUrl).register(routes);
    NotImplementedRoutes.register(routes);

    // Rooms in the browser: signaling over a WebSocket and the room page itself.
    // What the signaling sees of real sessions feeds insights.
    RoomObserver roomObserver = new SignalingInsights(roomActivity);
    com.fasterxml.jackson.databind.JsonNode iceServers = iceServers(config.iceServersJson());
    this.signaling =
        new SignalingService(
            meetings,
            roomKeys,
            new InProcessRoomBus(),
            roomObserver,
            clock,
            () -> iceServers,
            SignalingService.Caps.MESH,
            secret);
    signaling.addObserver(webhookEvents);
    meetings.addListener(signaling);
    // rooms end when their meeting expires, not when the sweep deletes it
    this.roomExpiry =
        new Periodic(
            "parlor-room-expiry", java.time.Duration.ofSeconds(5), signaling::endExpiredRooms);
    closeables.add(0, roomExpiry);
    io.micrometer.core.instrument.Gauge.builder(
            "parlor.signaling.connections", signaling, SignalingService::openConnections)
        .description("Signaling WebSockets open")
        .register(registry);
    io.micrometer.core.instrument.Gauge.builder(
            "parlor.signaling.rooms", signaling, SignalingService::activeRooms)
        .description("Rooms with someone connected or knocking")
        .register(registry);
    io.micrometer.core.instrument.Gauge.builder(
            "parlor.webhook.pending", webhooks, WebhookService::pendingCount)
        .description("Webhook deliveries not yet delivered, failed or cancelled")
        .register(registry);
    new RoomPageRoutes(meetings, config.embedOrigins()).register(routing);
    routes.notFoundFallback();
    this.routes = routes.routes();

    this.server =
        WebServer.builder()
            .host(config.host())
            .port(config.port())
            // close() stops the server before the database; Helidon's own hook would race it
            .shutdownHook(false)
            .directHandlers(ErrorRendering.directHandlers())
            // Query strings may carry raw brackets (roomName[exact]=..., as curl and axios send
            // them and the contract's own examples write them); the path is still validated.
            .addProtocol(Http1Config.builder().validatePrologue(false).build())
            .routing(routing)
            .addRouting(SignalingRoutes.routing(signaling))
            .update(b -> tls(config).ifPresent(b::tls))
            .build();
  }

  /** HTTPS (and WSS) from PEM files when PARLOR_TLS_CERT and PARLOR_TLS_KEY are set. */
  private static java.util.Optional<io.helidon.common.tls.Tls> tls(AppConfig config) {
    if (config.tlsCert().isEmpty() || config.tlsKey().isEmpty()) {
      return java.util.Optional.empty();
    }
    java.nio.file.Path cert = config.tlsCert().get();
    java.nio.file.Path key = config.tlsKey().get();
    try {
      return java.util.Optional.of(
          io.helidon.common.tls.Tls.builder()
              .privateKey(
                  k -> k.pem(p -> p.key(io.helidon.common.configurable.Resource.create(key))))
              .privateKeyCertChain(
                  k ->
                      k.pem(p -> p.certChain(io.helidon.common.configurable.Resource.create(cert))))
              .build());
    } catch (RuntimeException e) {
      throw new ConfigException(
          Setting.TLS_CERT.key()
              + " / "
              + Setting.TLS_KEY.key()
              + ": cannot use "
              + cert
              + " and "
              + key
              + " ("
              + e.getMessage()
              + ")");
    }
  }

  private static com.fasterxml.jackson.databind.JsonNode iceServers(String json) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ConfigException(Setting.ICE_SERVERS.key() + " is not valid JSON");
    }
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
    insightsJobs.start();
    recordingWorker.start();
    webhookDispatcher.start();
    roomExpiry.start();
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

  public SignalingService signaling() {
    return signaling;
  }

  public ThemeService themes() {
    return themes;
  }

  public MeetingSweeper sweeper() {
    return sweeper;
  }

  /** Where the room server reports what happens in rooms (insights are derived from it). */
  public RoomActivity roomActivity() {
    return roomActivity;
  }

  public InsightsService insights() {
    return insights;
  }

  public BlobStore blobs() {
    return blobs;
  }

  public RecordingService recordings() {
    return recordings;
  }

  public RecordingWorker recordingWorker() {
    return recordingWorker;
  }

  public WebhookService webhooks() {
    return webhooks;
  }

  /** Where events enter the outbox (to reload its subscription cache in tests and benches). */
  public WebhookOutbox webhookOutbox() {
    return webhookOutbox;
  }

  public AppConfig config() {
    return config;
  }

  public WebhookDispatcher webhookDispatcher() {
    return webhookDispatcher;
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
