package dev.parlor.insights;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The parameters that define a listing (its filters and its order, not the page): as the request
 * gave them, validated and normalized by the routes, so that equal listings have equal parameters.
 * A cursor carries its listing's parameters, so a next page continues the same listing.
 */
public final class Listing {
  private final TreeMap<String, String> values;

  public Listing(Map<String, String> values) {
    this.values = new TreeMap<>(values);
  }

  public Optional<String> get(String name) {
    return Optional.ofNullable(values.get(name));
  }

  public Map<String, String> values() {
    return java.util.Collections.unmodifiableMap(values);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Listing l && l.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
