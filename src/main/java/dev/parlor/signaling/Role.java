package dev.parlor.signaling;

import java.util.Locale;

/** A participant's role in a room, as the hosted service names them. */
public enum Role {
  HOST,
  VIEWER,
  VISITOR,
  GRANTED_VISITOR;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the role sends media (viewers only receive). */
  public boolean sends() {
    return this != VIEWER;
  }
}
