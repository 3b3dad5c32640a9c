package dev.parlor.themes;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The built-in background pictures the contract names; {@code default} is a plain gradient. */
public enum BackgroundTheme {
  DEFAULT("default"),
  MOUNTAINS("mountains"),
  CHARACTERS("characters"),
  ROCKS("rocks");

  private final String wire;

  BackgroundTheme(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Optional<BackgroundTheme> fromWire(String s) {
    return Arrays.stream(values()).filter(t -> t.wire.equals(s)).findFirst();
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(BackgroundTheme::wire).toList();
  }
}
