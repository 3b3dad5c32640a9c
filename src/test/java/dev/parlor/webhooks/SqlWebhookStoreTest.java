package dev.parlor.webhooks;

import dev.parlor.testing.TestDatabases;
import org.junit.jupiter.api.Nested;

/** {@link WebhookStoreContract} against SQLite and, when configured, PostgreSQL. */
class SqlWebhookStoreTest {

  @Nested
  class OnSqlite extends WebhookStoreContract {
    @Override
    protected String newDatabaseUrl() {
      return TestDatabases.sqliteUrl();
    }
  }

  @Nested
  class OnPostgresql extends WebhookStoreContract {
    @Override
    protected String newDatabaseUrl() {
      return TestDatabases.postgresUrl();
    }
  }
}
