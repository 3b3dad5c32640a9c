package dev.parlor.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.Set;

/**
 * Typed reads of optional members of a JSON request object. A missing member and an explicit {@code
 * null} both read as absent; a member of the wrong type is a 400 naming the field by its full path
 * (for example {@code recording.destination.provider}).
 */
public final class JsonFields {
  private JsonFields() {}

  public static Optional<JsonNode> member(JsonNode obj, String name) {
    JsonNode v = obj.get(name);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
  }

  public static Optional<String> string(JsonNode obj, String name, String path) {
    return member(obj, name)
        .map(
            v -> {
              if (!v.isTextual()) {
                throw ApiException.invalidField(path, path + " must be a string");
              }
              return v.asText();
            });
  }

  public static Optional<Boolean> bool(JsonNode obj, String name, String path) {
    return member(obj, name)
        .map(
            v -> {
              if (!v.isBoolean()) {
                throw ApiException.invalidField(path, path + " must be a boolean");
              }
              return v.asBoolean();
            });
  }

  public static Optional<JsonNode> object(JsonNode obj, String name, String path) {
    return member(obj, name)
        .map(
            v -> {
              if (!v.isObject()) {
                throw ApiException.invalidField(path, path + " must be an object");
              }
              return v;
            });
  }

  public static Optional<String> oneOf(
      JsonNode obj, String name, String path, Set<String> allowed) {
    return string(obj, name, path)
        .map(
            v -> {
              if (!allowed.contains(v)) {
                throw ApiException.invalidField(
                    path, path + " must be one of " + String.join(", ", sorted(allowed)));
              }
              return v;
            });
  }

  private static java.util.List<String> sorted(Set<String> s) {
    return s.stream().sorted().toList();
  }
}
