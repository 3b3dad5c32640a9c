package dev.parlor.meetings;

import java.security.SecureRandom;
import java.util.UUID;

/** Random room names: {@code /<prefix><uuid>} or {@code /<prefix><six characters>}. */
public final class RoomNames {
  /** Lower-case letters and digits without look-alikes (0/o, 1/l/i). */
  static final String HUMAN_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz";

  private static final SecureRandom RANDOM = new SecureRandom();

  /** How the random part is made. */
  public enum Pattern {
    UUID,
    HUMAN_SHORT
  }

  private RoomNames() {}

  public static String generate(String prefix, Pattern pattern) {
    return "/" + prefix + (pattern == Pattern.UUID ? UUID.randomUUID().toString() : humanShort());
  }

  private static String humanShort() {
    char[] c = new char[6];
    for (int i = 0; i < c.length; i++) {
      c[i] = HUMAN_ALPHABET.charAt(RANDOM.nextInt(HUMAN_ALPHABET.length()));
    }
    return new String(c);
  }
}
