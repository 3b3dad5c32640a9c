package dev.parlor.meetings;

import dev.parlor.db.Database;
import dev.parlor.db.WriteBatcher;
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

  /** The cache the server puts in front of embedded SQLite must keep the same contract. */
  @Nested
  class CachedOnSqlite extends MeetingStoreContract {
    @Override
    protected String newDatabaseUrl() {
      return TestDatabases.sqliteUrl();
    }

    @Override
    protected MeetingStore createStore(Database database, WriteBatcher batcher) {
      return new CachingMeetingStore(new SqlMeetingStore(database.jdbi(), batcher), 8);
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
