package dev.parlor.insights;

import static dev.parlor.testing.ApiAssertions.assertFieldError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Filters, every sort order in both directions, cursors and tenant isolation. */
class InsightsListingTest extends InsightsHttpTest {
  private final AtomicInteger connections = new AtomicInteger();
  private final List<String> rooms = new ArrayList<>();
  private final List<Instant> createdAt = new ArrayList<>();

  /** A session in {@code room}: people, recorders and streamers for {@code minutes}. */
  private String runSession(String room, int people, int recorders, int streamers, int minutes) {
    List<String> conns = new ArrayList<>();
    for (int i = 0; i < people; i++) {
      String c = "c" + connections.incrementAndGet();
      join(room, c, "person-" + i, i == 0 ? Role.HOST : Role.VISITOR);
      conns.add(c);
    }
    for (int i = 0; i < recorders; i++) {
      String c = "c" + connections.incrementAndGet();
      join(room, c, "recorder-" + i, Role.RECORDER);
      conns.add(c);
    }
    for (int i = 0; i < streamers; i++) {
      String c = "c" + connections.incrementAndGet();
      join(room, c, "streamer-" + i, Role.STREAMER);
      conns.add(c);
    }
    advance(Duration.ofMinutes(minutes));
    conns.forEach(this::leave);
    advance(Duration.ofMinutes(2));
    settle();
    List<JsonNode> s = sessions(room);
    return s.isEmpty() ? null : s.get(s.size() - 1).get("roomSessionId").asText();
  }

  @BeforeEach
  void createRooms() {
    String[] prefixes = {"alpha-", "beta-", "gamma-"};
    for (int i = 0; i < 12; i++) {
      createdAt.add(clock.instant());
      rooms.add(createMeeting(key, prefixes[i % 3], 60 * 24 * (1 + i % 4)).roomName());
      advance(Duration.ofMinutes(1));
    }
    // Varied histories: room i has i % 4 sessions, some with bots; rooms 0, 4 and 8 have none.
    for (int i = 0; i < rooms.size(); i++) {
      for (int s = 0; s < i % 4; s++) {
        runSession(
            rooms.get(i), 2 + (i + s) % 3, (i % 5 == 1) ? 1 : 0, (i % 6 == 2) ? 1 : 0, 1 + i);
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  /** Every page of a listing with a small limit; asserts nothing is seen twice. */
  private List<JsonNode> allPages(String pathAndQuery, int limit) {
    List<JsonNode> out = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page =
          ok(
              pathAndQuery
                  + (pathAndQuery.contains("?") ? "&" : "?")
                  + "limit="
                  + limit
                  + (cursor == null ? "" : "&" + q("cursor", cursor)));
      assertThat(page.get("results").size()).isLessThanOrEqualTo(limit);
      page.get("results").forEach(out::add);
      cursor = page.get("cursor").isNull() ? null : page.get("cursor").asText();
      assertThat(++pages).as("pages of " + pathAndQuery).isLessThan(100);
    } while (cursor != null);
    return out;
  }

  private static List<String> names(List<JsonNode> rows) {
    return rows.stream().map(r -> r.get("roomName").asText()).toList();
  }

  private static List<String> names(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.get("results").forEach(r -> out.add(r.get("roomName").asText()));
    return out;
  }

  /**
   * A field's sort value: dates as epoch millis with null after every date, numbers as they are.
   */
  private static long sortValue(JsonNode row, String field) {
    JsonNode v = row.get(field);
    if (v.isNull()) {
      return Long.MAX_VALUE;
    }
    return v.isNumber() ? v.asLong() : Instant.parse(v.asText()).toEpochMilli();
  }

  private static void assertOrdered(List<JsonNode> rows, String field, boolean desc, String what) {
    for (int i = 1; i < rows.size(); i++) {
      long a = sortValue(rows.get(i - 1), field);
      long b = sortValue(rows.get(i), field);
      assertThat(desc ? a >= b : a <= b)
          .as("%s: row %d (%s) then row %d (%s)", what, i - 1, a, i, b)
          .isTrue();
    }
  }

  // ------------------------------------------------------------------ rooms

  @Test
  void everyRoomTheOrganizationCreatedIsListedNewestFirstByDefault() {
    JsonNode page = ok("/v1/insights/rooms?limit=100");

    List<String> expected = new ArrayList<>(rooms);
    java.util.Collections.reverse(expected);
    assertThat(names(page)).isEqualTo(expected);
    assertThat(page.get("cursor").isNull()).isTrue();
    assertThat(ok("/v1/insights/rooms").get("results")).as("default limit").hasSize(10);
    JsonNode noSession = room(rooms.get(0));
    assertThat(noSession.get("firstSessionStartedAt").isNull()).isTrue();
    assertThat(noSession.get("totalSessions").asInt()).isZero();
    assertThat(noSession.get("createdAt").asText()).isEqualTo(at(createdAt.get(0)));
    assertThat(noSession.get("endAt").asText())
        .as("the meeting's endDate")
        .isEqualTo(at(createdAt.get(0).plus(Duration.ofDays(1))));
    assertThat(room(rooms.get(3)).get("totalSessions").asInt()).isEqualTo(3);
  }

  @Test
  void everyRoomSortOrderInBothDirectionsPagesThroughEveryRoomExactlyOnceInOrder() {
    for (RoomSort f : RoomSort.values()) {
      for (String dir : List.of("asc", "desc")) {
        String sort = f.wireName() + ":" + dir;
        List<JsonNode> one = allPages("/v1/insights/rooms?sortBy=" + sort, 100);
        for (int limit : new int[] {1, 3, 5}) {
          List<JsonNode> paged = allPages("/v1/insights/rooms?sortBy=" + sort, limit);
          assertThat(names(paged)).as(sort + " by " + limit).isEqualTo(names(one));
        }
        assertThat(names(one)).as(sort).containsExactlyInAnyOrderElementsOf(rooms);
        assertOrdered(one, f.wireName(), dir.equals("desc"), sort);
      }
    }
  }

  @Test
  void aSortWithoutADirectionIsAscending() {
    assertThat(names(ok("/v1/insights/rooms?limit=100&sortBy=totalSessions")))
        .isEqualTo(names(ok("/v1/insights/rooms?limit=100&sortBy=totalSessions:asc")));
  }

  @Test
  void theSortsOrderBySomethingDifferent() {
    Set<List<String>> orders = new HashSet<>();
    for (RoomSort f : RoomSort.values()) {
      orders.add(names(ok("/v1/insights/rooms?limit=100&sortBy=" + f.wireName() + ":asc")));
    }
    assertThat(orders.size()).as("distinct orders among the sorts").isGreaterThan(4);
  }

  @Test
  void roomNameFiltersMatchExactlyByPrefixOrBySubstringIgnoringCase() {
    String one = rooms.get(5);
    assertThat(names(ok("/v1/insights/rooms?" + q("roomName[exact]", one)))).containsExactly(one);
    assertThat(names(ok("/v1/insights/rooms?" + q("roomName[exact]", one.substring(1)))))
        .as("without the slash")
        .containsExactly(one);
    assertThat(names(ok("/v1/insights/rooms?" + q("roomName[exact]", one.toUpperCase()))))
        .containsExactly(one);
    assertThat(names(ok("/v1/insights/rooms?" + q("roomName", one)))).containsExactly(one);
    assertThat(names(ok("/v1/insights/rooms?" + q("roomName[exact]", one + "x")))).isEmpty();

    List<String> betas = rooms.stream().filter(r -> r.startsWith("/beta-")).toList();
    assertThat(names(allPages("/v1/insights/rooms?" + q("roomName[startsWith]", "/beta-"), 2)))
        .containsExactlyInAnyOrderElementsOf(betas)
        .hasSize(4);
    assertThat(names(ok("/v1/insights/rooms?limit=100&" + q("roomName[startsWith]", "BETA-"))))
        .containsExactlyInAnyOrderElementsOf(betas);
    assertThat(names(ok("/v1/insights/rooms?" + q("roomName[startsWith]", "/eta-")))).isEmpty();

    String uuidPart = one.substring(one.length() - 12, one.length() - 4);
    assertThat(names(ok("/v1/insights/rooms?" + q("roomName[contains]", uuidPart))))
        .containsExactly(one);
    assertThat(names(ok("/v1/insights/rooms?limit=100&" + q("roomName[contains]", "eta-"))))
        .containsExactlyInAnyOrderElementsOf(betas);
    for (String wildcard : List.of("%", "_", "a%a", "\\")) {
      assertThat(names(ok("/v1/insights/rooms?" + q("roomName[contains]", wildcard))))
          .as("'%s' is matched literally", wildcard)
          .isEmpty();
    }
  }

  @Test
  void filterNamesMayBeSentWithRawBracketsAsCurlDoes() throws java.io.IOException {
    String one = rooms.get(7);
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.app().port())) {
      socket.setSoTimeout(5000);
      socket
          .getOutputStream()
          .write(
              ("GET /v1/insights/rooms?roomName[exact]="
                      + one
                      + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                      + key
                      + "\r\nConnection: close\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String answer = readResponse(socket.getInputStream());
      assertThat(answer).startsWith("HTTP/1.1 200");
      assertThat(answer).contains("\"roomName\":\"" + one + "\"");
      assertThat(answer.split("\"roomName\"", -1)).hasSize(2);
    }
  }

  /** One HTTP/1.1 response with a Content-Length, read off a socket. */
  private static String readResponse(java.io.InputStream in) throws java.io.IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      assertThat(b).as("end of the headers").isNotNegative();
      head.append((char) b);
    }
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    assertThat(m.find()).as("a Content-Length in " + head).isTrue();
    byte[] body = in.readNBytes(Integer.parseInt(m.group(1)));
    return head + new String(body, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void createdAtFiltersAreInclusiveBoundsInAnyOffset() {
    Instant from = createdAt.get(3);
    Instant to = createdAt.get(6);
    List<String> expected = rooms.subList(3, 7);

    assertThat(
            names(
                ok(
                    "/v1/insights/rooms?limit=100&"
                        + q("createdAt[from]", from.toString())
                        + "&"
                        + q("createdAt[to]", to.toString()))))
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(names(ok("/v1/insights/rooms?limit=100&" + q("createdAt[from]", from.toString()))))
        .containsExactlyInAnyOrderElementsOf(rooms.subList(3, 12));
    assertThat(names(ok("/v1/insights/rooms?limit=100&" + q("createdAt[to]", to.toString()))))
        .containsExactlyInAnyOrderElementsOf(rooms.subList(0, 7));
    String withOffset =
        from.atOffset(java.time.ZoneOffset.ofHours(2))
            .format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    assertThat(names(ok("/v1/insights/rooms?limit=100&" + q("createdAt[from]", withOffset))))
        .containsExactlyInAnyOrderElementsOf(rooms.subList(3, 12));
    assertThat(
            names(
                ok(
                    "/v1/insights/rooms?"
                        + q("createdAt[from]", to.toString())
                        + "&"
                        + q("createdAt[to]", from.toString()))))
        .isEmpty();
  }

  @Test
  void filtersCombineAndPageWithEverySortOrder() {
    String filter =
        q("roomName[startsWith]", "/gamma-")
            + "&"
            + q("createdAt[from]", createdAt.get(2).toString())
            + "&"
            + q("createdAt[to]", createdAt.get(8).toString());
    List<String> expected = List.of(rooms.get(2), rooms.get(5), rooms.get(8));
    for (RoomSort f : RoomSort.values()) {
      for (String dir : List.of("asc", "desc")) {
        List<JsonNode> rows =
            allPages("/v1/insights/rooms?" + filter + "&sortBy=" + f.wireName() + ":" + dir, 1);
        assertThat(names(rows)).containsExactlyInAnyOrderElementsOf(expected);
        assertOrdered(rows, f.wireName(), dir.equals("desc"), f.wireName() + ":" + dir);
      }
    }
  }

  @Test
  void aCursorContinuesItsListingAndRefusesOtherParameters() {
    String filter = q("roomName[startsWith]", "/alpha-");
    JsonNode first = ok("/v1/insights/rooms?limit=2&sortBy=totalSessions:desc&" + filter);
    String cursor = first.get("cursor").asText();

    JsonNode sameParams =
        ok(
            "/v1/insights/rooms?limit=2&sortBy=totalSessions:desc&"
                + filter
                + "&"
                + q("cursor", cursor));
    JsonNode cursorOnly = ok("/v1/insights/rooms?limit=2&" + q("cursor", cursor));
    assertThat(names(cursorOnly)).isEqualTo(names(sameParams)).hasSize(2);
    assertThat(names(cursorOnly)).doesNotContainAnyElementsOf(names(first));
    assertThat(names(cursorOnly)).allMatch(n -> n.startsWith("/alpha-"));

    assertFieldError(
        get("/v1/insights/rooms?sortBy=createdAt:asc&" + q("cursor", cursor)), "cursor");
    assertFieldError(
        get(
            "/v1/insights/rooms?"
                + q("roomName[startsWith]", "/beta-")
                + "&"
                + q("cursor", cursor)),
        "cursor");
    String other = server.newOrganization("unlimited");
    assertFieldError(
        server.client().get("/v1/insights/rooms?" + q("cursor", cursor), other), "cursor");
    JsonNode sessionsPage = ok("/v1/insights/room-sessions?limit=1&" + q("roomName", rooms.get(3)));
    assertFieldError(
        get("/v1/insights/rooms?" + q("cursor", sessionsPage.get("cursor").asText())), "cursor");
  }

  @Test
  void badRoomListingParametersAnswer400NamingThem() {
    assertFieldError(get("/v1/insights/rooms?sortBy=roomName:asc"), "sortBy");
    assertFieldError(get("/v1/insights/rooms?sortBy=totalSessions:asc:desc"), "sortBy");
    assertFieldError(get("/v1/insights/rooms?sortBy=:asc"), "sortBy");
    assertFieldError(
        get("/v1/insights/rooms?" + q("createdAt[from]", "2030-02-30T00:00:00Z")),
        "createdAt[from]");
    assertFieldError(get("/v1/insights/rooms?" + q("createdAt[to]", "soon")), "createdAt[to]");
    assertFieldError(
        get("/v1/insights/rooms?" + q("createdAt[since]", "2030-01-01T00:00:00Z")),
        "createdAt[since]");
    assertFieldError(get("/v1/insights/rooms?" + q("roomName[is]", "/x")), "roomName[is]");
    assertFieldError(
        get("/v1/insights/rooms?" + q("roomName[exact]", "/" + "x".repeat(200))),
        "roomName[exact]");
    assertFieldError(get("/v1/insights/rooms?" + q("roomName", "x".repeat(200))), "roomName");
    assertFieldError(get("/v1/insights/rooms?limit=-1"), "limit");
    assertFieldError(get("/v1/insights/rooms?cursor=abc"), "cursor");
    assertThat(get("/v1/insights/rooms?unknown=1&limit=").status())
        .as("unknown parameters are ignored, an empty limit is the default")
        .isEqualTo(200);
  }

  // ------------------------------------------------------------------ sessions

  @Test
  void everySessionSortOrderPagesThroughEverySessionExactlyOnceInOrder() {
    String room = rooms.get(1);
    for (int s = 0; s < 6; s++) {
      runSession(room, 2 + s % 3, s % 2, s % 3 == 0 ? 1 : 0, 1 + (s * 7) % 5);
    }
    List<JsonNode> all = sessions(room);
    assertThat(all).hasSize(7);
    assertThat(ok("/v1/insights/room-sessions?" + q("roomName", room)).get("results"))
        .as("default limit")
        .hasSize(7);
    List<String> newestFirst =
        all.stream().map(s -> s.get("roomSessionId").asText()).collect(Collectors.toList());
    java.util.Collections.reverse(newestFirst);
    assertThat(ids(ok("/v1/insights/room-sessions?" + q("roomName", room)).get("results")))
        .as("newest first by default")
        .isEqualTo(newestFirst);
    for (SessionSort f : SessionSort.values()) {
      for (String name : f.wireNames()) {
        for (String dir : List.of("asc", "desc")) {
          String query =
              "/v1/insights/room-sessions?" + q("roomName", room) + "&sortBy=" + name + ":" + dir;
          List<JsonNode> one = allPages(query, 100);
          List<JsonNode> paged = allPages(query, 2);
          assertThat(ids(paged)).as(name + ":" + dir).isEqualTo(ids(one));
          assertThat(ids(one)).containsExactlyInAnyOrderElementsOf(ids(all));
          assertOrdered(one, name, dir.equals("desc"), name + ":" + dir);
        }
      }
    }
  }

  private static List<String> ids(Iterable<JsonNode> rows) {
    List<String> out = new ArrayList<>();
    rows.forEach(r -> out.add(r.get("roomSessionId").asText()));
    return out;
  }

  @Test
  void sessionsAreFoundByRoomNameWithOrWithoutItsSlashAndByTheirId() {
    String room = rooms.get(3);
    List<JsonNode> all = sessions(room);
    assertThat(all).hasSize(3);
    assertThat(ok("/v1/insights/room-sessions?" + q("roomName", room.substring(1))).get("results"))
        .hasSize(3);
    String id = all.get(1).get("roomSessionId").asText();
    JsonNode one = ok("/v1/insights/room-sessions?" + q("roomName", room) + "&roomSessionId=" + id);
    assertThat(ids(one.get("results"))).containsExactly(id);
    assertThat(
            ok("/v1/insights/room-sessions?" + q("roomName", rooms.get(2)) + "&roomSessionId=" + id)
                .get("results"))
        .as("the session is another room's")
        .isEmpty();
    assertThat(ok("/v1/insights/room-sessions?" + q("roomName", "/no-such-room")).get("results"))
        .isEmpty();
    assertThat(ok("/v1/insights/room-sessions?" + q("roomName", rooms.get(0))).get("results"))
        .as("a room without sessions")
        .isEmpty();
  }

  @Test
  void badSessionListingParametersAnswer400NamingThem() {
    assertFieldError(get("/v1/insights/room-sessions"), "roomName");
    assertFieldError(get("/v1/insights/room-sessions?roomName="), "roomName");
    assertFieldError(
        get("/v1/insights/room-sessions?roomName=/x&roomSessionId=123"), "roomSessionId");
    assertFieldError(
        get("/v1/insights/room-sessions?roomName=/x&sortBy=totalSessions:asc"), "sortBy");
    assertFieldError(get("/v1/insights/room-sessions?roomName=/x&limit=1000"), "limit");
    assertFieldError(get("/v1/insights/room-sessions?roomName=/x&cursor=x.y"), "cursor");
  }

  // ------------------------------------------------------------------ participants

  @Test
  void participantsSortByJoinedAtOrLeftAtInBothDirectionsAndPageExactlyOnce() {
    String room = rooms.get(0);
    Instant t0 = clock.instant();
    for (int i = 0; i < 7; i++) {
      join(room, "p" + i, "participant-" + i, Role.VISITOR, i % 2 == 0 ? "ext-even" : null);
      advanceSeconds(5 + i);
    }
    for (int i : new int[] {3, 0, 5}) {
      leave("p" + i);
      advanceSeconds(11);
    }
    settle();
    String session = onlySession(room).get("roomSessionId").asText();

    List<JsonNode> byDefault = allPages("/v1/insights/participants?roomSessionId=" + session, 100);
    assertThat(byDefault)
        .extracting(p -> p.get("participantId").asText())
        .containsExactly(
            "participant-0",
            "participant-1",
            "participant-2",
            "participant-3",
            "participant-4",
            "participant-5",
            "participant-6");
    assertThat(byDefault.get(0).get("joinedAt").asText()).isEqualTo(at(t0));
    for (String field : List.of("joinedAt", "leftAt")) {
      for (String dir : List.of("asc", "desc")) {
        String query =
            "/v1/insights/participants?roomSessionId=" + session + "&sortBy=" + field + ":" + dir;
        List<JsonNode> one = allPages(query, 100);
        List<JsonNode> paged = allPages(query, 2);
        Function<JsonNode, String> pid = p -> p.get("participantId").asText();
        assertThat(paged.stream().map(pid).toList())
            .as(field + ":" + dir)
            .isEqualTo(one.stream().map(pid).toList());
        assertThat(one).hasSize(7);
        assertOrdered(one, field, dir.equals("desc"), field + ":" + dir);
      }
    }
    List<String> leftAsc =
        allPages("/v1/insights/participants?roomSessionId=" + session + "&sortBy=leftAt:asc", 3)
            .stream()
            .map(p -> p.get("participantId").asText())
            .toList();
    assertThat(leftAsc.subList(0, 3))
        .as("those who left, in the order they left; the connected (null) after")
        .containsExactly("participant-3", "participant-0", "participant-5");
  }

  @Test
  void participantsWithAnExternalIdAreFoundAcrossSessionsAndRooms() {
    join(rooms.get(0), "x1", "xa", Role.HOST, "customer-42");
    join(rooms.get(0), "x2", "xb", Role.VISITOR, null);
    join(rooms.get(1), "x3", "xc", Role.VISITOR, "customer-42");
    join(rooms.get(1), "x4", "xd", Role.VISITOR, "customer-7");
    settle();

    List<JsonNode> found = allPages("/v1/insights/participants?externalId=customer-42", 1);
    assertThat(found).extracting(p -> p.get("participantId").asText()).containsExactly("xa", "xc");
    assertThat(found).extracting(p -> p.get("externalId").asText()).containsOnly("customer-42");
    assertThat(found.get(0).get("roomSessionId").asText())
        .isNotEqualTo(found.get(1).get("roomSessionId").asText());
    String sessionOfRoom1 = onlySessionAfterSetup(rooms.get(1));
    assertThat(
            ok("/v1/insights/participants?externalId=customer-42&roomSessionId=" + sessionOfRoom1)
                .get("results"))
        .extracting(p -> p.get("participantId").asText())
        .containsExactly("xc");
    assertThat(ok("/v1/insights/participants?externalId=nobody").get("results")).isEmpty();
  }

  /** The running session of a room (its last one). */
  private String onlySessionAfterSetup(String room) {
    List<JsonNode> s = sessions(room);
    return s.get(s.size() - 1).get("roomSessionId").asText();
  }

  @Test
  void aParticipantIsRenderedWithEveryFieldAndUserIdIsItsParticipantId() {
    join(rooms.get(0), "y1", "yan", Role.HOST, "crm-1");
    join(rooms.get(0), "y2", "yvonne", Role.GRANTED_VISITOR, null);
    settle();
    String session = onlySession(rooms.get(0)).get("roomSessionId").asText();

    JsonNode yan = participants(session).get(0);
    assertThat(Arrays.asList(fieldNames(yan)))
        .containsExactly(
            "roomSessionId",
            "participantId",
            "deviceId",
            "userId",
            "roleName",
            "displayName",
            "joinedAt",
            "leftAt",
            "externalId");
    assertThat(yan.get("roomSessionId").asText()).isEqualTo(session);
    assertThat(yan.get("participantId").asText()).isEqualTo("yan");
    assertThat(yan.get("userId").asText()).isEqualTo("yan");
    assertThat(yan.get("deviceId").asText()).isEqualTo("device-yan");
    assertThat(yan.get("roleName").asText()).isEqualTo("host");
    assertThat(yan.get("displayName").asText()).isEqualTo("Name yan");
    assertThat(yan.get("externalId").asText()).isEqualTo("crm-1");
    assertThat(yan.get("leftAt").isNull()).isTrue();
    assertThat(participants(session).get(1).get("externalId").isNull()).isTrue();
    assertThat(participants(session).get(1).get("roleName").asText()).isEqualTo("granted_visitor");
  }

  private static String[] fieldNames(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out.toArray(String[]::new);
  }

  @Test
  void badParticipantParametersAnswer400NamingThem() {
    assertFieldError(get("/v1/insights/participants"), "roomSessionId");
    assertFieldError(get("/v1/insights/participants?roomSessionId=&externalId="), "roomSessionId");
    assertFieldError(get("/v1/insights/participants?roomSessionId=not-a-uuid"), "roomSessionId");
    assertFieldError(get("/v1/insights/participants?externalId=" + "e".repeat(65)), "externalId");
    assertFieldError(
        get("/v1/insights/participants?externalId=e&sortBy=joinedAt:sideways"), "sortBy");
    assertFieldError(
        get("/v1/insights/participants?externalId=e&sortBy=displayName:asc"), "sortBy");
    assertFieldError(get("/v1/insights/participant"), "roomSessionId");
    assertFieldError(
        get("/v1/insights/participant?roomSessionId=x&participantId=p"), "roomSessionId");
    assertFieldError(
        get("/v1/insights/participant?roomSessionId=" + java.util.UUID.randomUUID()),
        "participantId");
    assertFieldError(
        get(
            "/v1/insights/participant?roomSessionId="
                + java.util.UUID.randomUUID()
                + "&participantId="
                + "p".repeat(129)),
        "participantId");
  }

  // ------------------------------------------------------------------ tenants

  @Test
  void anOrganizationSeesOnlyItsOwnRoomsSessionsAndParticipants() {
    String other = server.newOrganization("unlimited");
    String theirs = createRoom(other, "alpha-");
    join(theirs, "o1", "olga", Role.HOST, "customer-42");
    join(theirs, "o2", "oscar", Role.VISITOR, null);
    join(rooms.get(0), "m1", "mine", Role.HOST, "customer-42");
    join(rooms.get(0), "m2", "mine-too", Role.VISITOR, null);
    settle();
    String theirSession =
        ok("/v1/insights/room-sessions?" + q("roomName", theirs), other)
            .at("/results/0/roomSessionId")
            .asText();

    assertThat(names(ok("/v1/insights/rooms?limit=100"))).doesNotContain(theirs).hasSize(12);
    assertThat(names(ok("/v1/insights/rooms?limit=100", other))).containsExactly(theirs);
    assertThat(ok("/v1/insights/rooms?" + q("roomName[exact]", theirs)).get("results")).isEmpty();
    assertThat(ok("/v1/insights/room-sessions?" + q("roomName", theirs)).get("results")).isEmpty();
    assertThat(ok("/v1/insights/participants?roomSessionId=" + theirSession).get("results"))
        .isEmpty();
    assertThat(ok("/v1/insights/participant?roomSessionId=" + theirSession + "&participantId=olga"))
        .isEmpty();
    assertThat(ok("/v1/insights/participants?externalId=customer-42").get("results"))
        .extracting(p -> p.get("participantId").asText())
        .containsExactly("mine");
    assertThat(ok("/v1/insights/participants?externalId=customer-42", other).get("results"))
        .extracting(p -> p.get("participantId").asText())
        .containsExactly("olga");
    assertThat(
            ok(
                "/v1/insights/participant?roomSessionId=" + theirSession + "&participantId=olga",
                other))
        .hasSize(1);
  }
}
