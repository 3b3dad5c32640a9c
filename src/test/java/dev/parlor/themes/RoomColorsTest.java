package dev.parlor.themes;

import static dev.parlor.testing.ApiAssertions.assertError;
import static dev.parlor.testing.ApiAssertions.assertFieldError;
import static dev.parlor.themes.ThemeFixture.putTokens;
import static dev.parlor.themes.ThemeFixture.room;
import static dev.parlor.themes.ThemeFixture.theme;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parlor.testing.ApiClient;
import dev.parlor.testing.ApiClient.Response;
import dev.parlor.testing.MutableClock;
import dev.parlor.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code PUT /v1/rooms/{roomName}/theme/tokens} over real HTTP. */
class RoomColorsTest {
  static final String NOT_FOUND = "The requested resource doesn't exist";

  static MutableClock clock;
  static TestServer server;
  static ApiClient api;
  static String key;
  static long orgId;

  @BeforeAll
  static void start() {
    clock = MutableClock.startingNow();
    server = TestServer.start(Map.of("PARLOR_SWEEP_INTERVAL", "PT1H"), clock);
    api = server.client();
    var created = server.newOrganizationWithId("unlimited");
    key = created.apiKey();
    orgId = created.organization().id();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String custom(String primary, String secondary, String focus) {
    return "{\"tokensPreset\":\"custom\",\"tokens\":{\"colors\":{\"primary\":\""
        + primary
        + "\",\"secondary\":\""
        + secondary
        + "\",\"focus\":\""
        + focus
        + "\"}}}";
  }

  static JsonNode colors(String room) {
    return theme(api, room).at("/tokens/colors");
  }

  @Test
  void customColorsAreSavedWith204AndServedInTheRoomsThemeInLowerCase() {
    String room = room(server, key);

    Response r = putTokens(api, key, room, custom("#112233", "#AaBbCc", "#00ff7F"));

    assertThat(r.status()).as(r.toString()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
    JsonNode t = theme(api, room);
    assertThat(t.get("tokensPreset").asText()).isEqualTo("custom");
    assertThat(t.at("/tokens/colors/primary").asText()).isEqualTo("#112233");
    assertThat(t.at("/tokens/colors/secondary").asText()).isEqualTo("#aabbcc");
    assertThat(t.at("/tokens/colors/focus").asText()).isEqualTo("#00ff7f");
  }

  @Test
  void aNewRoomHasParlorsDefaultColorsAndTheDefaultPreset() {
    String room = room(server, key);

    JsonNode t = theme(api, room);

    assertThat(t.get("tokensPreset").asText()).isEqualTo("default");
    assertThat(t.at("/tokens/colors/primary").asText()).isEqualTo(Colors.BUILT_IN.primary().get());
    assertThat(t.at("/tokens/colors/secondary").asText())
        .isEqualTo(Colors.BUILT_IN.secondary().get());
    assertThat(t.at("/tokens/colors/focus").asText()).isEqualTo(Colors.BUILT_IN.focus().get());
  }

  @Test
  void aCustomPresetWithSomeColorsTakesTheRestFromTheOrganizationThenFromParlor() {
    var org = server.newOrganizationWithId("unlimited");
    server
        .app()
        .themes()
        .setOrganizationColors(
            org.organization().id(),
            new Colors(Optional.empty(), Optional.of("#0a0b0c"), Optional.empty()));
    String room = room(server, org.apiKey());

    Response r =
        putTokens(
            api,
            org.apiKey(),
            room,
            "{\"tokensPreset\":\"custom\",\"tokens\":{\"colors\":{\"primary\":\"#123456\"}}}");

    assertThat(r.status()).isEqualTo(204);
    assertThat(colors(room).get("primary").asText()).isEqualTo("#123456");
    assertThat(colors(room).get("secondary").asText()).isEqualTo("#0a0b0c");
    assertThat(colors(room).get("focus").asText()).isEqualTo(Colors.BUILT_IN.focus().get());
  }

  @ParameterizedTest(name = "tokensPreset {0}")
  @ValueSource(strings = {"\"tokensPreset\":\"default\",", ""})
  void theDefaultPresetOrNoPresetMeansTheOrganizationsDefaultsEvenWithColorsGiven(String preset) {
    var org = server.newOrganizationWithId("unlimited");
    server
        .app()
        .themes()
        .setOrganizationColors(
            org.organization().id(),
            new Colors(Optional.of("#abcdef"), Optional.of("#fedcba"), Optional.of("#010203")));
    String room = room(server, org.apiKey());
    assertThat(putTokens(api, org.apiKey(), room, custom("#111111", "#222222", "#333333")).status())
        .isEqualTo(204);
    assertThat(colors(room).get("primary").asText()).isEqualTo("#111111");

    Response r =
        putTokens(
            api,
            org.apiKey(),
            room,
            "{" + preset + "\"tokens\":{\"colors\":{\"primary\":\"#999999\"}}}");

    assertThat(r.status()).isEqualTo(204);
    JsonNode t = theme(api, room);
    assertThat(t.get("tokensPreset").asText()).isEqualTo("default");
    assertThat(t.at("/tokens/colors/primary").asText()).isEqualTo("#abcdef");
    assertThat(t.at("/tokens/colors/secondary").asText()).isEqualTo("#fedcba");
    assertThat(t.at("/tokens/colors/focus").asText()).isEqualTo("#010203");
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "primary | \"red\"",
        "primary | \"112233\"",
        "secondary | \"#12345\"",
        "secondary | \"#1234567\"",
        "focus | \"#12345g\"",
        "focus | \" #123456\"",
        "primary | \"#fff\"",
        "primary | 1193046",
        "secondary | [\"#123456\"]"
      })
  void aColorThatIsNotSixHexDigitsIsA400NamingIt(String color, String value) {
    String room = room(server, key);
    String body =
        "{\"tokensPreset\":\"custom\",\"tokens\":{\"colors\":{\"" + color + "\":" + value + "}}}";

    Response r = putTokens(api, key, room, body);

    assertFieldError(r, "tokens.colors." + color);
    assertThat(theme(api, room).get("tokensPreset").asText())
        .as("nothing was saved")
        .isEqualTo("default");
  }

  @Test
  void aBadPresetOrAWronglyShapedBodyIsA400NamingTheField() {
    String room = room(server, key);

    assertFieldError(putTokens(api, key, room, "{\"tokensPreset\":\"fancy\"}"), "tokensPreset");
    assertFieldError(putTokens(api, key, room, "{\"tokens\":\"blue\"}"), "tokens");
    assertFieldError(putTokens(api, key, room, "{\"tokens\":{\"colors\":[]}}"), "tokens.colors");
    assertThat(putTokens(api, key, room, "[1]").status()).isEqualTo(400);
    assertThat(putTokens(api, key, room, "{bad").status()).isEqualTo(400);
  }

  @Test
  void theRoomNameMayComeWithoutItsSlashWithItOrWithItEncoded() {
    String room = room(server, key);
    String name = room.substring(1);
    List<String> spellings = List.of(name, "/" + name, "%2F" + name, "%2f" + name);

    for (int i = 0; i < spellings.size(); i++) {
      String primary = "#00000" + i;
      Response r =
          api.send(
              "PUT",
              "/v1/rooms/" + spellings.get(i) + "/theme/tokens",
              key,
              custom(primary, "#ffffff", "#ffffff"));

      assertThat(r.status()).as(spellings.get(i) + ": " + r).isEqualTo(204);
      assertThat(colors(room).get("primary").asText()).isEqualTo(primary);
    }
  }

  @Test
  void anotherOrganizationsRoomIsNotFoundAndKeepsItsTheme() {
    String room = room(server, key);
    putTokens(api, key, room, custom("#101010", "#202020", "#303030"));
    String other = server.newOrganization("unlimited");

    Response r = putTokens(api, other, room, custom("#ff0000", "#ff0000", "#ff0000"));

    assertError(r, 404, NOT_FOUND);
    assertThat(colors(room).get("primary").asText()).isEqualTo("#101010");
  }

  @Test
  void anUnknownRoomIsNotFound() {
    for (String name : List.of("no-such-room", "%2Fno-such-room", "a/b", "%252Fx")) {
      Response r =
          api.send(
              "PUT",
              "/v1/rooms/" + name + "/theme/tokens",
              key,
              custom("#111111", "#111111", "#111111"));

      assertError(r, 404, NOT_FOUND);
    }
  }

  @Test
  void anExpiredRoomIsNotFoundBeforeAnySweepRemovedIt() {
    var org = server.newOrganizationWithId("unlimited");
    String room = room(server, org.apiKey(), clock.instant().plusSeconds(60));
    clock.advance(Duration.ofMinutes(1).plus(Duration.ofHours(1)).plusSeconds(1));

    try {
      assertError(
          putTokens(api, org.apiKey(), room, custom("#111111", "#111111", "#111111")),
          404,
          NOT_FOUND);
      assertError(api.get("/rooms/" + room.substring(1) + "/theme.json", null), 404, NOT_FOUND);
    } finally {
      clock.advance(Duration.ofHours(-1).minusMinutes(1).minusSeconds(1));
    }
  }

  @Test
  void withoutAValidKeyTheEndpointAnswers401() {
    String room = room(server, key);

    assertThat(putTokens(api, null, room, "{}").status()).isEqualTo(401);
    assertThat(putTokens(api, "prl_not-a-key", room, "{}").status()).isEqualTo(401);
  }

  @Test
  void anEmptyBodyIsTheDefaultPreset() {
    String room = room(server, key);
    putTokens(api, key, room, custom("#111111", "#111111", "#111111"));

    Response r = api.send("PUT", "/v1/rooms/" + room.substring(1) + "/theme/tokens", key, null);

    assertThat(r.status()).isEqualTo(204);
    assertThat(theme(api, room).get("tokensPreset").asText()).isEqualTo("default");
  }

  @Test
  void otherMethodsOnTheTokensPathAre405() {
    String room = room(server, key);

    Response r = api.send("POST", "/v1/rooms/" + room.substring(1) + "/theme/tokens", key, "{}");

    assertThat(r.status()).isEqualTo(405);
    assertThat(r.header("Allow")).hasValue("PUT");
  }

  @Test
  void colorsAreStoredPerRoom() {
    String a = room(server, key);
    String b = room(server, key);

    putTokens(api, key, a, custom("#aaaaaa", "#aaaaaa", "#aaaaaa"));

    assertThat(colors(a).get("primary").asText()).isEqualTo("#aaaaaa");
    assertThat(colors(b).get("primary").asText()).isEqualTo(Colors.BUILT_IN.primary().get());
    assertThat(orgId).isPositive();
  }
}
