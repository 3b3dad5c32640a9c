package dev.parlor.cli;

import dev.parlor.config.AppConfig;
import dev.parlor.db.Database;
import dev.parlor.db.IdAllocator;
import dev.parlor.orgs.OrganizationService;
import dev.parlor.orgs.SqlOrganizationStore;
import java.time.Clock;

/**
 * What the admin commands need: the database a running server uses and the organization service
 * over it, without starting a server.
 */
final class AdminContext implements AutoCloseable {
  final Database database;
  final OrganizationService organizations;

  private AdminContext(Database database, OrganizationService organizations) {
    this.database = database;
    this.organizations = organizations;
  }

  static AdminContext open() {
    AppConfig config = AppConfig.fromEnvironment();
    Database db = Database.open(config.effectiveDatabaseUrl(), 2);
    OrganizationService orgs =
        new OrganizationService(
            new SqlOrganizationStore(db.jdbi()), new IdAllocator(db.jdbi(), 1), Clock.systemUTC());
    return new AdminContext(db, orgs);
  }

  @Override
  public void close() {
    database.close();
  }
}
