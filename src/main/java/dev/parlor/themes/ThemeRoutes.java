package dev.parlor.themes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parlor.http.ApiAuthFilter;
import dev.parlor.http.ApiException;
import dev.parlor.http.ErrorCode;
import dev.parlor.http.HeadRequestFilter;
import dev.parlor.http.Json;
import dev.parlor.http.JsonFields;
import dev.parlor.http.LimitedInputStream;
import dev.parlor.http.MultipartReader;
import dev.parlor.http.RouteTable;
import dev.parlor.meetings.Meeting;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The theme endpoints of the contract under {@code /v1/rooms/{roomName}/theme/...}, and the public
 * theme a room page reads: {@code GET /rooms/{roomName}/theme.json} and its images, without a key.
 * Parse, call {@link ThemeService}, render.
 */
public final class ThemeRoutes {
  static final String WRONG_CONTENT_TYPE =
      "Content-Type must be multipart/form-data or application/json";

  /** What a multipart body may carry beyond the image itself: boundaries, headers, small fields. */
  private static final int MULTIPART_OVERHEAD = 64 * 1024;

  private static final String IMMUTABLE = "public, max-age=31536000, immutable";

  private final ThemeService themes;
  private final Supplier<String> publicUrl;

  public ThemeRoutes(ThemeService themes, Supplier<String> publicUrl) {
    this.themes = themes;
    this.publicUrl = publicUrl;
  }

  public void register(RouteTable routes) {
    routes.path("/v1/rooms/{+roomName}/theme/tokens").on(Method.PUT, this::tokens).done();
    for (ImageSlot slot : ImageSlot.values()) {
      routes
          .path("/v1/rooms/{+roomName}/theme/" + slot.wire())
          .on(Method.PUT, (req, res) -> image(req, res, slot))
          .done();
    }
    routes
        .path("/rooms/{+roomName}/theme.json")
        .on(Method.GET, this::publicTheme)
        .done()
        .path("/rooms/{+roomName}/theme/{file}")
        .on(Method.GET, this::publicImage)
        .done();
  }

  /** The room name in the path, with or without its slash ({@code %2F} arrives decoded). */
  private static String roomName(ServerRequest req) {
    String name = req.path().pathParameters().get("roomName");
    return name.startsWith("/") ? name.substring(1) : name;
  }

  private Meeting room(ServerRequest req) {
    return themes.room(ApiAuthFilter.principal(req).organizationId(), roomName(req));
  }

  // ---------------------------------------------------------------- PUT .../theme/tokens

  private void tokens(ServerRequest req, ServerResponse res) {
    Meeting room = room(req);
    JsonNode body = Json.readObject(req);
    String preset =
        JsonFields.oneOf(body, "tokensPreset", "tokensPreset", Set.of("custom", "default"))
            .orElse("default");
    Optional<JsonNode> colors =
        JsonFields.object(body, "tokens", "tokens")
            .flatMap(t -> JsonFields.object(t, "colors", "tokens.colors"));
    Colors parsed =
        colors
            .map(c -> new Colors(color(c, "primary"), color(c, "secondary"), color(c, "focus")))
            .orElse(Colors.NONE);
    if (preset.equals("custom")) {
      themes.setCustomColors(room, parsed);
    } else {
      themes.useDefaultColors(room);
    }
    Json.sendNoContent(res);
  }

  private static Optional<String> color(JsonNode colors, String name) {
    String path = "tokens.colors." + name;
    return JsonFields.string(colors, name, path)
        .map(
            v -> {
              if (!Colors.isColor(v)) {
                throw ApiException.invalidField(
                    path, path + " must be a hex color like #1a2b3c, got '" + v + "'");
              }
              return Colors.normalized(v);
            });
  }

  // ---------------------------------------------------------------- PUT .../theme/<image>

  private void image(ServerRequest req, ServerResponse res, ImageSlot slot) {
    String contentType = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!mediaType.equals("multipart/form-data") && !mediaType.equals("application/json")) {
      throw new ApiException(ErrorCode.INVALID_REQUEST, WRONG_CONTENT_TYPE);
    }
    Meeting room = room(req);
    if (mediaType.equals("application/json")) {
      json(room, slot, Json.readObject(req));
    } else {
      multipart(req, room, slot, contentType);
    }
    Json.sendNoContent(res);
  }

  private void json(Meeting room, ImageSlot slot, JsonNode body) {
    if (slot == ImageSlot.LOGO) {
      JsonFields.oneOf(body, "theme", "theme", Set.of("default"));
      themes.reset(room, slot);
      return;
    }
    Palette palette =
        JsonFields.oneOf(body, "palette", "palette", Set.copyOf(Palette.names()))
            .flatMap(Palette::fromWire)
            .orElse(Palette.DEFAULT);
    BackgroundTheme theme =
        JsonFields.oneOf(body, "theme", "theme", Set.copyOf(BackgroundTheme.names()))
            .flatMap(BackgroundTheme::fromWire)
            .orElse(BackgroundTheme.DEFAULT);
    themes.useBuiltIn(room, slot, palette, theme);
  }

  private void multipart(ServerRequest req, Meeting room, ImageSlot slot, String contentType) {
    String boundary =
        MultipartReader.boundary(contentType)
            .filter(b -> b.length() <= 200)
            .orElseThrow(
                () ->
                    new ApiException(
                        ErrorCode.INVALID_REQUEST,
                        "multipart/form-data needs a boundary parameter of 1 to 200 characters"));
    long bodyLimit = (long) slot.maxBytes() + MULTIPART_OVERHEAD;
    if (req.headers().contentLength().orElse(-1L) > bodyLimit) {
      throw ThemeImages.tooLarge(slot);
    }
    // Not closed here: closing Helidon's entity stream would read whatever the client still sends.
    InputStream body = new LimitedInputStream(req.content().inputStream(), bodyLimit);
    try {
      MultipartReader parts = new MultipartReader(body, boundary);
      Optional<MultipartReader.Part> part;
      try {
        while ((part = parts.next()).isPresent()) {
          if (part.get().name().equals("image")) {
            themes.upload(room, slot, part.get().body());
            return;
          }
        }
      } catch (LimitedInputStream.TooLargeException e) {
        throw ThemeImages.tooLarge(slot);
      } catch (MultipartReader.MalformedException e) {
        throw new ApiException(
            ErrorCode.INVALID_REQUEST, "Malformed multipart body: " + e.getMessage());
      }
      throw ApiException.invalidField(
          "image", "image is required: send the file as the multipart/form-data part named image");
    } catch (IOException e) {
      throw new ApiException(ErrorCode.INVALID_REQUEST, "Could not read the request body");
    }
  }

  // ---------------------------------------------------------------- public theme

  private void publicTheme(ServerRequest req, ServerResponse res) {
    ThemeService.ResolvedTheme t =
        themes.resolve(roomName(req)).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND));
    String base = publicUrl.get() + "/rooms" + t.meeting().roomName() + "/theme/";
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("roomName", t.meeting().roomName());
    body.put("tokensPreset", t.customTokens() ? "custom" : "default");
    Map<String, Object> colors = new LinkedHashMap<>();
    colors.put("primary", t.colors().primary().orElseThrow());
    colors.put("secondary", t.colors().secondary().orElseThrow());
    colors.put("focus", t.colors().focus().orElseThrow());
    body.put("tokens", Map.of("colors", colors));
    for (ImageSlot slot : ImageSlot.values()) {
      ThemeService.ResolvedImage i = t.images().get(slot);
      if (i == null) {
        body.put(slot.jsonName(), null);
        continue;
      }
      Map<String, Object> image = new LinkedHashMap<>();
      image.put("url", base + i.fileName());
      image.put("source", i.source().name().toLowerCase(Locale.ROOT).replace("_", "-"));
      image.put("contentType", i.format().contentType());
      image.put("width", i.width());
      image.put("height", i.height());
      i.builtIn()
          .ifPresent(
              b -> {
                image.put("palette", b.palette().wire());
                image.put("theme", b.theme().wire());
              });
      body.put(slot.jsonName(), image);
    }
    // Public and changing: anyone may read it, every read asks again.
    res.header("Cache-Control", "no-cache");
    res.header("Access-Control-Allow-Origin", "*");
    Json.send(res, Status.OK_200, body);
  }

  private void publicImage(ServerRequest req, ServerResponse res) {
    String file = req.path().pathParameters().get("file");
    ThemeService.ImageContent image =
        themes.image(roomName(req), file).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND));
    String etag = "\"" + image.sha256() + "\"";
    res.header("Cache-Control", IMMUTABLE);
    res.header("ETag", etag);
    res.header("Access-Control-Allow-Origin", "*");
    res.header("X-Content-Type-Options", "nosniff");
    boolean notModified =
        req.headers().first(HeaderNames.IF_NONE_MATCH).map(v -> v.contains(etag)).orElse(false);
    switch (image) {
      case ThemeService.ImageContent.Drawn d -> {
        if (notModified) {
          notModified(res);
          return;
        }
        res.header("Content-Type", d.format().contentType());
        Json.sendBytes(res, d.png());
      }
      case ThemeService.ImageContent.Stored s -> {
        if (notModified) {
          notModified(res);
          return;
        }
        try (var blob = s.open().get().orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND))) {
          res.header("Content-Type", s.format().contentType());
          res.contentLength(blob.length());
          if (HeadRequestFilter.servingHead()) {
            res.send();
            return;
          }
          try (OutputStream out = res.outputStream()) {
            blob.stream().transferTo(out);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
    }
  }

  private static void notModified(ServerResponse res) {
    res.status(Status.NOT_MODIFIED_304);
    res.send();
  }
}
