package dev.parlor.config;

/**
 * Every configuration key Parlor reads, with its default and meaning. This enum is the one place
 * the keys are listed; the README's configuration table is checked against it by a test.
 */
public enum Setting {
  HOST("PARLOR_HOST", "0.0.0.0", "Address the HTTP server binds to."),
  PORT("PARLOR_PORT", "8080", "HTTP port (0 picks a free port)."),
  DATA_DIR(
      "PARLOR_DATA_DIR",
      "./data",
      "Directory for the SQLite database, the generated secret and blobs."),
  DATABASE_URL(
      "PARLOR_DATABASE_URL",
      "jdbc:sqlite:<data dir>/parlor.db",
      "JDBC URL: SQLite (embedded default) or `jdbc:postgresql://host:5432/db?user=..&password=..`."),
  DATABASE_POOL_SIZE("PARLOR_DATABASE_POOL_SIZE", "8", "Maximum JDBC connections in the pool."),
  PUBLIC_URL(
      "PARLOR_PUBLIC_URL",
      "http://localhost:<port>",
      "Base of every room URL (`roomUrl` = public URL + room name); `https` when TLS is on."),
  API_KEY(
      "PARLOR_API_KEY",
      "(unset)",
      "When set (at least 16 characters), a valid key of the `default` organization on every start."),
  SECRET(
      "PARLOR_SECRET",
      "(generated into <data dir>/secret)",
      "Signing key for room keys, cursors and links. At least 32 characters when set."),
  MEETING_GRACE(
      "PARLOR_MEETING_GRACE", "PT1H", "How long a meeting stays live after its `endDate`."),
  SWEEP_INTERVAL(
      "PARLOR_SWEEP_INTERVAL",
      "PT1M",
      "How often expired meetings (and, with a retention, old recordings) are deleted from storage."),
  TRUSTED_PROXIES(
      "PARLOR_TRUSTED_PROXIES",
      "(none)",
      "Comma-separated IPs or CIDRs whose `X-Forwarded-For` header is believed."),
  AUTH_FAILURE_LIMIT(
      "PARLOR_AUTH_FAILURE_LIMIT",
      "60",
      "Failed authentications allowed per client address per minute before `429`."),
  PUBLIC_RATE_LIMIT(
      "PARLOR_PUBLIC_RATE_LIMIT",
      "1200",
      "Requests per client address per minute to what needs no API key (room pages, public"
          + " themes, recording files) before `429`; health checks and metrics are exempt."),
  SESSION_IDLE(
      "PARLOR_SESSION_IDLE",
      "PT1M",
      "How long a room may hold fewer than two participants before its insights session ends."),
  INSIGHTS_RETENTION(
      "PARLOR_INSIGHTS_RETENTION",
      "P90D",
      "How long a room's insights are kept after its meeting is deleted or expires."),
  ACCESS_LOG("PARLOR_ACCESS_LOG", "true", "Write one access log line per request (to stderr)."),
  ICE_SERVERS(
      "PARLOR_ICE_SERVERS",
      "(none)",
      "JSON array of WebRTC ICE servers given to room pages, e.g."
          + " `[{\"urls\":\"turn:turn.example.com:3478\",\"username\":\"u\",\"credential\":\"p\"}]`."),
  TLS_CERT(
      "PARLOR_TLS_CERT",
      "(unset)",
      "PEM certificate chain file; with `PARLOR_TLS_KEY`, Parlor serves HTTPS (and WSS)."),
  TLS_KEY("PARLOR_TLS_KEY", "(unset)", "PEM private key file (PKCS#8) for `PARLOR_TLS_CERT`."),
  EMBED_ORIGINS(
      "PARLOR_EMBED_ORIGINS",
      "*",
      "Comma-separated origins allowed to embed room pages in an iframe and to send them commands"
          + " (`frame-ancestors`); `*` allows any."),
  BLOB_STORE(
      "PARLOR_BLOB_STORE",
      "fs",
      "Where uploaded images are kept: `fs` (files under `<data dir>/blobs`) or `s3` (a bucket"
          + " of any S3-compatible server)."),
  S3_ENDPOINT(
      "PARLOR_S3_ENDPOINT",
      "(AWS)",
      "With `s3`: the server's URL, e.g. `http://127.0.0.1:9000` for MinIO; unset means AWS S3."),
  S3_REGION("PARLOR_S3_REGION", "us-east-1", "With `s3`: the bucket's region."),
  S3_BUCKET(
      "PARLOR_S3_BUCKET",
      "(required with s3)",
      "With `s3`: the bucket (it must exist; checked on start)."),
  S3_ACCESS_KEY_ID(
      "PARLOR_S3_ACCESS_KEY_ID",
      "(AWS default chain)",
      "With `s3`: access key id; unset means the AWS default credentials (environment, profile,"
          + " role)."),
  S3_SECRET_ACCESS_KEY(
      "PARLOR_S3_SECRET_ACCESS_KEY",
      "(AWS default chain)",
      "With `s3`: the secret of that access key."),
  S3_PATH_STYLE(
      "PARLOR_S3_PATH_STYLE",
      "true",
      "With `s3`: path-style URLs (`<endpoint>/<bucket>/<key>`), which MinIO and most"
          + " S3-compatible servers need; `false` for virtual-hosted style."),
  RECORDING_RETENTION(
      "PARLOR_RECORDING_RETENTION",
      "keep",
      "How long recordings are kept after they end (a duration such as `P30D`), then deleted with"
          + " their files; `keep` keeps them until deleted through the API, as the hosted service"
          + " does."),
  WEBHOOK_ALLOW_PRIVATE(
      "PARLOR_WEBHOOK_ALLOW_PRIVATE",
      "false",
      "Allow webhook URLs whose host is a loopback, private or link-local address (refused by"
          + " default, against server-side request forgery)."),
  WEBHOOK_MAX_ATTEMPTS(
      "PARLOR_WEBHOOK_MAX_ATTEMPTS",
      "8",
      "Attempts per webhook delivery before it is given up (a 5xx answer, a network error or a"
          + " timeout is retried)."),
  WEBHOOK_RETRY_BASE(
      "PARLOR_WEBHOOK_RETRY_BASE",
      "PT15S",
      "Wait after the first failed attempt; each later wait doubles (with the defaults, 8 attempts"
          + " over about 32 minutes)."),
  WEBHOOK_TIMEOUT(
      "PARLOR_WEBHOOK_TIMEOUT",
      "PT5S",
      "How long a webhook receiver has to connect and answer before the attempt counts as failed."),
  WEBHOOK_CONCURRENCY(
      "PARLOR_WEBHOOK_CONCURRENCY",
      "16",
      "Attempts in flight per webhook endpoint; a slow endpoint holds only its own share."),
  CONFIG_FILE(
      "PARLOR_CONFIG_FILE",
      "(unset)",
      "Optional Java properties file with any of these keys; environment variables win.");

  private final String key;
  private final String defaultValue;
  private final String description;

  Setting(String key, String defaultValue, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  public String key() {
    return key;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }
}
