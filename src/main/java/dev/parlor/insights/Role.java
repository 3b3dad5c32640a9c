package dev.parlor.insights;

import java.util.Locale;
import java.util.Optional;

/** A connection's role, named as the hosted service reports it. */
public enum Role {
  HOST,
  VISITOR,
  GRANTED_VISITOR,
  VIEWER,
  GRANTED_VIEWER,
  MEMBER,
  OWNER,
  RECORDER,
  STREAMER;

  /** What a role counts as: participants' minutes and unique counts are kept apart from bots'. */
  public enum Kind {
    PARTICIPANT,
    RECORDER,
    STREAMER
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public Kind kind() {
    return switch (this) {
      case RECORDER -> Kind.RECORDER;
      case STREAMER -> Kind.STREAMER;
      default -> Kind.PARTICIPANT;
    };
  }

  /** Participants and viewers count toward starting (and keeping) a session; bots do not. */
  public boolean countsTowardSession() {
    return kind() == Kind.PARTICIPANT;
  }

  public static Optional<Role> fromWire(String s) {
    for (Role r : values()) {
      if (r.wireName().equals(s)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
