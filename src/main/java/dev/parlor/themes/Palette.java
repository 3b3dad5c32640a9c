package dev.parlor.themes;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The built-in background colors the contract names. */
public enum Palette {
  DEFAULT("default", 0xeef3fb, 0xc3d4ef, 0x8fa9d8, 0x5b79b3),
  GREY("grey", 0xf3f3f5, 0xc5c6cd, 0x9a9ca7, 0x676975),
  PURPLE("purple", 0xf1eafc, 0xbda6ea, 0x8e6bd6, 0x5a3ba6),
  BURGUND("burgund", 0xf9eaed, 0xd596a5, 0xa4465e, 0x6b1d33);

  private final String wire;
  final int top;
  final int bottom;
  final int accent;
  final int deep;

  Palette(String wire, int top, int bottom, int accent, int deep) {
    this.wire = wire;
    this.top = top;
    this.bottom = bottom;
    this.accent = accent;
    this.deep = deep;
  }

  public String wire() {
    return wire;
  }

  public static Optional<Palette> fromWire(String s) {
    return Arrays.stream(values()).filter(p -> p.wire.equals(s)).findFirst();
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(Palette::wire).toList();
  }
}
