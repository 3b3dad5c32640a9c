package dev.parlor.meetings;

import static dev.parlor.http.JsonFields.bool;
import static dev.parlor.http.JsonFields.member;
import static dev.parlor.http.JsonFields.object;
import static dev.parlor.http.JsonFields.oneOf;
import static dev.parlor.http.JsonFields.string;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parlor.http.ApiException;
import dev.parlor.http.Json;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a create-meeting body into a {@link MeetingRequest}, with a 400 naming the field for
 * anything wrong. Lenient as the hosted API is: {@code null} for any optional member, unknown
 * members ignored, {@code startDate} accepted and ignored.
 */
public final class MeetingRequestParser {
  private static final Pattern PREFIX = Pattern.compile("[a-z0-9-]{0,39}");
  private static final Instant LATEST_END_DATE = Instant.parse("9999-12-31T23:59:59Z");
  private static final Set<String> RECORDING_TYPES = Set.of("none", "local", "cloud");
  private static final Set<String> PROVIDERS = Set.of("s3", "whereby");
  private static final Set<String> AUTH_TYPES = Set.of("accessKey", "roleBased");
  private static final Set<String> FILE_FORMATS = Set.of("mkv", "mp4");
  private static final Set<String> RECORDING_TRIGGERS =
      Set.of("none", "prompt", "automatic", "automatic-2nd-participant");
  private static final Set<String> STREAMING_TRIGGERS = Set.of("none", "prompt", "automatic");
  private static final Set<String> TRANSCRIPTION_TRIGGERS =
      Set.of("none", "manual", "automatic", "automatic-2nd-participant");
  private static final Set<String> LANGUAGES =
      Set.of(
          "ca", "zh", "zh-TW", "cs", "da", "nl", "en", "en-US", "en-GB", "fi", "fr", "de", "de-CH",
          "el", "hi", "id", "it", "ja", "ko", "lv", "ms", "no", "pl", "pt", "pt-BR", "ro", "ru",
          "sk", "es", "sv", "th", "uk", "vi");
  private static final Set<String> DESTINATION_STRINGS =
      Set.of("bucket", "accessKeyId", "accessKeySecret", "oidcRoleArn", "region", "endpoint");

  private MeetingRequestParser() {}

  public static MeetingRequest parse(JsonNode body, Instant now) {
    Instant endDate = endDate(body, now);
    String prefix =
        string(body, "roomNamePrefix", "roomNamePrefix")
            .map(MeetingRequestParser::prefix)
            .orElse("");
    RoomNames.Pattern pattern =
        oneOf(body, "roomNamePattern", "roomNamePattern", Set.of("uuid", "human-short"))
            .map(p -> p.equals("uuid") ? RoomNames.Pattern.UUID : RoomNames.Pattern.HUMAN_SHORT)
            .orElse(RoomNames.Pattern.UUID);
    Meeting.RoomMode mode =
        oneOf(body, "roomMode", "roomMode", Set.of("normal", "group"))
            .map(Meeting.RoomMode::fromWire)
            .orElse(Meeting.RoomMode.NORMAL);
    boolean locked = bool(body, "isLocked", "isLocked").orElse(false);
    Optional<String> template = oneOf(body, "templateType", "templateType", Set.of("viewerMode"));
    bool(body, "isDialInEnabled", "isDialInEnabled");
    Set<MeetingRequest.Field> fields = fields(body);
    if (template.isPresent()) {
      locked = true;
      mode = Meeting.RoomMode.GROUP;
      fields = EnumSet.allOf(MeetingRequest.Field.class);
    }
    ObjectNode options = Json.MAPPER.createObjectNode();
    object(body, "recording", "recording").ifPresent(r -> options.set("recording", recording(r)));
    object(body, "streaming", "streaming").ifPresent(s -> options.set("streaming", streaming(s)));
    object(body, "liveTranscription", "liveTranscription")
        .ifPresent(t -> options.set("liveTranscription", transcription(t)));
    return new MeetingRequest(
        endDate, prefix, pattern, mode, locked, template, fields, options.toString());
  }

  private static Instant endDate(JsonNode body, Instant now) {
    JsonNode v = body.get("endDate");
    if (v == null || v.isNull()) {
      throw ApiException.invalidField("endDate", "endDate is required");
    }
    if (!v.isTextual()) {
      throw ApiException.invalidField("endDate", "endDate must be an ISO-8601 date-time string");
    }
    Instant end =
        parseDateTime(v.asText())
            .orElseThrow(
                () ->
                    ApiException.invalidField(
                        "endDate",
                        "endDate must be an ISO-8601 date-time such as 2025-05-07T17:42:49Z"));
    // "The same or after the current date": compare at whole seconds, so an endDate of "now"
    // written by the client a moment ago is not refused for the request's transit time.
    if (end.getEpochSecond() < now.getEpochSecond()) {
      throw ApiException.invalidField("endDate", "endDate must not be in the past");
    }
    // Beyond a four-digit year an endDate no longer fits in storage (epoch milliseconds) or in a
    // room key, and could not be written back as an ordinary ISO-8601 date.
    if (end.isAfter(LATEST_END_DATE)) {
      throw ApiException.invalidField("endDate", "endDate must not be after 9999-12-31T23:59:59Z");
    }
    return end;
  }

  /** ISO-8601 with any offset; without an offset the time is UTC, as the hosted API reads it. */
  static Optional<Instant> parseDateTime(String s) {
    String t = s.trim();
    try {
      return Optional.of(
          OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
    } catch (DateTimeParseException e) {
      try {
        return Optional.of(LocalDateTime.parse(t).toInstant(ZoneOffset.UTC));
      } catch (DateTimeParseException e2) {
        return Optional.empty();
      }
    }
  }

  private static String prefix(String raw) {
    String p = raw.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
    if (p.startsWith("/")) {
      p = p.substring(1);
    }
    if (!PREFIX.matcher(p).matches()) {
      throw ApiException.invalidField(
          "roomNamePrefix",
          "roomNamePrefix must be at most 39 characters of a-z, 0-9 and '-' (an optional leading"
              + " '/' is allowed)");
    }
    return p;
  }

  private static Set<MeetingRequest.Field> fields(JsonNode body) {
    Optional<JsonNode> f = member(body, "fields");
    EnumSet<MeetingRequest.Field> out = EnumSet.noneOf(MeetingRequest.Field.class);
    if (f.isEmpty()) {
      return out;
    }
    if (!f.get().isArray()) {
      throw ApiException.invalidField("fields", "fields must be an array of strings");
    }
    for (JsonNode item : f.get()) {
      if (!item.isTextual()) {
        throw ApiException.invalidField("fields", "fields must be an array of strings");
      }
      addField(out, item.asText());
    }
    return out;
  }

  /**
   * Adds a named field; {@code dialIn} (undocumented, unsupported here) is accepted and ignored.
   */
  static void addField(Set<MeetingRequest.Field> out, String name) {
    if (name.isEmpty() || name.equals("dialIn")) {
      return;
    }
    out.add(
        MeetingRequest.Field.fromWire(name)
            .orElseThrow(
                () ->
                    ApiException.invalidField(
                        "fields", "fields may contain only hostRoomUrl and viewerRoomUrl")));
  }

  private static ObjectNode recording(JsonNode r) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    String type =
        oneOf(r, "type", "recording.type", RECORDING_TYPES)
            .orElseThrow(
                () -> ApiException.invalidField("recording.type", "recording.type is required"));
    out.put("type", type);
    out.set("destination", destination(r, "recording", true));
    oneOf(r, "startTrigger", "recording.startTrigger", RECORDING_TRIGGERS)
        .ifPresentOrElse(t -> out.put("startTrigger", t), () -> out.putNull("startTrigger"));
    return out;
  }

  private static JsonNode destination(JsonNode parent, String owner, boolean fileFormat) {
    String path = owner + ".destination";
    Optional<JsonNode> d = object(parent, "destination", path);
    if (d.isEmpty()) {
      return Json.MAPPER.nullNode();
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    String provider =
        oneOf(d.get(), "provider", path + ".provider", PROVIDERS)
            .orElseThrow(
                () ->
                    ApiException.invalidField(path + ".provider", path + ".provider is required"));
    out.put("provider", provider);
    oneOf(d.get(), "authenticationType", path + ".authenticationType", AUTH_TYPES)
        .ifPresent(v -> out.put("authenticationType", v));
    for (String name : DESTINATION_STRINGS) {
      string(d.get(), name, path + "." + name).ifPresent(v -> out.put(name, v));
    }
    if (fileFormat) {
      oneOf(d.get(), "fileFormat", path + ".fileFormat", FILE_FORMATS)
          .ifPresent(v -> out.put("fileFormat", v));
    }
    return out;
  }

  private static ObjectNode streaming(JsonNode s) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    Optional<JsonNode> d = object(s, "destination", "streaming.destination");
    if (d.isPresent()) {
      String url =
          string(d.get(), "url", "streaming.destination.url")
              .orElseThrow(
                  () ->
                      ApiException.invalidField(
                          "streaming.destination.url", "streaming.destination.url is required"));
      out.putObject("destination").put("url", url);
    } else {
      out.putNull("destination");
    }
    oneOf(s, "startTrigger", "streaming.startTrigger", STREAMING_TRIGGERS)
        .ifPresentOrElse(t -> out.put("startTrigger", t), () -> out.putNull("startTrigger"));
    return out;
  }

  private static ObjectNode transcription(JsonNode t) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.set("destination", destination(t, "liveTranscription", false));
    oneOf(t, "startTrigger", "liveTranscription.startTrigger", TRANSCRIPTION_TRIGGERS)
        .ifPresentOrElse(v -> out.put("startTrigger", v), () -> out.putNull("startTrigger"));
    // The reference document lists the codes with trailing commas by mistake; accept both.
    string(t, "language", "liveTranscription.language")
        .map(l -> l.endsWith(",") ? l.substring(0, l.length() - 1) : l)
        .ifPresent(
            l -> {
              if (!LANGUAGES.contains(l)) {
                throw ApiException.invalidField(
                    "liveTranscription.language",
                    "liveTranscription.language must be a supported language code such as en or"
                        + " pt-BR");
              }
              out.put("language", l);
            });
    bool(t, "liveCaptions", "liveTranscription.liveCaptions")
        .ifPresent(v -> out.put("liveCaptions", v));
    return out;
  }
}
