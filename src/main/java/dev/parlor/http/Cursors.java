package dev.parlor.http;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque, tamper-evident pagination cursors: the position is signed with the server secret, so a
 * client can hand back only cursors the server issued (any edit is a 400), and a cursor is bound to
 * the organization and list it came from.
 */
public final class Cursors {
  private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DEC = Base64.getUrlDecoder();
  private static final int TAG_BYTES = 12;

  private final SecretKeySpec key;

  public Cursors(byte[] secret) {
    this.key = new SecretKeySpec(secret, "HmacSHA256");
  }

  /** A cursor for {@code position} in the list {@code scope} (for example "meetings:org:7"). */
  public String encode(String scope, String position) {
    byte[] payload = position.getBytes(StandardCharsets.UTF_8);
    byte[] tag = tag(scope, payload);
    return ENC.encodeToString(payload) + "." + ENC.encodeToString(tag);
  }

  /** The position inside {@code cursor}, or a 400 when it was not issued for {@code scope}. */
  public String decode(String scope, String cursor) {
    int dot = cursor.indexOf('.');
    if (dot > 0) {
      try {
        byte[] payload = DEC.decode(cursor.substring(0, dot));
        byte[] tag = DEC.decode(cursor.substring(dot + 1));
        if (MessageDigest.isEqual(tag, tag(scope, payload))) {
          return new String(payload, StandardCharsets.UTF_8);
        }
      } catch (IllegalArgumentException e) {
        // fall through to the 400
      }
    }
    throw ApiException.invalidField("cursor", "cursor is invalid");
  }

  private byte[] tag(String scope, byte[] payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(scope.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return Arrays.copyOf(mac.doFinal(payload), TAG_BYTES);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }
}
