package dev.parlor.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Parlor's whole configuration, read once at start-up. Keys and defaults are listed in {@link
 * Setting}.
 */
public record AppConfig(
    String host,
    int port,
    Path dataDir,
    Optional<String> databaseUrl,
    int databasePoolSize,
    Optional<String> publicUrl,
    Optional<String> apiKey,
    Optional<String> secret,
    Duration meetingGrace,
    Duration sweepInterval,
    List<String> trustedProxies,
    int authFailureLimit,
    int publicRateLimit,
    boolean accessLog,
    String iceServersJson,
    Optional<Path> tlsCert,
    Optional<Path> tlsKey,
    List<String> embedOrigins,
    BlobStoreKind blobStore,
    S3 s3,
    Optional<Duration> recordingRetention,
    Duration sessionIdle,
    Duration insightsRetention,
    Webhooks webhooks) {

  /** How webhooks are delivered. */
  public record Webhooks(
      boolean allowPrivate,
      int maxAttempts,
      Duration retryBase,
      Duration timeout,
      int concurrencyPerEndpoint) {}

  /** Where blobs (uploaded images) are kept. */
  public enum BlobStoreKind {
    FS,
    S3
  }

  /** The S3 settings; read and checked only when {@code PARLOR_BLOB_STORE=s3}. */
  public record S3(
      Optional<URI> endpoint,
      String region,
      Optional<String> bucket,
      Optional<String> accessKeyId,
      Optional<String> secretAccessKey,
      boolean pathStyle) {}

  public static AppConfig fromEnvironment() {
    return from(System.getenv());
  }

  /** Reads the configuration from a map of variables (the environment, or a test's map). */
  public static AppConfig from(Map<String, String> env) {
    Map<String, String> values = new HashMap<>();
    String file = env.get(Setting.CONFIG_FILE.key());
    if (file != null && !file.isBlank()) {
      values.putAll(readProperties(Path.of(file)));
    }
    env.forEach(
        (k, v) -> {
          if (k.startsWith("PARLOR_")) {
            values.put(k, v);
          }
        });
    return new Reader(values).config();
  }

  /** The database URL in force: the configured one, or SQLite inside the data directory. */
  public String effectiveDatabaseUrl() {
    return databaseUrl.orElseGet(
        () -> "jdbc:sqlite:" + dataDir.resolve("parlor.db").toAbsolutePath().normalize());
  }

  /** The public base URL for room links, without a trailing slash. */
  public String effectivePublicUrl(int boundPort) {
    String scheme = tlsCert.isPresent() ? "https" : "http";
    String base = publicUrl.orElse(scheme + "://localhost:" + boundPort);
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  public AppConfig withPort(int newPort) {
    return new AppConfig(
        host,
        newPort,
        dataDir,
        databaseUrl,
        databasePoolSize,
        publicUrl,
        apiKey,
        secret,
        meetingGrace,
        sweepInterval,
        trustedProxies,
        authFailureLimit,
        publicRateLimit,
        accessLog,
        iceServersJson,
        tlsCert,
        tlsKey,
        embedOrigins,
        blobStore,
        s3,
        recordingRetention,
        sessionIdle,
        insightsRetention,
        webhooks);
  }

  /** Where the file-system blob store keeps its files. */
  public Path blobsDir() {
    return dataDir.resolve("blobs").toAbsolutePath().normalize();
  }

  /** Scratch space for uploads in progress, inside the data directory. */
  public Path tmpDir() {
    return dataDir.resolve("tmp").toAbsolutePath().normalize();
  }

  private static Map<String, String> readProperties(Path path) {
    Properties p = new Properties();
    try (java.io.Reader r = Files.newBufferedReader(path)) {
      p.load(r);
    } catch (IOException e) {
      throw new ConfigException(
          Setting.CONFIG_FILE.key() + ": cannot read " + path + ": " + e.getMessage());
    }
    Map<String, String> out = new HashMap<>();
    p.stringPropertyNames().forEach(n -> out.put(n, p.getProperty(n)));
    return out;
  }

  private record Reader(Map<String, String> values) {
    Optional<String> get(Setting s) {
      String v = values.get(s.key());
      return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    String getOr(Setting s) {
      return get(s).orElse(s.defaultValue());
    }

    int integer(Setting s, int min, int max) {
      String v = getOr(s);
      try {
        int n = Integer.parseInt(v);
        if (n < min || n > max) {
          throw new NumberFormatException();
        }
        return n;
      } catch (NumberFormatException e) {
        throw new ConfigException(
            s.key() + " must be a whole number from " + min + " to " + max + ", got '" + v + "'");
      }
    }

    boolean bool(Setting s) {
      String v = getOr(s).toLowerCase(java.util.Locale.ROOT);
      return switch (v) {
        case "true", "1", "yes", "on" -> true;
        case "false", "0", "no", "off" -> false;
        default -> throw new ConfigException(s.key() + " must be true or false, got '" + v + "'");
      };
    }

    AppConfig config() {
      Optional<String> apiKey = get(Setting.API_KEY);
      if (apiKey.isPresent() && apiKey.get().length() < 16) {
        throw new ConfigException(Setting.API_KEY.key() + " must be at least 16 characters long");
      }
      Optional<String> secret = get(Setting.SECRET);
      if (secret.isPresent() && secret.get().length() < 32) {
        throw new ConfigException(Setting.SECRET.key() + " must be at least 32 characters long");
      }
      Optional<String> dbUrl = get(Setting.DATABASE_URL);
      if (dbUrl.isPresent()
          && !dbUrl.get().startsWith("jdbc:sqlite:")
          && !dbUrl.get().startsWith("jdbc:postgresql:")) {
        throw new ConfigException(
            Setting.DATABASE_URL.key() + " must start with jdbc:sqlite: or jdbc:postgresql:");
      }
      Duration grace = Durations.parse(Setting.MEETING_GRACE.key(), getOr(Setting.MEETING_GRACE));
      if (grace.isNegative()) {
        throw new ConfigException(Setting.MEETING_GRACE.key() + " must not be negative");
      }
      Duration sweep = Durations.parse(Setting.SWEEP_INTERVAL.key(), getOr(Setting.SWEEP_INTERVAL));
      if (sweep.isZero() || sweep.isNegative()) {
        throw new ConfigException(Setting.SWEEP_INTERVAL.key() + " must be positive");
      }
      Duration idle = positive(Setting.SESSION_IDLE);
      Duration insightsRetention = positive(Setting.INSIGHTS_RETENTION);
      List<String> proxies =
          get(Setting.TRUSTED_PROXIES).stream()
              .flatMap(v -> java.util.Arrays.stream(v.split(",")))
              .map(String::trim)
              .filter(x -> !x.isEmpty())
              .toList();
      String ice = get(Setting.ICE_SERVERS).orElse("[]");
      try {
        com.fasterxml.jackson.databind.JsonNode n =
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(ice);
        if (n == null || !n.isArray()) {
          throw new ConfigException(Setting.ICE_SERVERS.key() + " must be a JSON array");
        }
        for (com.fasterxml.jackson.databind.JsonNode server : n) {
          if (!server.isObject() || !server.has("urls")) {
            throw new ConfigException(
                Setting.ICE_SERVERS.key() + ": every ICE server must be an object with \"urls\"");
          }
        }
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new ConfigException(Setting.ICE_SERVERS.key() + " is not valid JSON");
      }
      Optional<Path> cert = get(Setting.TLS_CERT).map(Path::of);
      Optional<Path> key = get(Setting.TLS_KEY).map(Path::of);
      if (cert.isPresent() != key.isPresent()) {
        throw new ConfigException(
            Setting.TLS_CERT.key() + " and " + Setting.TLS_KEY.key() + " must be set together");
      }
      for (Optional<Path> f : List.of(cert, key)) {
        if (f.isPresent() && !Files.isReadable(f.get())) {
          throw new ConfigException("cannot read TLS file " + f.get());
        }
      }
      List<String> origins =
          java.util.Arrays.stream(getOr(Setting.EMBED_ORIGINS).split(","))
              .map(String::trim)
              .filter(x -> !x.isEmpty())
              .toList();
      for (String o : origins) {
        if (!o.equals("*") && !o.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
          throw new ConfigException(
              Setting.EMBED_ORIGINS.key()
                  + ": '"
                  + o
                  + "' is not an origin like https://app.example.com");
        }
      }
      BlobStoreKind blobs =
          switch (getOr(Setting.BLOB_STORE).toLowerCase(java.util.Locale.ROOT)) {
            case "fs" -> BlobStoreKind.FS;
            case "s3" -> BlobStoreKind.S3;
            default ->
                throw new ConfigException(
                    Setting.BLOB_STORE.key()
                        + " must be fs or s3, got '"
                        + getOr(Setting.BLOB_STORE)
                        + "'");
          };
      S3 s3 = s3(blobs == BlobStoreKind.S3);
      Optional<Duration> retention = Optional.empty();
      String keep = getOr(Setting.RECORDING_RETENTION);
      if (!keep.equalsIgnoreCase("keep")) {
        Duration d = Durations.parse(Setting.RECORDING_RETENTION.key(), keep);
        if (d.isZero() || d.isNegative()) {
          throw new ConfigException(
              Setting.RECORDING_RETENTION.key() + " must be keep or a positive duration");
        }
        retention = Optional.of(d);
      }
      return new AppConfig(
          getOr(Setting.HOST),
          integer(Setting.PORT, 0, 65535),
          Path.of(getOr(Setting.DATA_DIR)),
          dbUrl,
          integer(Setting.DATABASE_POOL_SIZE, 2, 200),
          get(Setting.PUBLIC_URL),
          apiKey,
          secret,
          grace,
          sweep,
          proxies,
          integer(Setting.AUTH_FAILURE_LIMIT, 30, 1_000_000),
          integer(Setting.PUBLIC_RATE_LIMIT, 60, 100_000_000),
          bool(Setting.ACCESS_LOG),
          ice,
          cert,
          key,
          origins.isEmpty() ? List.of("*") : origins,
          blobs,
          s3,
          retention,
          idle,
          insightsRetention,
          new Webhooks(
              bool(Setting.WEBHOOK_ALLOW_PRIVATE),
              integer(Setting.WEBHOOK_MAX_ATTEMPTS, 1, 100),
              positive(Setting.WEBHOOK_RETRY_BASE),
              positive(Setting.WEBHOOK_TIMEOUT),
              integer(Setting.WEBHOOK_CONCURRENCY, 1, 1000)));
    }

    private S3 s3(boolean used) {
      Optional<URI> endpoint = Optional.empty();
      Optional<String> url = get(Setting.S3_ENDPOINT);
      if (url.isPresent()) {
        try {
          URI u = new URI(url.get());
          if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())
              || u.getHost() == null) {
            throw new URISyntaxException(url.get(), "not an http or https URL");
          }
          endpoint = Optional.of(u);
        } catch (URISyntaxException e) {
          throw new ConfigException(
              Setting.S3_ENDPOINT.key() + " must be an http or https URL, got '" + url.get() + "'");
        }
      }
      Optional<String> bucket = get(Setting.S3_BUCKET);
      Optional<String> keyId = get(Setting.S3_ACCESS_KEY_ID);
      Optional<String> secret = get(Setting.S3_SECRET_ACCESS_KEY);
      if (used && bucket.isEmpty()) {
        throw new ConfigException(
            Setting.S3_BUCKET.key() + " must be set when " + Setting.BLOB_STORE.key() + "=s3");
      }
      if (keyId.isPresent() != secret.isPresent()) {
        throw new ConfigException(
            Setting.S3_ACCESS_KEY_ID.key()
                + " and "
                + Setting.S3_SECRET_ACCESS_KEY.key()
                + " must be set together");
      }
      return new S3(
          endpoint, getOr(Setting.S3_REGION), bucket, keyId, secret, bool(Setting.S3_PATH_STYLE));
    }

    Duration positive(Setting s) {
      Duration d = Durations.parse(s.key(), getOr(s));
      if (d.isZero() || d.isNegative()) {
        throw new ConfigException(s.key() + " must be positive");
      }
      return d;
    }
  }
}
