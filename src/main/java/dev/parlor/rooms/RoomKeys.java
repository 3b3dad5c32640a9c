package dev.parlor.rooms;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;

/**
 * Room keys: HS256 JWTs (as the hosted service uses) naming the room, the role and an expiry at the
 * end of the meeting's life. A key is valid for its own room only and, being signed, cannot be
 * extended or moved to another room.
 */
public final class RoomKeys {
  private static final String ISSUER = "parlor";

  /** The roles a room key can grant. */
  public enum Role {
    HOST,
    VIEWER,
    /** A visitor a host let into a locked room; issued by signaling when a knock is accepted. */
    GRANTED_VISITOR;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A verified key's content. */
  public record Grant(String roomName, String meetingId, Role role, Instant expiresAt) {}

  private final Algorithm algorithm;
  private final Clock clock;

  public RoomKeys(byte[] secret, Clock clock) {
    this.algorithm = Algorithm.HMAC256(secret);
    this.clock = clock;
  }

  /** Deterministic for the same inputs, so a meeting's URLs are stable across reads. */
  public String issue(String roomName, String meetingId, Role role, Instant expiresAt) {
    return JWT.create()
        .withIssuer(ISSUER)
        .withSubject(roomName)
        .withClaim("meetingId", meetingId)
        .withClaim("role", role.wireName())
        .withExpiresAt(Date.from(expiresAt))
        .sign(algorithm);
  }

  /** The grant in {@code token} when it is genuine, unexpired and for {@code roomName}. */
  public Optional<Grant> verify(String token, String roomName) {
    try {
      // BaseVerification is the only way to give the verifier our clock (tests move time).
      JWTVerifier verifier =
          ((JWTVerifier.BaseVerification)
                  JWT.require(algorithm).withIssuer(ISSUER).withSubject(roomName))
              .build(clock);
      DecodedJWT jwt = verifier.verify(token);
      Role role = Role.valueOf(jwt.getClaim("role").asString().toUpperCase(Locale.ROOT));
      return Optional.of(
          new Grant(
              jwt.getSubject(),
              jwt.getClaim("meetingId").asString(),
              role,
              jwt.getExpiresAtAsInstant()));
    } catch (JWTVerificationException | IllegalArgumentException | NullPointerException e) {
      return Optional.empty();
    }
  }
}
