package dev.parlor.webhooks;

import dev.parlor.config.Secrets;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keeps endpoint signing secrets encrypted at rest. Unlike API keys they cannot be hashed (every
 * delivery needs them to sign), so the database holds them sealed with AES-256-GCM under a key
 * derived from the server secret: a copy of the database alone does not reveal them.
 */
final class SecretBox {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int NONCE_BYTES = 12;

  private final SecretKeySpec key;

  SecretBox(byte[] serverSecret) {
    this.key = new SecretKeySpec(Secrets.derive(serverSecret, "parlor webhook secrets v1"), "AES");
  }

  String seal(String plain) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      byte[] sealed = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder()
          .encodeToString(
              ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * @throws IllegalStateException when the value was sealed under another server secret
   */
  String open(String sealed) {
    try {
      byte[] all = Base64.getDecoder().decode(sealed);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, NONCE_BYTES));
      return new String(
          c.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "a webhook secret cannot be decrypted: was PARLOR_SECRET changed?");
    }
  }
}
