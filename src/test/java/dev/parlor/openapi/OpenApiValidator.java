package dev.parlor.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.DisallowUnknownKeywordFactory;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;
import dev.parlor.testing.ApiClient;
import dev.parlor.testing.ApiClient.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks real HTTP exchanges against Parlor's own OpenAPI 3.1 document, as served by the running
 * server at {@code GET /v1/openapi.json}.
 *
 * <p>For a method, a path template of the document (for example {@code /meetings/{meetingId}}) and
 * a response, it checks that the path and method are documented, that the status is one of the
 * operation's responses, that every required header is present and every documented header's value
 * fits its schema, that the content type is a documented one, and that the body fits the response's
 * schema (with json-schema-validator, the document itself as the base, so {@code
 * #/components/schemas/...} references resolve). Methods the document does not list on a path are
 * checked against its {@code x-parlor-other-methods} responses, and paths it does not list against
 * {@code x-parlor-unknown-paths}; HEAD is checked as the GET of the same path without a body.
 */
public final class OpenApiValidator {
  /** The base IRI the document is known by; never fetched (the loader below answers it). */
  private static final String DOCUMENT_IRI = "https://parlor.invalid/v1/openapi.json";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> OPERATION_KEYS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  private static final List<String> DOCUMENT_MEMBERS =
      List.of(
          "openapi",
          "info",
          "jsonSchemaDialect",
          "servers",
          "paths",
          "webhooks",
          "components",
          "security",
          "tags",
          "externalDocs",
          "x-parlor-other-methods",
          "x-parlor-unknown-paths");

  private final JsonNode document;
  private final JsonSchema root;
  private final Map<List<String>, JsonSchema> schemas = new ConcurrentHashMap<>();

  private OpenApiValidator(JsonNode document) {
    this.document = document;
    String text = document.toString();
    // The OpenAPI 3.1 dialect, where the document's own members (read as a schema, since it is the
    // base every reference resolves against) are ignored and any other unknown keyword, a typo in
    // one of the document's schemas, is an error rather than silently no constraint at all.
    JsonMetaSchema dialect =
        JsonMetaSchema.builder(OpenApi31.getInstance())
            .keywords(DOCUMENT_MEMBERS.stream().map(NonValidationKeyword::new).toList())
            .unknownKeywordFactory(DisallowUnknownKeywordFactory.getInstance())
            .build();
    JsonSchemaFactory factory =
        JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012,
            b ->
                b.metaSchema(dialect)
                    .defaultMetaSchemaIri(dialect.getIri())
                    .schemaLoaders(l -> l.schemas(Map.of(DOCUMENT_IRI, text))));
    SchemaValidatorsConfig config =
        SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .pathType(PathType.JSON_PATH)
            .build();
    this.root = factory.getSchema(SchemaLocation.of(DOCUMENT_IRI), document, config);
  }

  /** Loads the document the server itself serves, without authentication. */
  public static OpenApiValidator fetch(ApiClient client) {
    Response r = client.get("/v1/openapi.json", null);
    if (r.status() != 200) {
      throw new AssertionError("GET /v1/openapi.json answered " + r);
    }
    return of(r.json());
  }

  public static OpenApiValidator of(JsonNode document) {
    if (!document.path("openapi").asText().startsWith("3.1.")) {
      throw new IllegalArgumentException(
          "expected an OpenAPI 3.1 document, got openapi=" + document.path("openapi"));
    }
    return new OpenApiValidator(document);
  }

  public JsonNode document() {
    return document;
  }

  /** One documented operation: a path template of the document and a method, in upper case. */
  public record Operation(String pathTemplate, String method, JsonNode node) {
    public boolean notImplemented() {
      return "not-implemented".equals(node.path("x-parlor-status").asText());
    }

    @Override
    public String toString() {
      return method + " " + pathTemplate;
    }
  }

  /** Every operation the document lists, in document order. */
  public List<Operation> operations() {
    List<Operation> out = new ArrayList<>();
    document
        .path("paths")
        .properties()
        .forEach(
            p ->
                p.getValue()
                    .properties()
                    .forEach(
                        o -> {
                          if (OPERATION_KEYS.contains(o.getKey())) {
                            out.add(
                                new Operation(
                                    p.getKey(), o.getKey().toUpperCase(Locale.ROOT), o.getValue()));
                          }
                        }));
    return out;
  }

  /** The documented path templates, in document order. */
  public List<String> pathTemplates() {
    List<String> out = new ArrayList<>();
    document.path("paths").fieldNames().forEachRemaining(out::add);
    return out;
  }

  /** The methods documented on a path, in upper case. */
  public Set<String> methods(String pathTemplate) {
    Set<String> out = new LinkedHashSet<>();
    pathItem(pathTemplate)
        .ifPresent(
            item ->
                item.fieldNames()
                    .forEachRemaining(
                        k -> {
                          if (OPERATION_KEYS.contains(k)) {
                            out.add(k.toUpperCase(Locale.ROOT));
                          }
                        }));
    return out;
  }

  /**
   * The URL path a template is served at: the path's own {@code servers} entry, else the
   * document's, followed by the template ({@code /meetings} is served at {@code /v1/meetings}).
   */
  public String servedAt(String pathTemplate) {
    JsonNode servers = pathItem(pathTemplate).map(i -> i.get("servers")).orElse(null);
    if (servers == null || servers.isEmpty()) {
      servers = document.path("servers");
    }
    String base = servers.path(0).path("url").asText("");
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base + pathTemplate;
  }

  /**
   * The template of the document that a concrete request path (no query) matches, preferring
   * templates with fewer parameters, as OpenAPI asks; a trailing slash is ignored, as Parlor does.
   */
  public Optional<String> templateOf(String requestPath) {
    String path =
        requestPath.length() > 1 && requestPath.endsWith("/")
            ? requestPath.substring(0, requestPath.length() - 1)
            : requestPath;
    return pathTemplates().stream()
        .filter(t -> toRegex(servedAt(t)).matcher(path).matches())
        .min(Comparator.comparingLong(t -> t.chars().filter(c -> c == '{').count()));
  }

  private static Pattern toRegex(String template) {
    StringBuilder sb = new StringBuilder();
    for (String part : template.split("(?=\\{)|(?<=\\})")) {
      sb.append(part.startsWith("{") ? "[^/]+" : Pattern.quote(part));
    }
    return Pattern.compile(sb.toString());
  }

  /** Everything wrong with a response to {@code method pathTemplate}; empty when it conforms. */
  public List<String> problems(String method, String pathTemplate, Response response) {
    String m = method.toUpperCase(Locale.ROOT);
    Optional<JsonNode> item = pathItem(pathTemplate);
    if (item.isEmpty()) {
      return List.of(
          "path "
              + pathTemplate
              + " is not in the document (documented paths: "
              + pathTemplates()
              + ")");
    }
    List<String> at = List.of("paths", pathTemplate);
    boolean head = m.equals("HEAD") && !item.get().has("head") && item.get().has("get");
    String key = head ? "get" : m.toLowerCase(Locale.ROOT);
    String what = m + " " + pathTemplate;
    if (item.get().has(key)) {
      return responseProblems(what, append(at, key), response, head);
    }
    return responseProblems(
        what + " (a method the path does not list, so x-parlor-other-methods)",
        List.of("x-parlor-other-methods"),
        response,
        m.equals("HEAD"));
  }

  /** Everything wrong with a response to a path the document does not list. */
  public List<String> unknownPathProblems(String method, Response response) {
    return responseProblems(
        method + " <a path not in the document> (x-parlor-unknown-paths)",
        List.of("x-parlor-unknown-paths"),
        response,
        method.equalsIgnoreCase("HEAD"));
  }

  /** Fails with every problem listed when the response does not conform. */
  public void assertConforms(String method, String pathTemplate, Response response) {
    fail(problems(method, pathTemplate, response), response);
  }

  public void assertConformsAsUnknownPath(String method, Response response) {
    fail(unknownPathProblems(method, response), response);
  }

  /** Everything wrong with a JSON request body for an operation; empty when it conforms. */
  public List<String> requestBodyProblems(String method, String pathTemplate, JsonNode body) {
    return bodyProblems(
        List.of("paths", pathTemplate, method.toLowerCase(Locale.ROOT), "requestBody"),
        method + " " + pathTemplate,
        body);
  }

  /** Everything wrong with a webhook's body, as {@code webhooks.<type>} documents it. */
  public List<String> webhookBodyProblems(String type, JsonNode body) {
    return bodyProblems(List.of("webhooks", type, "post", "requestBody"), "webhook " + type, body);
  }

  private List<String> bodyProblems(List<String> op, String what, JsonNode body) {
    Optional<Resolved> rb = resolve(op);
    if (rb.isEmpty()) {
      return List.of(what + " documents no request body");
    }
    List<String> schemaAt = append(rb.get().at(), "content", "application/json", "schema");
    if (node(schemaAt).isEmpty()) {
      return List.of(what + " documents no application/json request body");
    }
    return schemaProblems("request body of " + what, schemaAt, body);
  }

  private static void fail(List<String> problems, Response response) {
    if (!problems.isEmpty()) {
      throw new AssertionError(
          "response does not conform to the OpenAPI document:\n  - "
              + String.join("\n  - ", problems)
              + "\nresponse: "
              + response.status()
              + " "
              + response.headers().map()
              + "\n"
              + abbreviate(response.body()));
    }
  }

  private List<String> responseProblems(
      String what, List<String> operationAt, Response response, boolean head) {
    List<String> problems = new ArrayList<>();
    String status = Integer.toString(response.status());
    List<String> responsesAt = append(operationAt, "responses");
    JsonNode responses = node(responsesAt).orElse(JsonNodeFactory.instance.objectNode());
    String key =
        responses.has(status)
            ? status
            : responses.has(status.charAt(0) + "XX")
                ? status.charAt(0) + "XX"
                : responses.has("default") ? "default" : null;
    if (key == null) {
      List<String> documented = new ArrayList<>();
      responses.fieldNames().forEachRemaining(documented::add);
      problems.add(
          what + ": status " + status + " is not documented (documented: " + documented + ")");
      return problems;
    }
    Resolved r = resolve(append(responsesAt, key)).orElseThrow();
    String where = what + " -> " + status;
    headerProblems(where, r, response, problems);
    JsonNode content = r.node().path("content");
    String body = response.body() == null ? "" : response.body();
    if (content.isMissingNode() || content.isEmpty()) {
      if (!body.isEmpty()) {
        problems.add(where + ": no body is documented, got " + abbreviate(body));
      }
      return problems;
    }
    String contentType = response.header("Content-Type").orElse("");
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!content.has(mediaType)) {
      List<String> documented = new ArrayList<>();
      content.fieldNames().forEachRemaining(documented::add);
      problems.add(
          where
              + ": Content-Type '"
              + contentType
              + "' is not a documented media type "
              + documented);
      return problems;
    }
    if (head) {
      if (!body.isEmpty()) {
        problems.add(where + ": a HEAD response must have no body, got " + abbreviate(body));
      }
      return problems;
    }
    List<String> schemaAt = append(r.at(), "content", mediaType, "schema");
    JsonNode instance;
    if (mediaType.equals("application/json") || mediaType.endsWith("+json")) {
      try {
        instance = MAPPER.readTree(body);
      } catch (JsonProcessingException e) {
        problems.add(where + ": body is not JSON: " + abbreviate(body));
        return problems;
      }
      if (instance == null || instance.isMissingNode()) {
        problems.add(where + ": a JSON body is documented, got an empty body");
        return problems;
      }
    } else {
      instance = JsonNodeFactory.instance.textNode(body);
    }
    if (node(schemaAt).isPresent()) {
      problems.addAll(schemaProblems(where + " body", schemaAt, instance));
    }
    return problems;
  }

  private void headerProblems(String where, Resolved r, Response response, List<String> out) {
    JsonNode headers = r.node().path("headers");
    headers
        .fieldNames()
        .forEachRemaining(
            name -> {
              Resolved h = resolve(append(r.at(), "headers", name)).orElseThrow();
              Optional<String> value = response.header(name);
              if (value.isEmpty()) {
                if (h.node().path("required").asBoolean(false)) {
                  out.add(where + ": required header " + name + " is missing");
                }
                return;
              }
              List<String> schemaAt = append(h.at(), "schema");
              Optional<JsonNode> schema = node(schemaAt);
              if (schema.isPresent()) {
                out.addAll(
                    schemaProblems(
                        where + " header " + name + "='" + value.get() + "'",
                        schemaAt,
                        headerValue(schema.get(), value.get())));
              }
            });
  }

  /** A header's text as the JSON value its schema describes: a number for integer schemas. */
  private static JsonNode headerValue(JsonNode schema, String text) {
    String type = schema.path("type").asText("");
    if (type.equals("integer")) {
      try {
        return JsonNodeFactory.instance.numberNode(Long.parseLong(text.trim()));
      } catch (NumberFormatException e) {
        // left as text, so the schema reports the wrong type
      }
    }
    return JsonNodeFactory.instance.textNode(text);
  }

  private List<String> schemaProblems(String where, List<String> schemaAt, JsonNode instance) {
    JsonSchema schema = schemas.computeIfAbsent(schemaAt, this::subSchema);
    Set<ValidationMessage> messages = schema.validate(instance);
    return messages.stream()
        .map(v -> where + ": " + v.getMessage())
        .sorted()
        .collect(Collectors.toList());
  }

  private JsonSchema subSchema(List<String> at) {
    JsonNodePath path = new JsonNodePath(PathType.JSON_POINTER);
    for (String segment : at) {
      path = path.append(segment);
    }
    return root.getSubSchema(path);
  }

  /** A node of the document and where it is, after following any {@code $ref}s to it. */
  private record Resolved(JsonNode node, List<String> at) {}

  private Optional<Resolved> resolve(List<String> at) {
    List<String> current = at;
    for (int hops = 0; hops < 10; hops++) {
      Optional<JsonNode> n = node(current);
      if (n.isEmpty()) {
        return Optional.empty();
      }
      JsonNode ref = n.get().get("$ref");
      if (ref == null) {
        return Optional.of(new Resolved(n.get(), current));
      }
      current = pointer(ref.asText());
    }
    throw new IllegalStateException("$ref chain too long at " + at);
  }

  private static List<String> pointer(String ref) {
    if (!ref.startsWith("#/")) {
      throw new IllegalStateException("only local references are supported, got " + ref);
    }
    List<String> out = new ArrayList<>();
    for (String s : ref.substring(2).split("/")) {
      out.add(s.replace("~1", "/").replace("~0", "~"));
    }
    return out;
  }

  private Optional<JsonNode> node(List<String> at) {
    JsonNode n = document;
    for (String segment : at) {
      n = n.get(segment);
      if (n == null) {
        return Optional.empty();
      }
    }
    return Optional.of(n);
  }

  private Optional<JsonNode> pathItem(String pathTemplate) {
    return Optional.ofNullable(document.path("paths").get(pathTemplate));
  }

  private static List<String> append(List<String> base, String... more) {
    List<String> out = new ArrayList<>(base);
    out.addAll(List.of(more));
    return out;
  }

  private static String abbreviate(String s) {
    return s.length() <= 500 ? s : s.substring(0, 500) + "... (" + s.length() + " characters)";
  }
}
