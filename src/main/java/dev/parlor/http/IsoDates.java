package dev.parlor.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The dates Parlor writes: UTC with milliseconds, {@code 2025-01-01T00:00:00.000Z}. */
public final class IsoDates {
  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private IsoDates() {}

  public static String millis(Instant t) {
    return MILLIS.format(t);
  }
}
