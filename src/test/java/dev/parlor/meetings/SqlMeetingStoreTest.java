package dev.parlor.meetings;

import dev.parlor.testing.TestDatabases;
import org.junit.jupiter.api.Nested;

/** {@link MeetingStoreContract} against SQLite and, when configured, PostgreSQL. */
class SqlMeetingStoreTest {

  @Nested
  class OnSqlite extends MeetingStoreContract {
    @Override
    protected String newDatabaseUrl() {
      return TestDatabases.sqliteUrl();
    }
  }

  @Nested
  class OnPostgresql extends MeetingStoreContract {
    @Override
    protected String newDatabaseUrl() {
      return TestDatabases.postgresUrl();
    }
  }
}
