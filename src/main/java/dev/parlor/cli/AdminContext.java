package dev.parlor.cli;

import dev.parlor.blobs.BlobStore;
import dev.parlor.blobs.BlobStores;
import dev.parlor.config.AppConfig;
import dev.parlor.db.Database;
import dev.parlor.db.IdAllocator;
import dev.parlor.orgs.OrganizationService;
import dev.parlor.orgs.SqlOrganizationStore;
import dev.parlor.themes.BuiltInBackgrounds;
import dev.parlor.themes.SqlThemeStore;
import dev.parlor.themes.ThemeService;
import java.time.Clock;
import java.util.Optional;

/**
 * What the admin commands need: the database a running server uses and the organization service
 * over it, without starting a server; the blob store and themes when a command asks for them.
 */
final class AdminContext implements AutoCloseable {
  final AppConfig config;
  final Database database;
  final OrganizationService organizations;
  private BlobStore blobs;
  private ThemeService themes;

  private AdminContext(AppConfig config, Database database, OrganizationService organizations) {
    this.config = config;
    this.database = database;
    this.organizations = organizations;
  }

  static AdminContext open() {
    AppConfig config = AppConfig.fromEnvironment();
    Database db = Database.open(config.effectiveDatabaseUrl(), 2);
    OrganizationService orgs =
        new OrganizationService(
            new SqlOrganizationStore(db.jdbi()), new IdAllocator(db.jdbi(), 1), Clock.systemUTC());
    return new AdminContext(config, db, orgs);
  }

  private dev.parlor.db.WriteBatcher writer;

  /** The group-commit writer the SQL stores write through (started on first use). */
  dev.parlor.db.WriteBatcher writer() {
    if (writer == null) {
      writer = new dev.parlor.db.WriteBatcher(database.jdbi());
    }
    return writer;
  }

  /** Webhook endpoints and deliveries, in the server's database. */
  dev.parlor.webhooks.WebhookService webhooks() {
    return new dev.parlor.webhooks.WebhookService(
        new dev.parlor.webhooks.SqlWebhookStore(database.jdbi(), writer()),
        new IdAllocator(database.jdbi(), 1),
        dev.parlor.config.Secrets.load(config),
        new dev.parlor.webhooks.UrlGuard(config.webhooks().allowPrivate()),
        Clock.systemUTC());
  }

  /** Organization themes, on the blob store the server uses (opened on first use). */
  ThemeService themes() {
    if (themes == null) {
      blobs = BlobStores.open(config);
      themes =
          new ThemeService(
              new SqlThemeStore(database.jdbi()),
              blobs,
              config.tmpDir().resolve("uploads"),
              new BuiltInBackgrounds(),
              // Rooms are the server's business; the CLI sets organization defaults only.
              roomName -> Optional.empty(),
              Clock.systemUTC());
    }
    return themes;
  }

  @Override
  public void close() {
    if (writer != null) {
      writer.close();
    }
    if (blobs != null) {
      blobs.close();
    }
    database.close();
  }
}
