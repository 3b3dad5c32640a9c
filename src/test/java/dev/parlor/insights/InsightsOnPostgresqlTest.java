package dev.parlor.insights;

import dev.parlor.testing.TestDatabases;
import org.junit.jupiter.api.Nested;

/**
 * The insights HTTP tests again with the whole server on PostgreSQL (skipped unless {@code
 * PARLOR_TEST_DATABASE_URL} is set): the same answers as on the embedded SQLite.
 */
class InsightsOnPostgresqlTest {

  @Nested
  class SessionRules extends SessionRulesTest {
    @Override
    String newDatabaseUrl() {
      return TestDatabases.postgresUrl();
    }
  }

  @Nested
  class Listings extends InsightsListingTest {
    @Override
    String newDatabaseUrl() {
      return TestDatabases.postgresUrl();
    }
  }

  @Nested
  class History extends InsightsHistoryTest {
    @Override
    String newDatabaseUrl() {
      return TestDatabases.postgresUrl();
    }
  }

  @Nested
  class ParticipantDetail extends ParticipantDetailTest {
    @Override
    String newDatabaseUrl() {
      return TestDatabases.postgresUrl();
    }
  }

  @Nested
  class Recomputation extends AggregatesMatchRecomputationTest {
    @Override
    String newDatabaseUrl() {
      return TestDatabases.postgresUrl();
    }
  }
}
