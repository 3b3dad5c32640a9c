package dev.parlor.orgs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Generation and hashing of API keys. */
public final class ApiKeys {
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeys() {}

  /** A new key: "prl_" and 256 random bits, base64url. */
  public static String generate() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return "prl_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /**
   * SHA-256 of the key, hex. Keys are long random strings, so a fast hash is the right one: there
   * is nothing for a slow hash to protect that 256 random bits do not already.
   */
  public static String hash(String key) {
    return HexFormat.of().formatHex(digest(key));
  }

  static byte[] digest(String key) {
    try {
      // Cloning a ready digest skips the provider lookup, which costs more than the hash.
      MessageDigest md = (MessageDigest) SHA256.clone();
      return md.digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final MessageDigest SHA256 = sha256();

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
