package dev.parlor.orgs;

import java.time.Instant;
import java.util.OptionalLong;

/** A tenant. {@code pointsPerMinute} is empty for the unlimited plan. */
public record Organization(long id, String name, OptionalLong pointsPerMinute, Instant createdAt) {}
