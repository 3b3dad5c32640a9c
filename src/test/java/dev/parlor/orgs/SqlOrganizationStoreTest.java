package dev.parlor.orgs;

import dev.parlor.testing.TestDatabases;
import org.junit.jupiter.api.Nested;

/** {@link OrganizationStoreContract} against SQLite and, when configured, PostgreSQL. */
class SqlOrganizationStoreTest {

  @Nested
  class OnSqlite extends OrganizationStoreContract {
    @Override
    protected String newDatabaseUrl() {
      return TestDatabases.sqliteUrl();
    }
  }

  @Nested
  class OnPostgresql extends OrganizationStoreContract {
    @Override
    protected String newDatabaseUrl() {
      return TestDatabases.postgresUrl();
    }
  }
}
