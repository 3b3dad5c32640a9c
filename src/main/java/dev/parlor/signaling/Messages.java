package dev.parlor.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parlor.meetings.Meeting;
import java.util.Optional;
import java.util.regex.Pattern;

/** The signaling's message vocabulary: building messages, and reading and checking fields. */
final class Messages {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  static final Pattern ROOM = Pattern.compile("/?[A-Za-z0-9_-]{1,100}");
  static final Pattern EXTERNAL_ID = Pattern.compile("[A-Za-z0-9_-]{1,36}");
  static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  static final Pattern FORBIDDEN_NAME_CHARS = Pattern.compile("[$!<>:;]");
  static final Pattern IMAGE = Pattern.compile("data:image/(jpeg|png|webp);base64,[A-Za-z0-9+/=]+");

  private Messages() {}

  /** Signaling error: answered to the sender, optionally closing its connection. */
  static final class Refusal extends RuntimeException {
    final String code;
    final boolean fatal;

    Refusal(String code, String message, boolean fatal) {
      super(message, null, false, false);
      this.code = code;
      this.fatal = fatal;
    }
  }

  static Refusal invalid(String message) {
    return new Refusal("invalid_message", message, false);
  }

  static ObjectNode describe(RoomState.Member m) {
    ObjectNode p = F.objectNode();
    p.put("id", m.participantId());
    p.put("role", m.role().wireName());
    p.put("displayName", m.displayName());
    p.put("externalId", m.externalId());
    p.put("metadata", m.metadata());
    p.put("audio", m.audio());
    p.put("video", m.video());
    p.put("screenshare", m.screenshare());
    return p;
  }

  static ObjectNode describeKnock(RoomState.Knock k) {
    ObjectNode n = F.objectNode();
    n.put("knockId", k.connectionId());
    n.put("displayName", k.displayName());
    n.put("externalId", k.externalId());
    n.put("image", k.image());
    return n;
  }

  static ObjectNode obj(String type) {
    ObjectNode n = F.objectNode();
    n.put("type", type);
    return n;
  }

  static ObjectNode error(String code, String message) {
    ObjectNode n = obj("error");
    n.put("code", code);
    n.put("message", message);
    return n;
  }

  static RoomObserver.Participant participant(Meeting meeting, RoomState.Member m) {
    return new RoomObserver.Participant(
        meeting,
        m.connectionId(),
        m.participantId(),
        m.deviceId(),
        m.role().wireName(),
        m.displayName(),
        m.externalId(),
        m.metadata(),
        m.userAgent());
  }

  static RoomObserver.Knocker knocker(Meeting meeting, RoomState.Knock k) {
    return new RoomObserver.Knocker(
        meeting, k.connectionId(), k.displayName(), k.externalId(), k.metadata());
  }

  static String requiredString(JsonNode msg, String field, int max) {
    return optionalString(msg, field, max)
        .orElseThrow(() -> invalid("'" + field + "' is required"));
  }

  static Optional<String> optionalString(JsonNode msg, String field, int max) {
    JsonNode v = msg.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw invalid("'" + field + "' must be a string");
    }
    if (v.asText().length() > max) {
      throw invalid("'" + field + "' is longer than " + max + " characters");
    }
    return Optional.of(v.asText());
  }

  static boolean requiredBoolean(JsonNode msg, String field) {
    JsonNode v = msg.get(field);
    if (v == null || !v.isBoolean()) {
      throw invalid("'" + field + "' must be true or false");
    }
    return v.asBoolean();
  }

  static double number(JsonNode msg, String field, double max) {
    JsonNode v = msg.get(field);
    if (v == null || !v.isNumber()) {
      throw invalid("'" + field + "' must be a number");
    }
    double d = v.asDouble();
    if (!Double.isFinite(d) || d < 0 || d > max) {
      throw invalid("'" + field + "' must be from 0 to " + (long) max);
    }
    return d;
  }

  static String displayName(JsonNode msg, String field) {
    String name = optionalString(msg, field, 100).orElse("").strip();
    if (FORBIDDEN_NAME_CHARS.matcher(name).find()) {
      throw invalid("'" + field + "' must not contain any of $!<>:;");
    }
    return name.isEmpty() ? "Guest" : name;
  }
}
