package dev.parlor.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Real HTTP against a running server, through {@code java.net.http}. */
public final class ApiClient {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String baseUrl;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  public ApiClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** A response with its body read as text and, when it parses, as JSON. */
  public record Response(int status, java.net.http.HttpHeaders headers, String body) {
    public JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("response body is not JSON: " + body, e);
      }
    }

    public Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  public Response get(String path, String key) {
    return send("GET", path, key, null);
  }

  public Response post(String path, String key, String jsonBody) {
    return send("POST", path, key, jsonBody);
  }

  public Response delete(String path, String key) {
    return send("DELETE", path, key, null);
  }

  /** Sends any method; {@code key} null sends no Authorization header. */
  public Response send(String method, String path, String key, String body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return send(b.build());
  }

  /** Sends a body of any type; {@code contentType} null sends no Content-Type header. */
  public Response sendBytes(
      String method, String path, String key, String contentType, byte[] body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    b.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    return send(b.build());
  }

  /** A GET whose body is kept as bytes (images). */
  public BinaryResponse getBytes(String path, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30)).GET();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new BinaryResponse(r.statusCode(), r.headers(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A response with its body as bytes. */
  public record BinaryResponse(int status, java.net.http.HttpHeaders headers, byte[] body) {
    public Optional<String> header(String name) {
      return headers.firstValue(name);
    }
  }

  public Response send(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.headers(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public URI uri(String path) {
    return URI.create(baseUrl + path);
  }

  /** A JSON body for a meeting ending in an hour, plus extra members given as raw JSON. */
  public static String meetingBody(String... extraMembers) {
    StringBuilder sb =
        new StringBuilder("{\"endDate\":\"")
            .append(java.time.Instant.now().plus(Duration.ofHours(1)))
            .append('"');
    for (String m : extraMembers) {
      sb.append(',').append(m);
    }
    return sb.append('}').toString();
  }

  public static List<String> values(java.net.http.HttpHeaders h, String name) {
    return h.allValues(name);
  }
}
