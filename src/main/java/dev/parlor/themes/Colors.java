package dev.parlor.themes;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** A theme's colors, each {@code #rrggbb} in lower case, or absent (inherited). */
public record Colors(Optional<String> primary, Optional<String> secondary, Optional<String> focus) {
  /** The contract's pattern, for the whole value. */
  static final Pattern HEX = Pattern.compile("#[a-fA-F0-9]{6}");

  /** Parlor's own defaults, used where neither the room nor its organization sets a color. */
  public static final Colors BUILT_IN =
      new Colors(Optional.of("#2c5cc5"), Optional.of("#e8ecf4"), Optional.of("#f2a900"));

  public static final Colors NONE =
      new Colors(Optional.empty(), Optional.empty(), Optional.empty());

  public static boolean isColor(String s) {
    return s != null && HEX.matcher(s).matches();
  }

  static String normalized(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  public boolean isEmpty() {
    return primary.isEmpty() && secondary.isEmpty() && focus.isEmpty();
  }

  /** These colors where set, {@code fallback}'s elsewhere. */
  public Colors over(Colors fallback) {
    return new Colors(
        primary.or(fallback::primary),
        secondary.or(fallback::secondary),
        focus.or(fallback::focus));
  }
}
