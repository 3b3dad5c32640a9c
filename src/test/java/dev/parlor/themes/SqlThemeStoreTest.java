package dev.parlor.themes;

import dev.parlor.testing.TestDatabases;
import org.junit.jupiter.api.Nested;

/** {@link ThemeStoreContract} against SQLite and, when configured, PostgreSQL. */
class SqlThemeStoreTest {

  @Nested
  class OnSqlite extends ThemeStoreContract {
    @Override
    protected String newDatabaseUrl() {
      return TestDatabases.sqliteUrl();
    }
  }

  @Nested
  class OnPostgresql extends ThemeStoreContract {
    @Override
    protected String newDatabaseUrl() {
      return TestDatabases.postgresUrl();
    }
  }
}
