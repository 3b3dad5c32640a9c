package dev.parlor.testing;

import dev.parlor.db.Database;
import dev.parlor.db.IdAllocator;
import dev.parlor.orgs.OrganizationService;
import dev.parlor.orgs.Plan;
import dev.parlor.orgs.SqlOrganizationStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;

/**
 * The SQLite database in a data directory, opened inside the test JVM beside a server process, as
 * the CLI opens it: for setting up and checking organizations and keys without starting a JVM.
 */
public final class AdminDatabase implements AutoCloseable {
  private final Database database;
  private final OrganizationService organizations;

  private AdminDatabase(Database database) {
    this.database = database;
    this.organizations =
        new OrganizationService(
            new SqlOrganizationStore(database.jdbi()),
            new IdAllocator(database.jdbi(), 1),
            Clock.systemUTC());
  }

  public static AdminDatabase open(Path dataDir) {
    String url = "jdbc:sqlite:" + dataDir.resolve("parlor.db").toAbsolutePath().normalize();
    return new AdminDatabase(Database.open(url, 2));
  }

  public OrganizationService organizations() {
    return organizations;
  }

  /** A new organization with a unique name on {@code plan}, with its first key. */
  public OrganizationService.Created newOrganization(String plan) {
    return organizations.create("org-" + UUID.randomUUID(), Plan.parse(plan));
  }

  @Override
  public void close() {
    database.close();
  }
}
