package dev.parlor.insights;

import dev.parlor.testing.TestDatabases;
import org.junit.jupiter.api.Nested;

/** {@link InsightsStoreContract} against SQLite and, when configured, PostgreSQL. */
class SqlInsightsStoreTest {

  @Nested
  class OnSqlite extends InsightsStoreContract {
    @Override
    protected String newDatabaseUrl() {
      return TestDatabases.sqliteUrl();
    }
  }

  @Nested
  class OnPostgresql extends InsightsStoreContract {
    @Override
    protected String newDatabaseUrl() {
      return TestDatabases.postgresUrl();
    }
  }
}
