package dev.parlor.signaling;

import dev.parlor.config.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Lets a browser keep its participant id in one meeting across reloads and reconnects, so insights
 * and webhooks see one participant rather than one per connection. The server hands out {@code
 * <participantId>.<signature>} with {@code joined}; the page keeps it and sends it with its next
 * {@code join}. The signature binds the id to the meeting, so nobody can claim another person's id
 * or carry one into another meeting.
 */
final class ParticipantTokens {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
  private final SecretKeySpec key;

  ParticipantTokens(byte[] serverSecret) {
    this.key =
        new SecretKeySpec(
            Secrets.derive(serverSecret, "parlor participant tokens v1"), "HmacSHA256");
  }

  String issue(String meetingId, String participantId) {
    return participantId + "." + signature(meetingId, participantId);
  }

  /** The participant id the token was issued for in this meeting, if it is genuine. */
  Optional<String> verify(String meetingId, String token) {
    int dot = token.indexOf('.');
    if (dot <= 0) {
      return Optional.empty();
    }
    String id = token.substring(0, dot);
    if (!ID.matcher(id).matches()) {
      return Optional.empty();
    }
    byte[] expected = signature(meetingId, id).getBytes(StandardCharsets.US_ASCII);
    byte[] given = token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, given) ? Optional.of(id) : Optional.empty();
  }

  private String signature(String meetingId, String participantId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] sig = mac.doFinal((meetingId + "\n" + participantId).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
