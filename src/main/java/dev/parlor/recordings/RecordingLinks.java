package dev.parlor.recordings;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures of access links to Parlor-hosted recording files: HMAC-SHA256 with the server secret
 * over the recording id and the link's expiry (epoch milliseconds), so a link works for exactly one
 * file until exactly its expiry, and any edit of either breaks it.
 */
public final class RecordingLinks {
  private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();

  private final SecretKeySpec key;

  public RecordingLinks(byte[] secret) {
    this.key = new SecretKeySpec(secret, "HmacSHA256");
  }

  public String sign(String recordingId, long expiresMillis) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update("recording-file".getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      mac.update(recordingId.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return ENC.encodeToString(
          mac.doFinal(Long.toString(expiresMillis).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether {@code signature} is the one {@link #sign} gives, compared in constant time. */
  public boolean verify(String recordingId, long expiresMillis, String signature) {
    return MessageDigest.isEqual(
        sign(recordingId, expiresMillis).getBytes(StandardCharsets.US_ASCII),
        signature.getBytes(StandardCharsets.US_ASCII));
  }
}
