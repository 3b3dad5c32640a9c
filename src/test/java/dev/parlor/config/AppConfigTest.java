package dev.parlor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppConfigTest {

  @TempDir Path tmp;

  @Test
  void withNothingSetEveryValueIsTheDefaultTheSettingEnumDocuments() {
    AppConfig c = AppConfig.from(Map.of());
    for (Setting s : Setting.values()) {
      String d = s.defaultValue();
      // A switch expression: a new Setting does not compile until this test covers it.
      Object expected =
          switch (s) {
            case HOST -> check(c.host(), d);
            case PORT -> check(c.port(), Integer.parseInt(d));
            case DATA_DIR -> check(c.dataDir(), Path.of(d));
            case DATABASE_URL -> {
              assertThat(c.databaseUrl()).isEmpty();
              Path dbFile = c.dataDir().resolve("parlor.db").toAbsolutePath().normalize();
              yield check(
                  c.effectiveDatabaseUrl(), d.replace("<data dir>/parlor.db", dbFile.toString()));
            }
            case DATABASE_POOL_SIZE -> check(c.databasePoolSize(), Integer.parseInt(d));
            case PUBLIC_URL -> {
              assertThat(c.publicUrl()).isEmpty();
              yield check(c.effectivePublicUrl(4321), d.replace("<port>", "4321"));
            }
            case API_KEY -> check(c.apiKey(), Optional.empty());
            case SECRET -> check(c.secret(), Optional.empty());
            case MEETING_GRACE -> check(c.meetingGrace(), Duration.parse(d));
            case SWEEP_INTERVAL -> check(c.sweepInterval(), Duration.parse(d));
            case TRUSTED_PROXIES -> check(c.trustedProxies(), List.of());
            case AUTH_FAILURE_LIMIT -> check(c.authFailureLimit(), Integer.parseInt(d));
            case PUBLIC_RATE_LIMIT -> check(c.publicRateLimit(), Integer.parseInt(d));
            case ACCESS_LOG -> check(c.accessLog(), Boolean.parseBoolean(d));
            case SESSION_IDLE -> check(c.sessionIdle(), Duration.ofSeconds(60));
            case INSIGHTS_RETENTION -> check(c.insightsRetention(), Duration.ofDays(90));
            case ICE_SERVERS -> check(c.iceServersJson(), "[]");
            case TLS_CERT -> check(c.tlsCert(), Optional.empty());
            case TLS_KEY -> check(c.tlsKey(), Optional.empty());
            case EMBED_ORIGINS -> check(c.embedOrigins(), List.of(d));
            case BLOB_STORE -> check(c.blobStore().name().toLowerCase(java.util.Locale.ROOT), d);
            case S3_ENDPOINT -> check(c.s3().endpoint(), Optional.empty());
            case S3_REGION -> check(c.s3().region(), d);
            case S3_BUCKET -> check(c.s3().bucket(), Optional.empty());
            case S3_ACCESS_KEY_ID -> check(c.s3().accessKeyId(), Optional.empty());
            case S3_SECRET_ACCESS_KEY -> check(c.s3().secretAccessKey(), Optional.empty());
            case S3_PATH_STYLE -> check(c.s3().pathStyle(), Boolean.parseBoolean(d));
            case RECORDING_RETENTION -> {
              assertThat(d).isEqualTo("keep");
              yield check(c.recordingRetention(), Optional.empty());
            }
            case WEBHOOK_ALLOW_PRIVATE -> check(c.webhooks().allowPrivate(), false);
            case WEBHOOK_MAX_ATTEMPTS -> check(c.webhooks().maxAttempts(), Integer.parseInt(d));
            case WEBHOOK_RETRY_BASE -> check(c.webhooks().retryBase(), Duration.parse(d));
            case WEBHOOK_TIMEOUT -> check(c.webhooks().timeout(), Duration.parse(d));
            case WEBHOOK_CONCURRENCY ->
                check(c.webhooks().concurrencyPerEndpoint(), Integer.parseInt(d));
            case CONFIG_FILE -> "no value of its own";
          };
      assertThat(expected).as(s.key()).isNotNull();
    }
  }

  private static Object check(Object actual, Object expected) {
    assertThat(actual).isEqualTo(expected);
    return actual;
  }

  @Test
  void recordingRetentionIsKeepOrAPositiveDurationAndAnythingElseNamesTheKey() {
    assertThat(AppConfig.from(Map.of("PARLOR_RECORDING_RETENTION", "KEEP")).recordingRetention())
        .isEmpty();
    assertThat(AppConfig.from(Map.of("PARLOR_RECORDING_RETENTION", "P30D")).recordingRetention())
        .contains(Duration.ofDays(30));
    assertThat(AppConfig.from(Map.of("PARLOR_RECORDING_RETENTION", "3600")).recordingRetention())
        .contains(Duration.ofHours(1));
    for (String bad : List.of("forever", "PT0S", "0")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> AppConfig.from(Map.of("PARLOR_RECORDING_RETENTION", bad)))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("PARLOR_RECORDING_RETENTION");
    }
  }

  @Test
  void theDocumentedDefaultsAreTheOnesTheIssueAsksFor() {
    assertThat(Setting.HOST.defaultValue()).isEqualTo("0.0.0.0");
    assertThat(Setting.PORT.defaultValue()).isEqualTo("8080");
    assertThat(Setting.DATA_DIR.defaultValue()).isEqualTo("./data");
    assertThat(AppConfig.from(Map.of()).meetingGrace()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void everyKeyStartsWithParlorAndIsDocumented() {
    assertThat(Setting.values())
        .allSatisfy(
            s -> {
              assertThat(s.key()).matches("PARLOR_[A-Z0-9_]+");
              assertThat(s.description()).isNotBlank();
              assertThat(s.defaultValue()).isNotBlank();
            });
  }

  @Test
  void valuesFromTheEnvironmentAreUsed() {
    AppConfig c =
        AppConfig.from(
            Map.of(
                "PARLOR_HOST", "127.0.0.1",
                "PARLOR_PORT", "0",
                "PARLOR_DATA_DIR", "/var/lib/parlor",
                "PARLOR_PUBLIC_URL", "https://meet.example.com/",
                "PARLOR_API_KEY", "0123456789abcdef",
                "PARLOR_MEETING_GRACE", "5",
                "PARLOR_SWEEP_INTERVAL", "PT0.5S",
                "PARLOR_TRUSTED_PROXIES", " 10.0.0.1 , 192.168.0.0/16,",
                "PARLOR_ACCESS_LOG", "off"));
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isZero();
    assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/parlor"));
    assertThat(c.effectiveDatabaseUrl()).isEqualTo("jdbc:sqlite:/var/lib/parlor/parlor.db");
    assertThat(c.effectivePublicUrl(1)).isEqualTo("https://meet.example.com");
    assertThat(c.apiKey()).contains("0123456789abcdef");
    assertThat(c.meetingGrace()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.sweepInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.trustedProxies()).containsExactly("10.0.0.1", "192.168.0.0/16");
    assertThat(c.accessLog()).isFalse();
  }

  @Test
  void theSessionIdleTimeAndTheInsightsRetentionAreReadAndMustBePositive() {
    AppConfig c =
        AppConfig.from(Map.of("PARLOR_SESSION_IDLE", "90", "PARLOR_INSIGHTS_RETENTION", "P30D"));
    assertThat(c.sessionIdle()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.insightsRetention()).isEqualTo(Duration.ofDays(30));
    for (String key : List.of("PARLOR_SESSION_IDLE", "PARLOR_INSIGHTS_RETENTION")) {
      for (String bad : List.of("0", "PT0S", "-PT1M", "later")) {
        assertThatThrownBy(() -> AppConfig.from(Map.of(key, bad)))
            .as(key + "=" + bad)
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining(key);
      }
    }
  }

  @Test
  void theS3SettingsAreReadAndABlobStoreOfS3NeedsABucket() {
    AppConfig c =
        AppConfig.from(
            Map.of(
                "PARLOR_BLOB_STORE", "S3",
                "PARLOR_S3_ENDPOINT", "http://127.0.0.1:9000",
                "PARLOR_S3_REGION", "eu-west-1",
                "PARLOR_S3_BUCKET", "parlor",
                "PARLOR_S3_ACCESS_KEY_ID", "id",
                "PARLOR_S3_SECRET_ACCESS_KEY", "secret",
                "PARLOR_S3_PATH_STYLE", "false"));
    assertThat(c.blobStore()).isEqualTo(AppConfig.BlobStoreKind.S3);
    assertThat(c.s3().endpoint()).contains(java.net.URI.create("http://127.0.0.1:9000"));
    assertThat(c.s3().region()).isEqualTo("eu-west-1");
    assertThat(c.s3().bucket()).contains("parlor");
    assertThat(c.s3().accessKeyId()).contains("id");
    assertThat(c.s3().secretAccessKey()).contains("secret");
    assertThat(c.s3().pathStyle()).isFalse();

    assertThatThrownBy(() -> AppConfig.from(Map.of("PARLOR_BLOB_STORE", "s3")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("PARLOR_S3_BUCKET must be set when PARLOR_BLOB_STORE=s3");
    assertThatThrownBy(() -> AppConfig.from(Map.of("PARLOR_BLOB_STORE", "tape")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("PARLOR_BLOB_STORE must be fs or s3, got 'tape'");
    assertThatThrownBy(() -> AppConfig.from(Map.of("PARLOR_S3_ENDPOINT", "ftp://x")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PARLOR_S3_ENDPOINT must be an http or https URL");
    assertThatThrownBy(() -> AppConfig.from(Map.of("PARLOR_S3_ACCESS_KEY_ID", "only-the-id")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("PARLOR_S3_ACCESS_KEY_ID and PARLOR_S3_SECRET_ACCESS_KEY must be set together");
  }

  @Test
  void bothWaysOfWritingADurationGiveTheSameValue() {
    assertThat(AppConfig.from(Map.of("PARLOR_MEETING_GRACE", "PT5S")).meetingGrace())
        .isEqualTo(AppConfig.from(Map.of("PARLOR_MEETING_GRACE", "5")).meetingGrace())
        .isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aBlankValueMeansTheDefault() {
    AppConfig c = AppConfig.from(Map.of("PARLOR_PORT", "  ", "PARLOR_API_KEY", ""));
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.apiKey()).isEmpty();
  }

  @Test
  void variablesWithoutTheParlorPrefixAreIgnored() {
    AppConfig c = AppConfig.from(Map.of("PORT", "1234", "HOST", "example.com"));
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.host()).isEqualTo("0.0.0.0");
  }

  @Test
  void aConfigFileIsReadAndTheEnvironmentWinsOverIt() throws IOException {
    Path file = tmp.resolve("parlor.properties");
    Files.writeString(
        file,
        """
        # a comment
        PARLOR_PORT=9090
        PARLOR_HOST = 10.1.2.3
        PARLOR_MEETING_GRACE=PT10M
        PARLOR_PUBLIC_URL=https://from-file.example
        """);
    Map<String, String> env = new HashMap<>();
    env.put("PARLOR_CONFIG_FILE", file.toString());
    env.put("PARLOR_PORT", "7070");
    env.put("PARLOR_MEETING_GRACE", "30");
    AppConfig c = AppConfig.from(env);
    assertThat(c.port()).as("environment wins").isEqualTo(7070);
    assertThat(c.meetingGrace()).as("environment wins").isEqualTo(Duration.ofSeconds(30));
    assertThat(c.host()).as("from the file").isEqualTo("10.1.2.3");
    assertThat(c.publicUrl()).as("from the file").contains("https://from-file.example");
    assertThat(c.dataDir()).as("default").isEqualTo(Path.of("./data"));
  }

  @Test
  void aBadValueInTheConfigFileIsReportedByItsKey() throws IOException {
    Path file = tmp.resolve("bad.properties");
    Files.writeString(file, "PARLOR_SWEEP_INTERVAL=soon\n");
    assertThatThrownBy(() -> AppConfig.from(Map.of("PARLOR_CONFIG_FILE", file.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PARLOR_SWEEP_INTERVAL")
        .hasMessageContaining("'soon'");
  }

  @Test
  void aMissingConfigFileIsAnErrorNamingTheVariable() {
    Path missing = tmp.resolve("nope.properties");
    assertThatThrownBy(() -> AppConfig.from(Map.of("PARLOR_CONFIG_FILE", missing.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PARLOR_CONFIG_FILE")
        .hasMessageContaining(missing.toString());
  }

  @Test
  void badValuesAreRefusedWithAMessageNamingTheKey() {
    Map<String, String> bad =
        Map.of(
            "PARLOR_PORT", "abc",
            "PARLOR_DATABASE_POOL_SIZE", "1",
            "PARLOR_MEETING_GRACE", "xyz",
            "PARLOR_SWEEP_INTERVAL", "0",
            "PARLOR_AUTH_FAILURE_LIMIT", "5",
            "PARLOR_ACCESS_LOG", "maybe",
            "PARLOR_DATABASE_URL", "jdbc:mysql://localhost/db",
            "PARLOR_SECRET", "too short");
    bad.forEach(
        (key, value) ->
            assertThatThrownBy(() -> AppConfig.from(Map.of(key, value)))
                .as(key + "=" + value)
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(key + " "));
    assertThatThrownBy(() -> AppConfig.from(Map.of("PARLOR_PORT", "65536")))
        .hasMessageContaining("PARLOR_PORT");
  }

  @Test
  void aMeetingGraceMayBeZeroButNotNegative() {
    assertThat(AppConfig.from(Map.of("PARLOR_MEETING_GRACE", "0")).meetingGrace()).isZero();
    assertThatThrownBy(() -> AppConfig.from(Map.of("PARLOR_MEETING_GRACE", "PT-5S")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("PARLOR_MEETING_GRACE ");
  }

  @Test
  void anApiKeyShorterThanSixteenCharactersIsRefusedNamingTheVariable() {
    assertThatThrownBy(() -> AppConfig.from(Map.of("PARLOR_API_KEY", "fifteen-chars!!")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PARLOR_API_KEY")
        .hasMessageContaining("16");
    assertThat(AppConfig.from(Map.of("PARLOR_API_KEY", "sixteen-chars!!!")).apiKey())
        .contains("sixteen-chars!!!");
  }

  @Test
  void aPostgresqlUrlIsUsedAsGiven() {
    String url = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    AppConfig c = AppConfig.from(Map.of("PARLOR_DATABASE_URL", url));
    assertThat(c.effectiveDatabaseUrl()).isEqualTo(url);
  }
}
