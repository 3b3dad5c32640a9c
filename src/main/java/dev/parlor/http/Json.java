package dev.parlor.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** Jackson at the HTTP edge: reading request bodies within a size limit and writing responses. */
public final class Json {
  /** The largest JSON body accepted, as the brief asks: 1 MB. */
  public static final int MAX_BODY_BYTES = 1024 * 1024;

  public static final ObjectMapper MAPPER =
      JsonMapper.builder(
              // Jackson's default buffer pool is per thread; every request runs on a new virtual
              // thread, so it would allocate fresh buffers each time. A shared pool reuses them.
              JsonFactory.builder()
                  .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .build();

  static {
    MAPPER
        .getFactory()
        .setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
  }

  private Json() {}

  /** Reads the body as bytes, refusing more than {@code limit} with a 413. */
  public static byte[] readBody(ServerRequest req, int limit) {
    long declared = req.headers().contentLength().orElse(-1L);
    if (declared > limit) {
      throw tooLarge(limit);
    }
    if (!req.content().hasEntity()) {
      return new byte[0];
    }
    try (InputStream in = req.content().inputStream()) {
      // With a declared length read exactly that (one right-sized array); otherwise read in
      // small steps up to the limit, so a small chunked body costs no megabyte buffer.
      byte[] bytes = declared >= 0 ? in.readNBytes((int) declared) : readUpTo(in, limit + 1);
      if (bytes.length > limit) {
        throw tooLarge(limit);
      }
      return bytes;
    } catch (IOException e) {
      throw new ApiException(ErrorCode.INVALID_REQUEST, "Could not read the request body");
    }
  }

  private static byte[] readUpTo(InputStream in, int max) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(1024);
    byte[] buf = new byte[8192];
    int n;
    while (out.size() < max && (n = in.read(buf, 0, Math.min(buf.length, max - out.size()))) > 0) {
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private static ApiException tooLarge(int limit) {
    return new ApiException(
        ErrorCode.PAYLOAD_TOO_LARGE,
        "Request body is larger than the limit of " + limit + " bytes",
        Map.of("limitBytes", limit));
  }

  /**
   * Parses a JSON object body. An empty body reads as an empty object (many clients send none);
   * anything that is not a JSON object is a 400.
   */
  public static JsonNode readObject(ServerRequest req) {
    byte[] bytes = readBody(req, MAX_BODY_BYTES);
    if (isBlank(bytes)) {
      return MAPPER.createObjectNode();
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      // Some errors (a read constraint such as the nesting depth) carry no location.
      JsonLocation at = e.getLocation();
      throw new ApiException(
          ErrorCode.MALFORMED_JSON,
          "Request body must be valid JSON: "
              + e.getOriginalMessage()
              + (at == null
                  ? ""
                  : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    } catch (IOException e) {
      throw new ApiException(ErrorCode.MALFORMED_JSON);
    }
    if (node == null || node.isMissingNode()) {
      return MAPPER.createObjectNode();
    }
    if (!node.isObject()) {
      throw new ApiException(ErrorCode.INVALID_REQUEST, "Request body must be a JSON object");
    }
    return node;
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  public static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The value as one line of JSON text (what the CLI prints with {@code --json}). */
  public static String line(Object value) {
    return new String(bytes(value), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Sends {@code value} as a JSON response with the given status. */
  public static void send(ServerResponse res, Status status, Object value) {
    res.status(status);
    res.header(HeaderValues.CONTENT_TYPE_JSON);
    sendBytes(res, bytes(value));
  }

  /**
   * Sends a body (its Content-Type already set); to a HEAD request only its length, no content (see
   * {@link HeadRequestFilter}).
   */
  public static void sendBytes(ServerResponse res, byte[] body) {
    if (HeadRequestFilter.servingHead()) {
      res.contentLength(body.length);
      res.send();
    } else {
      res.send(body);
    }
  }

  public static void sendNoContent(ServerResponse res) {
    res.status(Status.NO_CONTENT_204);
    res.headers().remove(HeaderNames.CONTENT_TYPE);
    res.send();
  }
}
