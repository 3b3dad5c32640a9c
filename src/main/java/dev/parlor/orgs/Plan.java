package dev.parlor.orgs;

import java.util.Locale;
import java.util.OptionalLong;

/** The hosted plans' budgets: build 100 points a minute, grow 1000, unlimited, or any number. */
public final class Plan {
  public static final long BUILD = 100;
  public static final long GROW = 1000;

  private Plan() {}

  /** Points per minute for a plan name or number; empty for unlimited. */
  public static OptionalLong parse(String plan) {
    String p = plan.trim().toLowerCase(Locale.ROOT);
    switch (p) {
      case "build":
        return OptionalLong.of(BUILD);
      case "grow":
        return OptionalLong.of(GROW);
      case "unlimited":
        return OptionalLong.empty();
      default:
        try {
          long n = Long.parseLong(p);
          if (n > 0) {
            return OptionalLong.of(n);
          }
        } catch (NumberFormatException e) {
          // fall through
        }
        throw new IllegalArgumentException(
            "plan must be build, grow, unlimited or a positive number of points per minute, got '"
                + plan
                + "'");
    }
  }
}
