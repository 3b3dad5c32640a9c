package dev.parlor.recordings;

import dev.parlor.testing.TestDatabases;
import org.junit.jupiter.api.Nested;

/** {@link RecordingStoreContract} against SQLite and, when configured, PostgreSQL. */
class SqlRecordingStoreTest {

  @Nested
  class OnSqlite extends RecordingStoreContract {
    @Override
    protected String newDatabaseUrl() {
      return TestDatabases.sqliteUrl();
    }
  }

  @Nested
  class OnPostgresql extends RecordingStoreContract {
    @Override
    protected String newDatabaseUrl() {
      return TestDatabases.postgresUrl();
    }
  }
}
