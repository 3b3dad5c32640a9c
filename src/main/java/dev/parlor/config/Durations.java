package dev.parlor.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/** Parses durations given either as ISO-8601 ({@code PT1H}) or as a number of seconds. */
public final class Durations {
  private Durations() {}

  public static Duration parse(String key, String value) {
    String v = value.trim();
    try {
      if (v.matches("\\d+(\\.\\d+)?")) {
        return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
      }
      return Duration.parse(v.toUpperCase(java.util.Locale.ROOT));
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new ConfigException(
          key
              + " must be an ISO-8601 duration such as PT1H or a number of seconds, got '"
              + v
              + "'");
    }
  }
}
