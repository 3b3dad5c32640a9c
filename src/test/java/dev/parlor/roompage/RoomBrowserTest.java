package dev.parlor.roompage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parlor.signaling.RoomObserver;
import dev.parlor.testing.ApiClient;
import dev.parlor.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.OutputType;

/**
 * Real headless Chromium browsers in real rooms: every participant receives every other
 * participant's video (frames advancing), capacity, knocking, viewers, ending. Four browsers are
 * shared by all tests.
 */
class RoomBrowserTest {
  static TestServer server;
  static String key;
  static List<Browser> browsers = List.of();
  static final List<String> samples = new CopyOnWriteArrayList<>();
  static final List<String> connections = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    Browser.assumeAvailable();
    server = TestServer.start();
    key = server.newOrganization("unlimited");
    server.app().signaling().addObserver(new Recorder());
    browsers = Browser.start(4);
  }

  @AfterAll
  static void stop() {
    browsers.forEach(Browser::close);
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void leaveRooms() {
    for (Browser b : browsers) {
      b.open("about:blank");
    }
  }

  record Room(String roomUrl, String hostUrl, String viewerUrl) {}

  static Room meeting(String... extra) {
    List<String> members =
        new ArrayList<>(List.of("\"fields\":[\"hostRoomUrl\",\"viewerRoomUrl\"]"));
    members.addAll(List.of(extra));
    ApiClient.Response r =
        server
            .client()
            .post("/v1/meetings", key, ApiClient.meetingBody(members.toArray(String[]::new)));
    assertThat(r.status()).isEqualTo(201);
    JsonNode j = r.json();
    return new Room(
        j.get("roomUrl").asText(), j.get("hostRoomUrl").asText(), j.get("viewerRoomUrl").asText());
  }

  static String with(String url, String params) {
    return url + (url.contains("?") ? "&" : "?") + params;
  }

  /** Opens the room straight into the call (no pre-call screen) at a low capture resolution. */
  static String selfId(Browser b, String url, String name) {
    b.open(with(url, "skipMediaPermissionPrompt&lowres&displayName=" + name));
    b.awaitPhase("room");
    return (String) b.state().get("selfId");
  }

  /** Waits until {@code b} renders advancing video from each of {@code ids}. */
  static void assertReceivesVideoFrom(Browser b, Set<String> ids) throws InterruptedException {
    b.await(
        Duration.ofSeconds(30),
        x -> {
          Set<String> playing = new HashSet<>();
          for (Map<String, Object> v : x.remoteVideos()) {
            if (((Number) v.get("frames")).longValue() > 0
                && ((Number) v.get("width")).longValue() > 0) {
              playing.add((String) v.get("id"));
            }
          }
          return playing.containsAll(ids) ? true : null;
        });
    Map<String, double[]> before = positions(b);
    Thread.sleep(1500);
    Map<String, double[]> after = positions(b);
    for (String id : ids) {
      assertThat(after.get(id)[0]).as("frames from %s", id).isGreaterThan(before.get(id)[0]);
      assertThat(after.get(id)[1]).as("playback time of %s", id).isGreaterThan(before.get(id)[1]);
    }
  }

  static Map<String, double[]> positions(Browser b) {
    Map<String, double[]> m = new java.util.HashMap<>();
    for (Map<String, Object> v : b.remoteVideos()) {
      m.put(
          (String) v.get("id"),
          new double[] {
            ((Number) v.get("frames")).doubleValue(), ((Number) v.get("time")).doubleValue()
          });
    }
    return m;
  }

  static Set<String> othersThan(List<String> ids, String self) {
    Set<String> s = new HashSet<>(ids);
    s.remove(self);
    return s;
  }

  // ------------------------------------------------------------------ tests

  @Test
  void twoParticipantsReceiveEachOthersVideoAndReportStats() throws Exception {
    Room room = meeting();
    Browser a = browsers.get(0);
    Browser b = browsers.get(1);
    // the host goes through the pre-call screen
    a.open(with(room.hostUrl(), "lowres"));
    a.awaitPhase("prejoin");
    a.find("#name-input").clear();
    a.find("#name-input").sendKeys("Ada Host");
    a.await(
        Duration.ofSeconds(10),
        x ->
            x.js("return document.getElementById('camera-select').options.length > 0").equals(true)
                ? true
                : null);
    a.click("#join-button");
    a.awaitPhase("room");
    String aId = (String) a.state().get("selfId");
    assertThat(a.state().get("role")).isEqualTo("host");
    String bId = selfId(b, room.roomUrl(), "Bob");
    assertThat(b.state().get("role")).isEqualTo("visitor");

    assertReceivesVideoFrom(a, Set.of(bId));
    assertReceivesVideoFrom(b, Set.of(aId));

    // two-second getStats reports reach the server with a real send bitrate
    a.await(
        Duration.ofSeconds(15),
        x -> samples.stream().filter(s -> !s.contains(" 0.0 ")).count() >= 2 ? true : null);
    assertThat(connections).anyMatch(c -> c.contains(" host Ada Host ") && c.contains("Chrome"));

    // chat round trip
    b.click("#btn-chat");
    b.find("#chat-input").sendKeys("hello from Bob");
    b.click("#chat-form button");
    a.await(
        Duration.ofSeconds(10),
        x ->
            x.js("return document.getElementById('chat-log').textContent")
                    .toString()
                    .contains("hello from Bob")
                ? true
                : null);
  }

  @Test
  void threeThenFourParticipantsReceiveEveryOtherAndAFifthIsRefused() throws Exception {
    Room room = meeting();
    List<String> ids = new ArrayList<>();
    ids.add(selfId(browsers.get(0), room.hostUrl(), "One"));
    ids.add(selfId(browsers.get(1), room.roomUrl(), "Two"));
    ids.add(selfId(browsers.get(2), room.roomUrl(), "Three"));
    for (int i = 0; i < 3; i++) {
      assertReceivesVideoFrom(browsers.get(i), othersThan(ids, ids.get(i)));
    }
    ids.add(selfId(browsers.get(3), room.roomUrl(), "Four"));
    for (int i = 0; i < 4; i++) {
      assertReceivesVideoFrom(browsers.get(i), othersThan(ids, ids.get(i)));
    }
    Path shot = browsers.get(0).driver.getScreenshotAs(OutputType.FILE).toPath();
    Files.createDirectories(Path.of("target"));
    Files.copy(
        shot,
        Path.of("target/room-four-people.png"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    try (Browser fifth = new Browser()) {
      fifth.open(with(room.roomUrl(), "skipMediaPermissionPrompt&lowres&video=off"));
      fifth.awaitPhase("error");
      assertThat(fifth.find("#error-title").getText()).isEqualTo("The room is full");
    }
  }

  @Test
  void aBrowserThatLeavesAndComesBackIsTheSameParticipant() throws Exception {
    Room room = meeting();
    Browser b = browsers.get(0);
    String first = selfId(b, room.roomUrl(), "Returning");
    String name = room.roomUrl().substring(room.roomUrl().lastIndexOf('/'));
    b.open("about:blank");
    b.await(
        Duration.ofSeconds(10),
        x -> server.app().signaling().bus().roomNames().contains(name) ? null : true);
    String again = selfId(b, room.roomUrl(), "Returning");
    assertThat(again).isEqualTo(first);
  }

  @Test
  void aDroppedConnectionRejoinsByItselfAsTheSameParticipantAndMediaFlowsAgain() throws Exception {
    Room room = meeting();
    Browser a = browsers.get(0);
    Browser b = browsers.get(1);
    String aId = selfId(a, room.hostUrl(), "Steady");
    String bId = selfId(b, room.roomUrl(), "Flaky");
    assertReceivesVideoFrom(a, Set.of(bId));
    List<String> before = connections.stream().filter(c -> c.contains(" Flaky ")).toList();
    String conn = before.getLast().split(" ")[0];

    // the server drops the connection (as a restart or a proxy would), without ending anything
    server.app().signaling().bus().disconnect(conn, 1012, "service restart");

    b.await(
        Duration.ofSeconds(20),
        x ->
            connections.stream().filter(c -> c.contains(" Flaky ")).count() > before.size()
                    && "room".equals(x.phase())
                ? true
                : null);
    assertThat(b.state().get("selfId")).isEqualTo(bId);
    assertReceivesVideoFrom(a, Set.of(bId));
    assertReceivesVideoFrom(b, Set.of(aId));
  }

  @Test
  void aVisitorKnocksOnALockedRoomAndTheHostLetsThemIn() throws Exception {
    Room room = meeting("\"isLocked\":true");
    Browser host = browsers.get(0);
    Browser visitor = browsers.get(1);
    String hostId = selfId(host, room.hostUrl(), "Host");
    visitor.open(with(room.roomUrl(), "skipMediaPermissionPrompt&lowres&displayName=Knocky"));
    visitor.awaitPhase("knock");
    assertThat(visitor.remoteVideos()).isEmpty();
    visitor.click("#knock-button");
    host.await(
        Duration.ofSeconds(15),
        b ->
            b.js("return document.querySelectorAll('#knock-list li').length").equals(1L)
                ? true
                : null);
    assertThat(host.find("#knock-list .name").getText()).isEqualTo("Knocky");
    assertThat(
            host.js("const i = document.querySelector('#knock-list img'); return i ? i.src : ''")
                .toString())
        .startsWith("data:image/jpeg;base64,");
    host.click("#knock-list button[data-testid^='accept-']");
    visitor.awaitPhase("room");
    assertThat(visitor.state().get("role")).isEqualTo("granted_visitor");
    String visitorId = (String) visitor.state().get("selfId");
    assertReceivesVideoFrom(visitor, Set.of(hostId));
    assertReceivesVideoFrom(host, Set.of(visitorId));
  }

  @Test
  void aViewerReceivesButDoesNotSend() throws Exception {
    Room room = meeting();
    Browser host = browsers.get(0);
    Browser viewer = browsers.get(1);
    String hostId = selfId(host, room.hostUrl(), "Host");
    viewer.open(with(room.viewerUrl(), "lowres"));
    viewer.awaitPhase("room");
    assertThat(viewer.state().get("role")).isEqualTo("viewer");
    assertThat(viewer.state().get("sending")).isEqualTo(false);
    assertReceivesVideoFrom(viewer, Set.of(hostId));
    // the viewer's connection carries no outgoing track, and the host gets none from it
    assertThat(viewer.state().get("sendingTracks")).isEqualTo(0L);
    assertThat(((Number) viewer.state().get("receivingTracks")).longValue()).isEqualTo(2L);
    assertThat(viewer.js("return document.querySelectorAll('.tile.self').length")).isEqualTo(0L);
    assertThat(((Number) host.state().get("sendingTracks")).longValue()).isEqualTo(2L);
    Thread.sleep(1000);
    Object tracks =
        host.js(
            "const t = document.querySelector('.tile.remote video'); return t && t.srcObject ?"
                + " t.srcObject.getTracks().length : -1;");
    assertThat(tracks).isEqualTo(0L);
  }

  @Test
  void theHostEndsTheMeetingForEveryone() {
    Room room = meeting();
    Browser host = browsers.get(0);
    Browser visitor = browsers.get(1);
    selfId(host, room.hostUrl(), "Host");
    selfId(visitor, room.roomUrl(), "Guest");
    host.click("#btn-end");
    visitor.awaitPhase("ended");
    host.awaitPhase("ended");
    assertThat(visitor.find("#ended-title").getText()).isEqualTo("The meeting has ended");
  }

  @Test
  void deletingTheMeetingRemovesEveryoneAndTheRoomIsGone() {
    ApiClient.Response created =
        server
            .client()
            .post("/v1/meetings", key, ApiClient.meetingBody("\"fields\":[\"hostRoomUrl\"]"));
    String roomUrl = created.json().get("roomUrl").asText();
    Browser host = browsers.get(0);
    Browser visitor = browsers.get(1);
    selfId(host, created.json().get("hostRoomUrl").asText(), "Host");
    selfId(visitor, roomUrl, "Guest");
    assertThat(
            server
                .client()
                .delete("/v1/meetings/" + created.json().get("meetingId").asText(), key)
                .status())
        .isEqualTo(204);
    host.awaitPhase("ended");
    visitor.awaitPhase("ended");
    visitor.open(roomUrl);
    assertThat(visitor.find("h1").getText()).isEqualTo("Room not found or ended");
  }

  @Test
  void theEmbedComponentForwardsAttributesReDispatchesEventsAndSendsCommands() throws Exception {
    Room room = meeting();
    String page =
        "<!doctype html><html><body><script src=\""
            + server.baseUrl()
            + "/_parlor/embed.js\"></script>"
            + "<parlor-embed id=\"e\" room=\""
            + room.hostUrl()
            + "\" displayname=\"Embedded\" skipmediapermissionprompt lowres minimal"
            + " style=\"height:400px\"></parlor-embed><script>window.events=[];"
            + "for (const t of ['ready','join','leave','participant_join','participant_leave',"
            + "'camera_toggle','microphone_toggle','participantupdate'])"
            + " document.getElementById('e').addEventListener(t, ev =>"
            + " window.events.push(t + ':' + JSON.stringify(ev.detail)));</script></body></html>";
    com.sun.net.httpserver.HttpServer parent =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    parent.createContext(
        "/",
        ex -> {
          byte[] body = page.getBytes(java.nio.charset.StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    parent.start();
    try {
      Browser host = browsers.get(0);
      // localhost, not 127.0.0.1: the parent is another origin than the room
      host.open("http://localhost:" + parent.getAddress().getPort() + "/");
      host.await(
          Duration.ofSeconds(20),
          b -> events(b).stream().anyMatch(e -> e.startsWith("join:")) ? true : null);
      assertThat(events(host)).anyMatch(e -> e.startsWith("ready:"));
      assertThat(events(host)).anyMatch(e -> e.contains("\"role\":\"host\""));

      selfId(browsers.get(1), room.roomUrl(), "Guest");
      host.await(
          Duration.ofSeconds(20),
          b -> events(b).stream().anyMatch(e -> e.startsWith("participant_join:")) ? true : null);

      host.js("document.getElementById('e').toggleCamera(false)");
      host.await(
          Duration.ofSeconds(10),
          b -> events(b).contains("camera_toggle:{\"enabled\":false}") ? true : null);
      browsers
          .get(1)
          .await(
              Duration.ofSeconds(10),
              b ->
                  "false"
                          .equals(
                              b.js(
                                  "const t = document.querySelector('.tile.remote'); return t && t.dataset.video;"))
                      ? true
                      : null);
      host.js("document.getElementById('e').leaveRoom()");
      host.await(
          Duration.ofSeconds(10),
          b -> events(b).stream().anyMatch(e -> e.startsWith("leave:")) ? true : null);
      browsers.get(1).await(Duration.ofSeconds(10), b -> b.remoteVideos().isEmpty() ? true : null);
    } finally {
      parent.stop(0);
    }
  }

  @Test
  void urlParametersAreValidatedVisiblyAndTurnControlsOff() {
    Room room = meeting();
    Room other = meeting();
    Browser b = browsers.get(0);
    b.open(with(room.roomUrl(), "externalId=not%20valid&lowres"));
    b.awaitPhase("error");
    assertThat(b.find("#error-text").getText()).contains("externalId");

    b.open(with(room.roomUrl(), "displayName=%3Cb%3E&lowres"));
    b.awaitPhase("error");
    assertThat(b.find("#error-title").getText()).isEqualTo("Invalid display name");

    String foreignKey = other.hostUrl().substring(other.hostUrl().indexOf("roomKey="));
    b.open(with(room.roomUrl(), foreignKey + "&skipMediaPermissionPrompt&lowres"));
    b.awaitPhase("error");
    assertThat(b.find("#error-title").getText()).isEqualTo("Invalid room link");

    b.open(
        with(
            room.roomUrl(),
            "skipMediaPermissionPrompt&lowres&minimal&chat=off&people=off&screenshare=off"
                + "&leaveButton=off&audio=off&unknownParameter=1"));
    b.awaitPhase("room");
    for (String id : List.of("btn-chat", "btn-people", "btn-screen", "btn-leave", "topbar")) {
      assertThat(b.find("#" + id).isDisplayed()).as(id).isFalse();
    }
    assertThat(b.find("#btn-mic").getText()).isEqualTo("Mic off");
    assertThat(b.find("#btn-cam").getText()).isEqualTo("Camera on");
  }

  @SuppressWarnings("unchecked")
  static List<String> events(Browser b) {
    Object e = b.js("return window.events || [];");
    return (List<String>) e;
  }

  /** Records what the signaling server tells insights. */
  static final class Recorder implements RoomObserver {
    @Override
    public void connected(Participant p, java.util.Map<String, Integer> present, Instant time) {
      connections.add(
          p.connectionId() + " " + p.roleName() + " " + p.displayName() + " " + p.userAgent());
    }

    @Override
    public void disconnected(Participant p, java.util.Map<String, Integer> present, Instant time) {}

    @Override
    public void sample(
        String connectionId,
        double packetLossSendPct,
        double packetLossRecvPct,
        double bitrateSendBps,
        double bitrateRecvBps,
        Instant time) {
      samples.add(connectionId + " " + bitrateSendBps + " " + bitrateRecvBps);
    }

    @Override
    public void mediaEvent(String connectionId, String type, Instant time) {}
  }

  static void unused() throws IOException {}
}
