package dev.parlor.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parlor.http.RouteTable;
import dev.parlor.orgs.OrganizationService;
import dev.parlor.recordings.RecordingService;
import dev.parlor.testing.ApiClient;
import dev.parlor.testing.ApiClient.Response;
import dev.parlor.testing.Multipart;
import dev.parlor.testing.MutableClock;
import dev.parlor.testing.TestImages;
import dev.parlor.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Drives the real server through every operation and status it documents and checks each real
 * response against the document it serves at {@code GET /v1/openapi.json}; checks that the
 * document's paths and methods are exactly the routes the server serves.
 */
class OpenApiConformanceTest {
  /**
   * The server's clock stands still on the fifth of a month, so the HTTP dates it writes have a
   * one-digit day (which must still be written "05") and no rate-limit window refills mid-test.
   */
  static final Instant START = Instant.parse("2030-01-05T10:00:00Z");

  static final ObjectMapper MAPPER = new ObjectMapper();
  static final List<String> ALL_METHODS =
      List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE");

  static MutableClock clock;
  static TestServer server;
  static ApiClient api;
  static OpenApiValidator openApi;

  /** A limited organization whose budget the tests never spend, so X-RateLimit-* is always on. */
  static String key;

  static long keyOrganizationId;

  @BeforeAll
  static void start() {
    clock = new MutableClock(START);
    server = TestServer.start(Map.of(), clock);
    api = server.client();
    OrganizationService.Created keyOrg = server.newOrganizationWithId("1000000");
    key = keyOrg.apiKey();
    keyOrganizationId = keyOrg.organization().id();
    openApi = OpenApiValidator.fetch(api);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  // ---------------------------------------------------------------- the document itself

  @Test
  void theDocumentIsServedWithoutAKeyAsTheOpenApi31ResourceAndConformsToItself() {
    Response r = api.get("/v1/openapi.json", null);

    openApi.assertConforms("GET", "/openapi.json", r);
    assertThat(r.json()).isEqualTo(resource("/openapi/parlor-openapi.json"));
    assertThat(r.json().path("openapi").asText()).isEqualTo("3.1.0");
    assertThat(openApi.servedAt("/meetings")).isEqualTo("/v1/meetings");
    assertThat(openApi.servedAt("/healthz")).isEqualTo("/healthz");
  }

  @Test
  void everyOperationHasAUniqueIdASummaryAndErrorResponsesThatUseTheErrorSchema() {
    Set<String> ids = new LinkedHashSet<>();
    for (OpenApiValidator.Operation op : openApi.operations()) {
      assertThat(op.node().path("summary").asText()).as(op + " summary").isNotBlank();
      assertThat(ids.add(op.node().path("operationId").asText())).as(op + " operationId").isTrue();
      op.node()
          .path("responses")
          .properties()
          .forEach(
              e -> {
                if (e.getKey().startsWith("4") || e.getKey().startsWith("5")) {
                  assertThat(errorSchemaOf(e.getValue()))
                      .as(op + " " + e.getKey() + " is an Error")
                      .isTrue();
                }
              });
      if (op.notImplemented()) {
        assertThat(fieldNames(op.node().path("responses")))
            .as(op.toString())
            .containsExactly("501");
      }
    }
  }

  // ---------------------------------------------------------------- the routes

  @Test
  void theDocumentListsExactlyTheRoutesTheServerRegisters() {
    Set<String> served = new TreeSet<>();
    for (RouteTable.Route route : server.app().routes()) {
      for (String m : route.methods()) {
        served.add(m + " " + normalized(route.pattern()));
      }
    }
    Set<String> documented = new TreeSet<>();
    for (OpenApiValidator.Operation op : openApi.operations()) {
      String path = normalized(openApi.servedAt(op.pathTemplate()));
      documented.add(op.method() + " " + path);
      if (op.method().equals("GET")) {
        documented.add("HEAD " + path); // the document's convention: every GET also answers HEAD
      }
    }

    assertThat(documented).isEqualTo(served);
  }

  @Test
  void everyDocumentedOperationIsServedWithADocumentedResponseAlsoWithATrailingSlash() {
    for (OpenApiValidator.Operation op : openApi.operations()) {
      String path = concretePath(op.pathTemplate());
      for (String p : List.of(path, path + "/")) {
        Response r = api.send(op.method(), p, key, bodyFor(op));

        assertThat(r.status()).as(op + " at " + p + ": " + r).isNotIn(404, 405);
        openApi.assertConforms(op.method(), op.pathTemplate(), r);
      }
    }
  }

  @Test
  void everyMethodADocumentedPathDoesNotListAnswersADocumented405AllowingTheDocumentedOnes() {
    for (String template : openApi.pathTemplates()) {
      Set<String> documented = new TreeSet<>(openApi.methods(template));
      if (documented.contains("GET")) {
        documented.add("HEAD");
      }
      String path = concretePath(template);
      for (String m : ALL_METHODS) {
        if (documented.contains(m)) {
          continue;
        }
        Response r = api.send(m, path, key, null);

        assertThat(r.status()).as(m + " " + path + ": " + r).isEqualTo(405);
        assertThat(commaSeparated(r.header("Allow").orElse("")))
            .as("Allow of " + m + " " + path)
            .isEqualTo(documented);
        openApi.assertConforms(m, template, r);
      }
    }
  }

  @Test
  void headAnswersEveryDocumentedGetWithTheSameStatusAndNoBody() {
    for (OpenApiValidator.Operation op : openApi.operations()) {
      if (!op.method().equals("GET")) {
        continue;
      }
      String path = concretePath(op.pathTemplate());
      Response get = api.get(path, key);
      Response head = api.send("HEAD", path, key, null);

      assertThat(head.status()).as("HEAD " + path).isEqualTo(get.status());
      openApi.assertConforms("HEAD", op.pathTemplate(), head);
    }
  }

  @Test
  void aHeadAnswerCarriesTheLengthOfTheGetBodyAndNoBytesThatWouldCorruptTheNextAnswer()
      throws IOException {
    int length = api.get("/v1/openapi.json", null).body().getBytes(StandardCharsets.UTF_8).length;
    try (Socket socket = new Socket("127.0.0.1", server.app().port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(
          "HEAD /v1/openapi.json HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        assertThat(b).as("end of the HEAD answer's headers").isNotNegative();
        head.append((char) b);
      }
      out.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String next = new String(in.readNBytes(17), StandardCharsets.US_ASCII);

      assertThat(head.toString())
          .startsWith("HTTP/1.1 200")
          .contains("Content-Length: " + length + "\r\n");
      assertThat(next).startsWith("HTTP/1.1 200 OK\r\n");
    }
  }

  @Test
  void concretePathsResolveToTheirTemplatesPreferringLiteralSegments() {
    assertThat(openApi.templateOf("/v1/meetings")).hasValue("/meetings");
    assertThat(openApi.templateOf("/v1/meetings/")).hasValue("/meetings");
    assertThat(openApi.templateOf("/v1/meetings/42")).hasValue("/meetings/{meetingId}");
    assertThat(openApi.templateOf("/v1/recordings/bulk-delete"))
        .hasValue("/recordings/bulk-delete");
    assertThat(openApi.templateOf("/v1/recordings/abc")).hasValue("/recordings/{recordingId}");
    assertThat(openApi.templateOf("/healthz")).hasValue("/healthz");
    assertThat(openApi.templateOf("/v1/healthz")).isEmpty();
    assertThat(openApi.templateOf("/v1/nothing-here")).isEmpty();
  }

  // ---------------------------------------------------------------- 2xx

  static Stream<Arguments> acceptedBodies() {
    return Stream.of(
        Arguments.of("only an end date", ""),
        Arguments.of("an end date with an offset", "'endDate':'OFFSET_END'"),
        Arguments.of("both extra URLs", "'fields':['hostRoomUrl','viewerRoomUrl']"),
        Arguments.of("no extra URLs", "'fields':[]"),
        Arguments.of("the ignored dialIn field", "'fields':['dialIn'],'isDialInEnabled':true"),
        Arguments.of("viewer mode", "'templateType':'viewerMode'"),
        Arguments.of(
            "a prefix, a short name, group mode and a lock",
            "'roomNamePrefix':'/team-a-','roomNamePattern':'human-short','roomMode':'group',"
                + "'isLocked':true"),
        Arguments.of(
            "a full cloud recording to S3-compatible storage",
            "'recording':{'type':'cloud','startTrigger':'automatic-2nd-participant',"
                + "'destination':{'provider':'s3','authenticationType':'accessKey',"
                + "'bucket':'b/rec','region':'eu-west-1','endpoint':'https://minio.example',"
                + "'accessKeyId':'id','accessKeySecret':'secret','fileFormat':'mp4'}}"),
        Arguments.of(
            "a recording that inherits destination and trigger",
            "'recording':{'type':'local','destination':null,'startTrigger':null}"),
        Arguments.of(
            "streaming",
            "'streaming':{'destination':{'url':'rtmp://a.rtmp.youtube.com/live2/k'},"
                + "'startTrigger':'prompt'}"),
        Arguments.of(
            "streaming that inherits everything",
            "'streaming':{'destination':null,'startTrigger':null}"),
        Arguments.of(
            "live transcription",
            "'liveTranscription':{'destination':{'provider':'s3','authenticationType':'roleBased',"
                + "'bucket':'b','region':'us-east-1','oidcRoleArn':'arn:aws:iam::1:role/r'},"
                + "'startTrigger':'manual','language':'pt-BR','liveCaptions':true}"),
        Arguments.of(
            "null for every optional member",
            "'startDate':null,'isLocked':null,'isDialInEnabled':null,'roomMode':null,"
                + "'roomNamePrefix':null,'roomNamePattern':null,'templateType':null,"
                + "'recording':null,'streaming':null,'liveTranscription':null,'fields':null"),
        Arguments.of(
            "an ignored start date and an unknown member",
            "'startDate':'0001-01-01T00:00:00Z','somethingNew':{'x':1}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("acceptedBodies")
  void everyKindOfAcceptedCreateBodyFitsTheRequestSchemaAndAnswersADocumented201(
      String description, String members) {
    String body = meetingBody(members);

    assertThat(openApi.requestBodyProblems("POST", "/meetings", json(body))).isEmpty();
    Response r = api.post("/v1/meetings", key, body);

    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    openApi.assertConforms("POST", "/meetings", r);
  }

  @Test
  void readingAMeetingAnswersADocumented200WithAndWithoutTheExtraUrls() {
    String id = createMeeting();
    for (String query :
        List.of(
            "",
            "?fields=hostRoomUrl",
            "?fields=hostRoomUrl,viewerRoomUrl",
            "?fields=hostRoomUrl%2CviewerRoomUrl",
            "?fields=viewerRoomUrl&fields=hostRoomUrl",
            "?fields=")) {
      Response r = api.get("/v1/meetings/" + id + query, key);

      assertThat(r.status()).as(query + ": " + r).isEqualTo(200);
      openApi.assertConforms("GET", "/meetings/{meetingId}", r);
    }
    Response viewer = api.post("/v1/meetings", key, meetingBody("'templateType':'viewerMode'"));
    Response read = api.get("/v1/meetings/" + viewer.json().get("meetingId").asText(), key);
    openApi.assertConforms("GET", "/meetings/{meetingId}", read);
    assertThat(read.json().has("hostRoomUrl") && read.json().has("viewerRoomUrl")).isTrue();
  }

  @Test
  void listingPagesThroughMeetingsWithDocumentedPagesAndANullCursorOnTheLast() {
    String own = server.newOrganization("1000000");
    for (int i = 0; i < 3; i++) {
      assertThat(api.post("/v1/meetings", own, meetingBody()).status()).isEqualTo(201);
    }

    Response first = api.get("/v1/meetings?limit=2&fields=hostRoomUrl", own);
    openApi.assertConforms("GET", "/meetings", first);
    assertThat(first.json().get("results")).hasSize(2);
    assertThat(first.json().get("cursor").isTextual()).isTrue();

    Response last =
        api.get("/v1/meetings?limit=2&cursor=" + first.json().get("cursor").asText(), own);
    openApi.assertConforms("GET", "/meetings", last);
    assertThat(last.json().get("results")).hasSize(1);
    assertThat(last.json().get("cursor").isNull()).isTrue();

    Response empty = api.get("/v1/meetings", server.newOrganization("1000000"));
    openApi.assertConforms("GET", "/meetings", empty);
  }

  @Test
  void deletingAMeetingAnswersADocumented204WithNoBodyAgainAndAgain() {
    String id = createMeeting();

    for (int i = 0; i < 2; i++) {
      Response r = api.delete("/v1/meetings/" + id, key);
      assertThat(r.status()).isEqualTo(204);
      openApi.assertConforms("DELETE", "/meetings/{meetingId}", r);
    }
    Response unknown = api.delete("/v1/meetings/not-a-meeting", key);
    assertThat(unknown.status()).isEqualTo(204);
    openApi.assertConforms("DELETE", "/meetings/{meetingId}", unknown);
  }

  @Test
  void theOperationalEndpointsAnswerAsDocumentedWithoutAKey() {
    for (String path : List.of("/healthz", "/readyz", "/metrics", "/v1/openapi.json")) {
      Response r = api.get(path, null);

      assertThat(r.status()).as(path).isEqualTo(200);
      openApi.assertConforms("GET", openApi.templateOf(path).orElseThrow(), r);
    }
  }

  // ---------------------------------------------------------------- recordings

  @Test
  void listingRecordingsInEveryOrderAnswersDocumentedPagesAndReadingOneADocumented200() {
    for (int i = 0; i < 3; i++) {
      createRecording();
    }
    for (String sortBy :
        List.of("", "&sortBy=roomName:asc", "&sortBy=duration:desc", "&sortBy=sizeInMegaBytes")) {
      Response first = api.get("/v1/recordings?limit=2" + sortBy, key);
      openApi.assertConforms("GET", "/recordings", first);
      assertThat(first.json().get("results")).hasSize(2);
      Response next =
          api.get(
              "/v1/recordings?limit=100"
                  + sortBy
                  + "&cursor="
                  + first.json().get("cursor").asText(),
              key);
      openApi.assertConforms("GET", "/recordings", next);
      assertThat(next.json().get("cursor").isNull()).isTrue();
    }
    Response filtered = api.get("/v1/recordings?roomName=/conformance-room", key);
    openApi.assertConforms("GET", "/recordings", filtered);
    Response read = api.get("/v1/recordings/" + createRecording(), key);
    assertThat(read.status()).isEqualTo(200);
    openApi.assertConforms("GET", "/recordings/{recordingId}", read);
    for (String bad : List.of("limit=0", "sortBy=size:asc", "cursor=nope")) {
      Response r = api.get("/v1/recordings?" + bad, key);
      assertThat(r.status()).as(bad).isEqualTo(400);
      openApi.assertConforms("GET", "/recordings", r);
    }
  }

  @Test
  void deletingRecordingsOneByOneAndInBulkAnswersDocumented204sAndBadBulkBodiesDocumented400s() {
    String id = createRecording();
    for (int i = 0; i < 2; i++) {
      Response r = api.delete("/v1/recordings/" + id, key);
      assertThat(r.status()).isEqualTo(204);
      openApi.assertConforms("DELETE", "/recordings/{recordingId}", r);
    }
    String bulk = "{\"recordingIds\":[\"" + createRecording() + "\",\"unknown\"]}";
    assertThat(openApi.requestBodyProblems("POST", "/recordings/bulk-delete", json(bulk)))
        .isEmpty();
    Response accepted = api.post("/v1/recordings/bulk-delete", key, bulk);
    assertThat(accepted.status()).isEqualTo(204);
    openApi.assertConforms("POST", "/recordings/bulk-delete", accepted);
    for (String bad : List.of("{}", "{\"recordingIds\":[3]}", "[")) {
      Response r = api.post("/v1/recordings/bulk-delete", key, bad);
      assertThat(r.status()).as(bad).isEqualTo(400);
      openApi.assertConforms("POST", "/recordings/bulk-delete", r);
    }
  }

  @Test
  void anAccessLinkAndTheFileBehindItAnswerAsDocumentedWholeRangedTamperedAndDeleted() {
    String id = createRecording();
    Response link = api.get("/v1/recordings/" + id + "/access-link?validForSeconds=600", key);
    assertThat(link.status()).isEqualTo(200);
    openApi.assertConforms("GET", "/recordings/{recordingId}/access-link", link);
    Response badValidity = api.get("/v1/recordings/" + id + "/access-link?validForSeconds=0", key);
    assertThat(badValidity.status()).isEqualTo(400);
    openApi.assertConforms("GET", "/recordings/{recordingId}/access-link", badValidity);
    Response unknown =
        api.get("/v1/recordings/" + java.util.UUID.randomUUID() + "/access-link", key);
    assertThat(unknown.status()).isEqualTo(404);
    openApi.assertConforms("GET", "/recordings/{recordingId}/access-link", unknown);

    String url = link.json().get("accessLink").asText();
    String path = url.substring(url.indexOf("/recordings/"));
    String template = "/recordings/{recordingId}/file";
    Response whole = api.get(path, null);
    assertThat(whole.status()).isEqualTo(200);
    openApi.assertConforms("GET", template, whole);
    Response head = api.send("HEAD", path, null, null);
    assertThat(head.status()).isEqualTo(200);
    openApi.assertConforms("HEAD", template, head);
    Response range = api.send("GET", path, null, null, "Range", "bytes=2-5");
    assertThat(range.status()).isEqualTo(206);
    openApi.assertConforms("GET", template, range);
    Response past = api.send("GET", path, null, null, "Range", "bytes=100-");
    assertThat(past.status()).isEqualTo(416);
    openApi.assertConforms("GET", template, past);
    Response tampered = api.get(path.replace("expires=", "expires=1"), null);
    assertThat(tampered.status()).isEqualTo(403);
    openApi.assertConforms("GET", template, tampered);
    api.delete("/v1/recordings/" + id, key);
    Response gone = api.get(path, null);
    assertThat(gone.status()).isEqualTo(404);
    openApi.assertConforms("GET", template, gone);
  }

  @Test
  void anAccessLinkToARoleBasedS3RecordingAnswersADocumented403() {
    String roleBased =
        "{\"provider\":\"s3\",\"authenticationType\":\"roleBased\",\"bucket\":\"b\","
            + "\"oidcRoleArn\":\"arn:aws:iam::1:role/r\"}";
    String id =
        server
            .app()
            .recordings()
            .addInCustomerBucket(
                new RecordingService.Finished(
                    keyOrganizationId,
                    "/role-room",
                    "s",
                    clock.instant().minusSeconds(5),
                    clock.instant(),
                    "mp4"),
                roleBased,
                10)
            .recordingId();

    Response r = api.get("/v1/recordings/" + id + "/access-link", key);

    assertThat(r.status()).isEqualTo(403);
    openApi.assertConforms("GET", "/recordings/{recordingId}/access-link", r);
  }

  // ---------------------------------------------------------------- insights

  /** A second server with its own clock, so moving time cannot disturb the other tests. */
  private static TestServer insightsServer(MutableClock own) {
    return TestServer.start(Map.of(), own);
  }

  private static void join(
      dev.parlor.insights.RoomActivity a,
      String room,
      String conn,
      String participant,
      dev.parlor.insights.Role role,
      String externalId,
      MutableClock c) {
    a.participantConnected(
        new dev.parlor.insights.RoomActivity.Join(
            room,
            conn,
            participant,
            "dev-" + participant,
            role,
            "Name " + participant,
            externalId,
            "Mozilla/5.0",
            c.instant()));
  }

  @Test
  void theInsightsEndpointsAnswerDocumented200sWithRunningEndedAndEmptyHistories() {
    MutableClock own = new MutableClock(START);
    try (TestServer s = insightsServer(own)) {
      String k = s.newOrganization("1000000");
      ApiClient c = s.client();
      dev.parlor.insights.RoomActivity a = s.app().roomActivity();
      String quiet = c.post("/v1/meetings", k, meetingBody()).json().get("roomName").asText();
      String busy = c.post("/v1/meetings", k, meetingBody()).json().get("roomName").asText();
      join(a, busy, "c1", "alice", dev.parlor.insights.Role.HOST, "ext-1", own);
      join(a, busy, "c2", "bob", dev.parlor.insights.Role.VISITOR, null, own);
      join(a, busy, "c3", "rec", dev.parlor.insights.Role.RECORDER, null, own);
      for (int i = 0; i < 5; i++) {
        own.advance(Duration.ofSeconds(2));
        a.networkSample("c1", own.instant(), 0.5 * i, 1.25, 1_200_000, 800_000);
      }
      a.mediaEvent("c1", dev.parlor.insights.MediaEvent.CAMERA_OFF, own.instant());
      a.mediaEvent("c1", dev.parlor.insights.MediaEvent.SCREENSHARE_ON, own.instant());
      own.advance(Duration.ofMinutes(2));
      a.participantDisconnected("c2", own.instant());
      a.tick();
      a.flush();

      Response rooms = c.get("/v1/insights/rooms?limit=1", k);
      openApi.assertConforms("GET", "/insights/rooms", rooms);
      assertThat(rooms.json().get("cursor").isTextual()).isTrue();
      Response next =
          c.get("/v1/insights/rooms?limit=1&cursor=" + rooms.json().get("cursor").asText(), k);
      openApi.assertConforms("GET", "/insights/rooms", next);
      assertThat(next.json().get("cursor").isNull()).isTrue();
      List<String> names = new ArrayList<>();
      for (Response r : List.of(rooms, next)) {
        names.add(r.json().at("/results/0/roomName").asText());
      }
      assertThat(names).containsExactlyInAnyOrder(quiet, busy);

      Response running = c.get("/v1/insights/room-sessions?roomName=" + urlEncode(busy), k);
      openApi.assertConforms("GET", "/insights/room-sessions", running);
      assertThat(running.json().at("/results/0/endedAt").isNull()).isTrue();
      String session = running.json().at("/results/0/roomSessionId").asText();

      Response people = c.get("/v1/insights/participants?roomSessionId=" + session, k);
      openApi.assertConforms("GET", "/insights/participants", people);
      assertThat(people.json().get("results")).hasSize(3);
      Response byExternal = c.get("/v1/insights/participants?externalId=ext-1", k);
      openApi.assertConforms("GET", "/insights/participants", byExternal);
      assertThat(byExternal.json().get("results")).hasSize(1);

      Response detail =
          c.get("/v1/insights/participant?roomSessionId=" + session + "&participantId=alice", k);
      openApi.assertConforms("GET", "/insights/participant", detail);
      assertThat(detail.json().at("/0/samples/bitrateSend")).hasSize(5);
      assertThat(detail.json().at("/0/events")).hasSize(2);
      Response unknown =
          c.get(
              "/v1/insights/participant?roomSessionId="
                  + java.util.UUID.randomUUID()
                  + "&participantId=alice",
              k);
      openApi.assertConforms("GET", "/insights/participant", unknown);
      assertThat(unknown.json()).isEmpty();

      own.advance(Duration.ofMinutes(5));
      a.participantDisconnected("c1", own.instant());
      a.participantDisconnected("c3", own.instant());
      own.advance(Duration.ofMinutes(5));
      a.tick();
      a.flush();
      Response ended = c.get("/v1/insights/room-sessions?roomName=" + urlEncode(busy), k);
      openApi.assertConforms("GET", "/insights/room-sessions", ended);
      assertThat(ended.json().at("/results/0/endedAt").isTextual()).isTrue();
      Response left = c.get("/v1/insights/participants?roomSessionId=" + session, k);
      openApi.assertConforms("GET", "/insights/participants", left);
      Response sorted = c.get("/v1/insights/rooms?sortBy=totalSessions:asc", k);
      openApi.assertConforms("GET", "/insights/rooms", sorted);
      assertThat(sorted.json().at("/results/0/firstSessionStartedAt").isNull()).isTrue();
      assertThat(sorted.json().at("/results/1/totalSessions").asInt()).isEqualTo(1);
    }
  }

  @Test
  void badInsightsParametersAnswerADocumented400NamingThem() {
    String session = java.util.UUID.randomUUID().toString();
    Map<String, String[]> cases = new java.util.LinkedHashMap<>();
    cases.put("/insights/rooms?sortBy=name:asc", new String[] {"/insights/rooms", "sortBy"});
    cases.put(
        "/insights/rooms?sortBy=totalSessions:up", new String[] {"/insights/rooms", "sortBy"});
    cases.put(
        "/insights/rooms?createdAt%5Bfrom%5D=yesterday",
        new String[] {"/insights/rooms", "createdAt[from]"});
    cases.put(
        "/insights/rooms?createdAt%5Bto%5D=2030-13-01T00:00:00Z",
        new String[] {"/insights/rooms", "createdAt[to]"});
    cases.put(
        "/insights/rooms?roomName%5Bexactly%5D=x",
        new String[] {"/insights/rooms", "roomName[exactly]"});
    cases.put("/insights/rooms?limit=0", new String[] {"/insights/rooms", "limit"});
    cases.put("/insights/rooms?limit=101", new String[] {"/insights/rooms", "limit"});
    cases.put("/insights/rooms?cursor=tampered.cursor", new String[] {"/insights/rooms", "cursor"});
    cases.put("/insights/room-sessions", new String[] {"/insights/room-sessions", "roomName"});
    cases.put(
        "/insights/room-sessions?roomName=/x&roomSessionId=nope",
        new String[] {"/insights/room-sessions", "roomSessionId"});
    cases.put(
        "/insights/room-sessions?roomName=/x&sortBy=joinedAt:asc",
        new String[] {"/insights/room-sessions", "sortBy"});
    cases.put("/insights/participants", new String[] {"/insights/participants", "roomSessionId"});
    cases.put(
        "/insights/participants?externalId=e&sortBy=startedAt:asc",
        new String[] {"/insights/participants", "sortBy"});
    cases.put(
        "/insights/participants?externalId=e&limit=x",
        new String[] {"/insights/participants", "limit"});
    cases.put(
        "/insights/participant?participantId=p",
        new String[] {"/insights/participant", "roomSessionId"});
    cases.put(
        "/insights/participant?roomSessionId=" + session,
        new String[] {"/insights/participant", "participantId"});
    cases.forEach(
        (query, expected) -> {
          Response r = api.get("/v1" + query, key);

          assertThat(r.status()).as(query + ": " + r).isEqualTo(400);
          openApi.assertConforms("GET", expected[0], r);
          assertThat(r.json().at("/data/field").asText()).as(query).isEqualTo(expected[1]);
          assertThat(r.json().get("error").asText()).as(query).contains(expected[1]);
        });
  }

  @Test
  void aRoomInsightsDateWithoutMillisecondsOrAnUnknownRoleFailsValidation() {
    Response real = api.get("/v1/insights/rooms", key);
    String room =
        "{\"roomName\":\"/r\",\"createdAt\":\"2030-01-05T10:00:00Z\","
            + "\"endAt\":\"2030-01-05T11:00:00.000Z\",\"firstSessionStartedAt\":null,"
            + "\"lastSessionStartedAt\":null,\"totalParticipantMinutes\":0,"
            + "\"totalRecorderMinutes\":0,\"totalStreamerMinutes\":0,"
            + "\"totalUniqueParticipants\":0,\"totalUniqueRecorders\":0,"
            + "\"totalUniqueStreamers\":0,\"totalSessions\":0}";

    assertThat(
            problems(
                "GET",
                "/insights/rooms",
                withBody(real, "{\"results\":[" + room + "],\"cursor\":null}")))
        .anyMatch(p -> p.contains("$.results[0].createdAt"));
    assertThat(
            problems(
                "GET",
                "/insights/rooms",
                withBody(
                    real,
                    "{\"results\":["
                        + room.replace("10:00:00Z", "10:00:00.000Z")
                        + "],\"cursor\":null}")))
        .isEmpty();
  }

  // ---------------------------------------------------------------- 400

  static Stream<Arguments> rejectedBodies() {
    return Stream.of(
        Arguments.of("{}", "endDate"),
        Arguments.of("{'endDate':null}", "endDate"),
        Arguments.of("{'endDate':12}", "endDate"),
        Arguments.of("{'endDate':'tomorrow'}", "endDate"),
        Arguments.of(meetingBody("'roomMode':'big'"), "roomMode"),
        Arguments.of(meetingBody("'roomNamePattern':'long'"), "roomNamePattern"),
        Arguments.of(meetingBody("'templateType':'hostMode'"), "templateType"),
        Arguments.of(meetingBody("'roomNamePrefix':'no_underscores'"), "roomNamePrefix"),
        Arguments.of(meetingBody("'roomNamePrefix':'" + "a".repeat(40) + "'"), "roomNamePrefix"),
        Arguments.of(meetingBody("'roomNamePrefix':7"), "roomNamePrefix"),
        Arguments.of(meetingBody("'isLocked':'yes'"), "isLocked"),
        Arguments.of(meetingBody("'isDialInEnabled':'no'"), "isDialInEnabled"),
        Arguments.of(meetingBody("'fields':'hostRoomUrl'"), "fields"),
        Arguments.of(meetingBody("'fields':['dialOut']"), "fields"),
        Arguments.of(meetingBody("'fields':[1]"), "fields"),
        Arguments.of(meetingBody("'recording':'cloud'"), "recording"),
        Arguments.of(meetingBody("'recording':{}"), "recording.type"),
        Arguments.of(meetingBody("'recording':{'type':'tape'}"), "recording.type"),
        Arguments.of(
            meetingBody("'recording':{'type':'cloud','startTrigger':'later'}"),
            "recording.startTrigger"),
        Arguments.of(
            meetingBody("'recording':{'type':'cloud','destination':{}}"),
            "recording.destination.provider"),
        Arguments.of(
            meetingBody("'recording':{'type':'cloud','destination':{'provider':'dropbox'}}"),
            "recording.destination.provider"),
        Arguments.of(
            meetingBody("'recording':{'type':'cloud','destination':{'provider':'s3','region':5}}"),
            "recording.destination.region"),
        Arguments.of(
            meetingBody(
                "'recording':{'type':'cloud','destination':{'provider':'s3','fileFormat':'avi'}}"),
            "recording.destination.fileFormat"),
        Arguments.of(meetingBody("'streaming':{'destination':{}}"), "streaming.destination.url"),
        Arguments.of(
            meetingBody("'streaming':{'startTrigger':'manual'}"), "streaming.startTrigger"),
        Arguments.of(
            meetingBody("'liveTranscription':{'language':'xx'}"), "liveTranscription.language"),
        Arguments.of(
            meetingBody("'liveTranscription':{'startTrigger':'prompt'}"),
            "liveTranscription.startTrigger"),
        Arguments.of(
            meetingBody("'liveTranscription':{'liveCaptions':'on'}"),
            "liveTranscription.liveCaptions"),
        Arguments.of(
            meetingBody("'liveTranscription':{'destination':{'provider':'s3','bucket':[]}}"),
            "liveTranscription.destination.bucket"));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("rejectedBodies")
  void aBadFieldAnswersADocumented400NamingItAndBreaksTheRequestSchema(String body, String field) {
    String json = body.replace('\'', '"');

    assertThat(openApi.requestBodyProblems("POST", "/meetings", json(json)))
        .as("request schema problems of " + json)
        .isNotEmpty();
    Response r = api.post("/v1/meetings", key, json);

    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    openApi.assertConforms("POST", "/meetings", r);
    assertThat(r.json().at("/data/field").asText()).isEqualTo(field);
  }

  @Test
  void aPastEndDateAnswersADocumented400NamingIt() {
    Response r =
        api.post(
            "/v1/meetings",
            key,
            "{\"endDate\":\"" + clock.instant().minus(Duration.ofMinutes(1)) + "\"}");

    assertThat(r.status()).isEqualTo(400);
    openApi.assertConforms("POST", "/meetings", r);
    assertThat(r.json().at("/data/field").asText()).isEqualTo("endDate");
  }

  @Test
  void malformedJsonAndBodiesThatAreNotObjectsAnswerADocumented400() {
    for (String body : List.of("{bad", "{\"endDate\":", "[1]", "\"text\"", "{} {}")) {
      Response r = api.post("/v1/meetings", key, body);

      assertThat(r.status()).as(body).isEqualTo(400);
      openApi.assertConforms("POST", "/meetings", r);
    }
  }

  @Test
  void badQueryParametersAnswerADocumented400NamingThem() {
    String id = createMeeting();
    Map<String, String> listQueries =
        Map.of(
            "?limit=0", "limit",
            "?limit=101", "limit",
            "?limit=ten", "limit",
            "?cursor=tampered.cursor", "cursor",
            "?fields=dialOut", "fields");
    listQueries.forEach(
        (query, field) -> {
          Response r = api.get("/v1/meetings" + query, key);

          assertThat(r.status()).as(query).isEqualTo(400);
          openApi.assertConforms("GET", "/meetings", r);
          assertThat(r.json().at("/data/field").asText()).isEqualTo(field);
        });
    Response r = api.get("/v1/meetings/" + id + "?fields=dialOut", key);
    assertThat(r.status()).isEqualTo(400);
    openApi.assertConforms("GET", "/meetings/{meetingId}", r);
  }

  // ---------------------------------------------------------------- 401, 404, 405, 413

  @Test
  void everyImplementedOperationThatNeedsAKeyAnswersADocumented401WithoutAValidOne() {
    String id = createMeeting();
    for (OpenApiValidator.Operation op : openApi.operations()) {
      if (op.notImplemented() || !needsKey(op)) {
        continue;
      }
      String path =
          openApi
              .servedAt(op.pathTemplate())
              .replace("{meetingId}", id)
              .replace("{recordingId}", createRecording())
              .replace("{roomName}", "my-room");
      for (String[] auth :
          List.of(
              new String[] {},
              new String[] {"Authorization", "Bearer not-a-key-of-anyone"},
              new String[] {"Authorization", "Basic " + key})) {
        Response r = api.send(op.method(), path, null, bodyFor(op), auth);

        assertThat(r.status()).as(op + " " + Arrays.toString(auth)).isEqualTo(401);
        openApi.assertConforms(op.method(), op.pathTemplate(), r);
      }
    }
  }

  @Test
  void anUnknownDeletedOrForeignMeetingAnswersADocumented404() {
    String deleted = createMeeting();
    api.delete("/v1/meetings/" + deleted, key);
    String foreign = createMeeting();
    String other = server.newOrganization("1000000");

    for (String[] call :
        List.of(
            new String[] {"999999999", key},
            new String[] {"not-a-number", key},
            new String[] {deleted, key},
            new String[] {foreign, other})) {
      Response r = api.get("/v1/meetings/" + call[0], call[1]);

      assertThat(r.status()).as(call[0]).isEqualTo(404);
      openApi.assertConforms("GET", "/meetings/{meetingId}", r);
    }
  }

  @Test
  void aMeetingIdWrittenInOtherScriptsDigitsIsNotFound() {
    String id = createMeeting();
    // The same number in Arabic-Indic digits: decimal digits to Character.isDigit, not to clients.
    String arabic =
        id.chars()
            .mapToObj(c -> String.valueOf((char) ('\u0660' + (c - '0'))))
            .collect(Collectors.joining());

    Response r = api.get("/v1/meetings/" + urlEncode(arabic), key);

    assertThat(r.status()).as(r.toString()).isEqualTo(404);
    openApi.assertConforms("GET", "/meetings/{meetingId}", r);
  }

  @Test
  void anUnknownPathAnswersADocumented404InsideAndOutsideV1() {
    for (String path : List.of("/v1/nothing-here", "/v1", "/v1/meetings/1/extra", "/nothing")) {
      Response r = api.get(path, key);

      assertThat(openApi.templateOf(path)).as(path).isEmpty();
      assertThat(r.status()).as(path).isEqualTo(404);
      openApi.assertConformsAsUnknownPath("GET", r);
    }
  }

  @Test
  void aKnownPathAskedWithAnotherMethodAnswersADocumented405() {
    Response put = api.send("PUT", "/v1/meetings", key, meetingBody());
    Response patch = api.send("PATCH", "/v1/meetings/1", key, "{}");
    Response post = api.send("POST", "/healthz", null, "{}");

    openApi.assertConforms("PUT", "/meetings", put);
    openApi.assertConforms("PATCH", "/meetings/{meetingId}", patch);
    openApi.assertConforms("POST", "/healthz", post);
    assertThat(List.of(put.status(), patch.status(), post.status())).containsOnly(405);
  }

  @Test
  void aBodyOverOneMegabyteAnswersADocumented413DeclaredOrStreamed() {
    byte[] big =
        ("{\"endDate\":\"" + "x".repeat(1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);

    Response declared = api.post("/v1/meetings", key, new String(big, StandardCharsets.UTF_8));
    Response streamed =
        api.send(
            HttpRequest.newBuilder(api.uri("/v1/meetings"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                .build());

    for (Response r : List.of(declared, streamed)) {
      assertThat(r.status()).isEqualTo(413);
      openApi.assertConforms("POST", "/meetings", r);
    }
  }

  // ---------------------------------------------------------------- 429

  @Test
  void anOrganizationOverItsPlanAnswersADocumented429WithRetryAfterAndRateLimitHeaders() {
    OrganizationService.Created tiny = server.newOrganizationWithId("3");
    for (int i = 0; i < 3; i++) {
      Response ok = api.get("/v1/meetings", tiny.apiKey());
      assertThat(ok.status()).isEqualTo(200);
      openApi.assertConforms("GET", "/meetings", ok);
    }

    Response r = api.get("/v1/meetings", tiny.apiKey());

    assertThat(r.status()).isEqualTo(429);
    openApi.assertConforms("GET", "/meetings", r);
    assertThat(r.json().get("error").asText())
        .isEqualTo("Rate limit active for throttle key: organization:" + tiny.organization().id());
    assertThat(r.header("X-RateLimit-Limit")).hasValue("3");
    assertThat(r.header("X-RateLimit-Remaining")).hasValue("0");
    assertThat(r.header("X-RateLimit-Reset")).hasValue("Sat, 05 Jan 2030 10:01:00 GMT");
    Response post = api.post("/v1/meetings", tiny.apiKey(), meetingBody());
    assertThat(post.status()).isEqualTo(429);
    openApi.assertConforms("POST", "/meetings", post);
  }

  @Test
  void tooManyFailedAuthenticationsAnswerADocumented429WithoutRateLimitHeaders() {
    try (TestServer guarded = TestServer.start(Map.of("PARLOR_AUTH_FAILURE_LIMIT", "30"))) {
      Response r = null;
      for (int i = 0; i < 31; i++) {
        r = guarded.client().get("/v1/meetings", "wrong-key-" + i);
        if (r.status() == 429) {
          break;
        }
        openApi.assertConforms("GET", "/meetings", r);
      }

      assertThat(r.status()).isEqualTo(429);
      openApi.assertConforms("GET", "/meetings", r);
      assertThat(r.json().get("error").asText())
          .startsWith("Rate limit active for throttle key: ip:");
      assertThat(r.header("X-RateLimit-Limit")).isEmpty();
    }
  }

  // ---------------------------------------------------------------- 501, 503

  @Test
  void everyNotImplementedEndpointAnswersADocumented501() {
    List<String> checked = new ArrayList<>();
    for (OpenApiValidator.Operation op : openApi.operations()) {
      if (!op.notImplemented()) {
        continue;
      }
      Response r = api.send(op.method(), concretePath(op.pathTemplate()), key, bodyFor(op));

      assertThat(r.status()).as(op.toString()).isEqualTo(501);
      openApi.assertConforms(op.method(), op.pathTemplate(), r);
      checked.add(op.toString());
    }
    assertThat(checked).contains("GET /transcriptions", "GET /summaries");
  }

  @Test
  void aRoomNameMayCarryItsSlashLiterallyOrEncoded() {
    String name = createRoom();
    for (String room : List.of(name, "%2F" + name, "/" + name)) {
      Response r = api.send("PUT", "/v1/rooms/" + room + "/theme/tokens", key, "{}");

      assertThat(r.status()).as(room).isEqualTo(204);
      openApi.assertConforms("PUT", "/rooms/{roomName}/theme/tokens", r);
    }
  }

  // ---------------------------------------------------------------- room themes

  static final String TOKENS = "/rooms/{roomName}/theme/tokens";
  static final String LOGO = "/rooms/{roomName}/theme/logo";
  static final String BACKGROUND = "/rooms/{roomName}/theme/room-background";
  static final String KNOCK = "/rooms/{roomName}/theme/room-knock-page-background";
  static final String THEME_JSON = "/rooms/{roomName}/theme.json";
  static final String THEME_IMAGE = "/rooms/{roomName}/theme/{file}";

  private static Response putImage(String room, String endpoint, String type, byte[] image) {
    Multipart body = Multipart.image("upload", type, image);
    return api.sendBytes(
        "PUT", "/v1/rooms/" + room + "/theme/" + endpoint, key, body.contentType(), body.bytes());
  }

  @Test
  void settingColorsAnswersDocumented204s400sAnd404s() {
    String room = createRoom();
    String tokens = "/v1/rooms/" + room + "/theme/tokens";
    String custom =
        "{'tokensPreset':'custom','tokens':{'colors':{'primary':'#112233','secondary':'#445566',"
            + "'focus':'#778899'}}}";

    assertThat(openApi.requestBodyProblems("PUT", TOKENS, json(custom.replace('\'', '"'))))
        .isEmpty();
    for (String[] call :
        new String[][] {
          {tokens, custom, "204"},
          {tokens, "{'tokensPreset':'default'}", "204"},
          {tokens, "{'tokens':{'colors':{'primary':'red'}},'tokensPreset':'custom'}", "400"},
          {tokens, "{'tokensPreset':'sometimes'}", "400"},
          {"/v1/rooms/no-such-room/theme/tokens", custom, "404"}
        }) {
      Response r = api.send("PUT", call[0], key, call[1].replace('\'', '"'));

      assertThat(r.status()).as(call[1] + ": " + r).isEqualTo(Integer.parseInt(call[2]));
      openApi.assertConforms("PUT", TOKENS, r);
    }
    Response foreign = api.send("PUT", tokens, server.newOrganization("1000000"), "{}");
    assertThat(foreign.status()).isEqualTo(404);
    openApi.assertConforms("PUT", TOKENS, foreign);
  }

  @Test
  void uploadingImagesAnswersDocumented204s400sAnd413s() {
    String room = createRoom();
    List<Object[]> calls =
        List.of(
            new Object[] {LOGO, "logo", "image/png", TestImages.png(400, 100), 204},
            new Object[] {
              BACKGROUND, "room-background", "image/jpeg", TestImages.jpeg(1400, 700), 204
            },
            new Object[] {
              KNOCK, "room-knock-page-background", "image/webp", TestImages.lossyWebp(), 204
            },
            new Object[] {
              LOGO, "logo", "image/png", "not an image".getBytes(StandardCharsets.UTF_8), 400
            },
            new Object[] {
              BACKGROUND,
              "room-background",
              "image/png",
              TestImages.pngDeclaring(100_000, 100_000),
              400
            },
            new Object[] {
              BACKGROUND, "room-background", "image/png", TestImages.noisePng(500, 500), 413
            },
            new Object[] {LOGO, "logo", "image/png", TestImages.noisePng(700, 700), 413});
    for (Object[] c : calls) {
      Response r = putImage(room, (String) c[1], (String) c[2], (byte[]) c[3]);

      assertThat(r.status()).as(c[1] + " " + c[2] + ": " + r).isEqualTo((int) c[4]);
      openApi.assertConforms("PUT", (String) c[0], r);
    }
    for (String[] c :
        new String[][] {
          {LOGO, "logo"}, {BACKGROUND, "room-background"}, {KNOCK, "room-knock-page-background"}
        }) {
      Response wrongType =
          api.sendBytes(
              "PUT", "/v1/rooms/" + room + "/theme/" + c[1], key, "text/plain", new byte[] {1});
      assertThat(wrongType.status()).isEqualTo(400);
      assertThat(wrongType.json().get("error").asText())
          .isEqualTo("Content-Type must be multipart/form-data or application/json");
      openApi.assertConforms("PUT", c[0], wrongType);
      Response unknown = api.send("PUT", "/v1/rooms/no-such-room/theme/" + c[1], key, "{}");
      assertThat(unknown.status()).isEqualTo(404);
      openApi.assertConforms("PUT", c[0], unknown);
    }
  }

  @Test
  void choosingBuiltInBackgroundsAndResettingAnswersDocumented204sAnd400s() {
    String room = createRoom();
    for (String[] c :
        new String[][] {
          {BACKGROUND, "room-background", "{'palette':'grey','theme':'rocks'}", "204"},
          {
            KNOCK, "room-knock-page-background", "{'palette':'burgund','theme':'characters'}", "204"
          },
          {KNOCK, "room-knock-page-background", "{'palette':'default','theme':'default'}", "204"},
          {LOGO, "logo", "{'theme':'default'}", "204"},
          {BACKGROUND, "room-background", "{'palette':'orange'}", "400"},
          {LOGO, "logo", "{'theme':'mountains'}", "400"}
        }) {
      String body = c[2].replace('\'', '"');
      if (c[3].equals("204")) {
        assertThat(openApi.requestBodyProblems("PUT", c[0], json(body))).as(body).isEmpty();
      }
      Response r = api.send("PUT", "/v1/rooms/" + room + "/theme/" + c[1], key, body);

      assertThat(r.status()).as(body + ": " + r).isEqualTo(Integer.parseInt(c[3]));
      openApi.assertConforms("PUT", c[0], r);
    }
  }

  @Test
  void thePublicThemeAndItsImagesAnswerAsDocumentedWithoutAKey() {
    String room = createRoom();
    Response fresh = api.get("/rooms/" + room + "/theme.json", null);
    assertThat(fresh.status()).isEqualTo(200);
    openApi.assertConforms("GET", THEME_JSON, fresh);
    putImage(room, "logo", "image/png", TestImages.png(400, 100));
    putImage(room, "room-background", "image/jpeg", TestImages.jpeg(200, 100));
    putImage(room, "room-knock-page-background", "image/webp", TestImages.losslessWebp());
    api.send(
        "PUT",
        "/v1/rooms/" + room + "/theme/tokens",
        key,
        "{\"tokensPreset\":\"custom\",\"tokens\":{\"colors\":{\"primary\":\"#ABCDEF\"}}}");

    Response themed = api.get("/rooms/" + room + "/theme.json", null);
    openApi.assertConforms("GET", THEME_JSON, themed);
    for (String member : List.of("logo", "roomBackground", "roomKnockPageBackground")) {
      String path = java.net.URI.create(themed.json().get(member).get("url").asText()).getPath();
      assertThat(openApi.templateOf(path)).hasValue(THEME_IMAGE);
      Response image = api.get(path, null);
      assertThat(image.status()).isEqualTo(200);
      openApi.assertConforms("GET", THEME_IMAGE, image);
      Response again =
          api.send("GET", path, null, null, "If-None-Match", image.header("ETag").orElseThrow());
      assertThat(again.status()).isEqualTo(304);
      openApi.assertConforms("GET", THEME_IMAGE, again);
      Response head = api.send("HEAD", path, null, null);
      assertThat(head.status()).isEqualTo(200);
      openApi.assertConforms("HEAD", THEME_IMAGE, head);
    }
    for (String path :
        List.of(
            "/rooms/no-such-room/theme.json",
            "/rooms/" + room + "/theme/logo-0123456789abcdef.png",
            "/rooms/" + room + "/theme/anything.png",
            "/rooms/no-such-room/theme/logo-0123456789abcdef.png")) {
      Response r = api.get(path, null);
      assertThat(r.status()).as(path).isEqualTo(404);
      openApi.assertConforms("GET", openApi.templateOf(path).orElseThrow(), r);
    }
  }

  @Test
  void aThemeWithAnUnknownSourceOrAnUpperCaseColorFailsValidation() {
    String room = createRoom();
    Response real = api.get("/rooms/" + room + "/theme.json", null);

    assertThat(problems("GET", THEME_JSON, real)).isEmpty();
    assertThat(
            problems(
                "GET", THEME_JSON, withBody(real, real.body().replace("\"built-in\"", "\"cdn\""))))
        .anyMatch(p -> p.contains("source"));
    assertThat(
            problems(
                "GET",
                THEME_JSON,
                withBody(real, real.body().replaceFirst("#[0-9a-f]{6}", "#ABCDEF"))))
        .anyMatch(p -> p.contains("primary"));
  }

  @Test
  void readinessAnswersADocumented503WhenTheDatabaseIsUnreachable() {
    try (TestServer broken = TestServer.start()) {
      broken.app().database().close();

      Response r = broken.client().get("/readyz", null);

      assertThat(r.status()).isEqualTo(503);
      openApi.assertConforms("GET", "/readyz", r);
    }
  }

  // ---------------------------------------------------------------- the validator can fail

  @Test
  void aMeetingWhoseMeetingIdIsANumberFailsValidation() {
    Response real = api.post("/v1/meetings", key, meetingBody());
    Response wrong =
        withBody(real, real.body().replaceFirst("\"meetingId\":\"([0-9]+)\"", "\"meetingId\":$1"));

    assertThat(openApi.problems("POST", "/meetings", real)).isEmpty();
    assertThatThrownBy(() -> openApi.assertConforms("POST", "/meetings", wrong))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(
            "POST /meetings -> 201 body: $.meetingId: integer found, string expected");
  }

  @Test
  void aMeetingWithAStrayMemberAMissingMemberOrALocalTimeFailsValidation() {
    Response real = api.post("/v1/meetings", key, meetingBody());
    String body = real.body();

    assertThat(
            problems("POST", "/meetings", withBody(real, body.replace("}", ",\"dialIn\":null}"))))
        .anyMatch(p -> p.contains("property 'dialIn' is not defined in the schema"));
    assertThat(
            problems(
                "POST",
                "/meetings",
                withBody(real, body.replaceFirst("\"roomUrl\":\"[^\"]*\",", ""))))
        .anyMatch(p -> p.contains("required property 'roomUrl' not found"));
    assertThat(
            problems(
                "POST",
                "/meetings",
                withBody(
                    real,
                    body.replaceFirst("(\"startDate\":\"[^\"]*?)(\\.[0-9]+)?Z\"", "$1+00:00\""))))
        .anyMatch(p -> p.contains("$.startDate: does not match the regex pattern"));
    assertThat(
            problems(
                "POST",
                "/meetings",
                withBody(real, body.replace("\"roomName\":\"/", "\"roomName\":\""))))
        .anyMatch(p -> p.contains("$.roomName"));
  }

  @Test
  void anUndocumentedStatusContentTypeOrPathFailsValidation() {
    Response real = api.post("/v1/meetings", key, meetingBody());

    assertThat(problems("POST", "/meetings", withStatus(real, 200)))
        .containsExactly(
            "POST /meetings: status 200 is not documented (documented: [201, 400, 401, 413, 429,"
                + " 500])");
    Response html =
        new Response(
            404, headers("Content-Type", "text/html"), "<html><body>Not Found</body></html>");
    assertThat(problems("GET", "/meetings/{meetingId}", html))
        .anyMatch(p -> p.contains("Content-Type 'text/html' is not a documented media type"));
    assertThat(problems("GET", "/meeting", real))
        .anyMatch(p -> p.contains("path /meeting is not in the document"));
    assertThat(problems("PUT", "/meetings", real))
        .anyMatch(p -> p.contains("x-parlor-other-methods") && p.contains("status 201"));
  }

  @Test
  void aRateLimitAnswerWithoutRetryAfterOrMsLeftFailsValidation() {
    String body =
        "{\"error\":\"Rate limit active for throttle key: organization:1\","
            + "\"data\":{\"msLeft\":100,\"ms_left\":100}}";
    Response good =
        new Response(429, headers("Content-Type", "application/json", "Retry-After", "1"), body);
    Response noRetryAfter = new Response(429, headers("Content-Type", "application/json"), body);
    Response noMsLeft =
        new Response(
            429,
            headers("Content-Type", "application/json", "Retry-After", "1"),
            body.replace("\"msLeft\":100,", ""));
    Response badDate =
        new Response(
            429,
            headers(
                "Content-Type", "application/json",
                "Retry-After", "1",
                "X-RateLimit-Reset", "Sat, 5 Jan 2030 10:01:00 GMT"),
            body);

    assertThat(problems("GET", "/meetings", good)).isEmpty();
    assertThat(problems("GET", "/meetings", noRetryAfter))
        .containsExactly("GET /meetings -> 429: required header Retry-After is missing");
    assertThat(problems("GET", "/meetings", noMsLeft))
        .anyMatch(p -> p.contains("required property 'msLeft' not found"));
    assertThat(problems("GET", "/meetings", badDate))
        .anyMatch(p -> p.contains("header X-RateLimit-Reset='Sat, 5 Jan 2030 10:01:00 GMT'"));
  }

  @Test
  void aBodyWhereNoneIsDocumentedFailsValidation() {
    Response deleted = api.delete("/v1/meetings/" + createMeeting(), key);
    Response head = api.send("HEAD", "/v1/meetings", key, null);

    assertThat(problems("DELETE", "/meetings/{meetingId}", withBody(deleted, "{}")))
        .anyMatch(p -> p.contains("no body is documented"));
    assertThat(problems("HEAD", "/meetings", withBody(head, "{\"results\":[]}")))
        .anyMatch(p -> p.contains("a HEAD response must have no body"));
  }

  @Test
  void aSchemaWithAMisspeltKeywordIsAnErrorRatherThanNoConstraint() {
    JsonNode doc = openApi.document().deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) doc.at("/components/schemas/Meeting"))
        .put("additionalProperty", false);
    OpenApiValidator typo = OpenApiValidator.of(doc);
    Response real = api.post("/v1/meetings", key, meetingBody());

    assertThatThrownBy(() -> typo.problems("POST", "/meetings", real))
        .hasMessageContaining("additionalProperty");
  }

  // ---------------------------------------------------------------- helpers

  private static List<String> problems(String method, String template, Response r) {
    return openApi.problems(method, template, r);
  }

  private static Response withBody(Response r, String body) {
    return new Response(r.status(), r.headers(), body);
  }

  private static Response withStatus(Response r, int status) {
    return new Response(status, r.headers(), r.body());
  }

  private static HttpHeaders headers(String... nameValues) {
    Map<String, List<String>> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i + 1 < nameValues.length; i += 2) {
      map.put(nameValues[i], List.of(nameValues[i + 1]));
    }
    return HttpHeaders.of(map, (a, b) -> true);
  }

  private static String createMeeting() {
    Response r = api.post("/v1/meetings", key, meetingBody());
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("meetingId").asText();
  }

  /** A Parlor-hosted recording of the key's organization, as the room server would add it. */
  static String createRecording() {
    return server
        .app()
        .recordings()
        .addHosted(
            new RecordingService.Finished(
                keyOrganizationId,
                "/conformance-room",
                "session-1",
                clock.instant().minusSeconds(60),
                clock.instant(),
                "mp4"),
            new ByteArrayInputStream(new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p'}))
        .recordingId();
  }

  /**
   * A create body ending an hour after the server's clock, plus members written with single quotes;
   * {@code OFFSET_END} stands for the same end written with a +05:30 offset.
   */
  static String meetingBody(String... members) {
    Instant end = (clock == null ? START : clock.instant()).plus(Duration.ofHours(1));
    StringBuilder sb = new StringBuilder("{");
    String joined = String.join(",", members);
    if (!joined.contains("'endDate'")) {
      sb.append("'endDate':'").append(end).append('\'');
      if (!joined.isEmpty()) {
        sb.append(',');
      }
    }
    sb.append(joined).append('}');
    String offsetEnd =
        DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
            end.atOffset(ZoneOffset.ofHoursMinutes(5, 30)));
    return sb.toString().replace("OFFSET_END", offsetEnd).replace('\'', '"');
  }

  /** A fresh meeting's room name, without its slash. */
  private static String createRoom() {
    Response r = api.post("/v1/meetings", key, meetingBody());
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("roomName").asText().substring(1);
  }

  /**
   * The request path for a template: the id of a fresh meeting for meetings, the room of a fresh
   * meeting for rooms (and the file of its default background), else "x".
   */
  private static String concretePath(String template) {
    String path = openApi.servedAt(template);
    if (path.contains("{meetingId}")) {
      path = path.replace("{meetingId}", createMeeting());
    }
    if (path.contains("{recordingId}")) {
      path = path.replace("{recordingId}", createRecording());
    }
    if (path.contains("{roomName}")) {
      String room = createRoom();
      path = path.replace("{roomName}", room);
      if (path.contains("{file}")) {
        String url =
            api.get("/rooms/" + room + "/theme.json", null)
                .json()
                .at("/roomBackground/url")
                .asText();
        path = path.replace("{file}", url.substring(url.lastIndexOf('/') + 1));
      }
    }
    return path.replaceAll("\\{[^}]+\\}", "x");
  }

  private static String bodyFor(OpenApiValidator.Operation op) {
    if (op.method().equals("POST") && op.pathTemplate().equals("/meetings")) {
      return meetingBody();
    }
    return op.method().equals("POST") || op.method().equals("PUT") ? "{}" : null;
  }

  private static boolean needsKey(OpenApiValidator.Operation op) {
    JsonNode security =
        op.node().has("security") ? op.node().get("security") : openApi.document().path("security");
    return !security.isEmpty();
  }

  private static boolean errorSchemaOf(JsonNode response) {
    JsonNode r = response;
    if (r.has("$ref")) {
      r = openApi.document().at(r.get("$ref").asText().substring(1));
    }
    JsonNode schema = r.at("/content/application~1json/schema");
    if (schema.has("$ref")) {
      String name = schema.get("$ref").asText().replace("#/components/schemas/", "");
      if (name.equals("Error")) {
        return true;
      }
      schema = openApi.document().at("/components/schemas/" + name);
    }
    return schema.path("allOf").path(0).path("$ref").asText().equals("#/components/schemas/Error");
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  /** A route pattern with every parameter, Helidon's {+greedy} ones too, written as {}. */
  private static String normalized(String pattern) {
    return pattern.replaceAll("\\{\\+?[^}]*\\}", "{}");
  }

  private static Set<String> commaSeparated(String value) {
    Set<String> out = new TreeSet<>();
    for (String s : value.split(",")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }

  private static String urlEncode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode resource(String name) {
    try (InputStream in = OpenApiConformanceTest.class.getResourceAsStream(name)) {
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
