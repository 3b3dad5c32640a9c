package dev.parlor.recordings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parlor.orgs.OrganizationService;
import dev.parlor.testing.ApiClient.Response;
import dev.parlor.testing.MutableClock;
import dev.parlor.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bulk deletes (in the background, across a restart) and the retention sweep. */
class BulkDeleteAndRetentionTest {
  static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

  static String body(List<String> ids) {
    StringBuilder sb = new StringBuilder("{\"recordingIds\":[");
    for (int i = 0; i < ids.size(); i++) {
      sb.append(i == 0 ? "" : ",").append('"').append(ids.get(i)).append('"');
    }
    return sb.append("]}").toString();
  }

  static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() < deadline).as(what + " within 15 s").isTrue();
      Thread.sleep(20);
    }
  }

  @Test
  void aBulkDeleteAnswers204AtOnceThenDeletesTheNamedRecordingsAndFilesAndIgnoresTheRest()
      throws Exception {
    try (TestServer server = TestServer.start()) {
      OrganizationService.Created org = server.newOrganizationWithId("unlimited");
      OrganizationService.Created other = server.newOrganizationWithId("unlimited");
      long id = org.organization().id();
      List<Recording> rs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        rs.add(RecordingFixtures.add(server, id, "/bulk", T0.plusSeconds(i), Duration.ZERO, 100));
      }
      Recording foreign =
          RecordingFixtures.add(server, other.organization().id(), "/bulk", T0, Duration.ZERO, 100);

      Response r =
          server
              .client()
              .post(
                  "/v1/recordings/bulk-delete",
                  org.apiKey(),
                  body(
                      List.of(
                          rs.get(0).recordingId(),
                          rs.get(1).recordingId(),
                          rs.get(1).recordingId(),
                          UUID.randomUUID().toString(),
                          "not-a-recording",
                          foreign.recordingId())));

      assertThat(r.status()).as(r.toString()).isEqualTo(204);
      assertThat(r.body()).isEmpty();
      eventually(
          () ->
              server
                      .client()
                      .get("/v1/recordings/" + rs.get(1).recordingId(), org.apiKey())
                      .status()
                  == 404,
          "the bulk delete");
      assertThat(
              server
                  .client()
                  .get("/v1/recordings/" + rs.get(0).recordingId(), org.apiKey())
                  .status())
          .isEqualTo(404);
      assertThat(server.app().blobs().exists(rs.get(0).storageKey())).isFalse();
      assertThat(server.app().blobs().exists(rs.get(1).storageKey())).isFalse();
      assertThat(
              server
                  .client()
                  .get("/v1/recordings/" + rs.get(2).recordingId(), org.apiKey())
                  .status())
          .isEqualTo(200);
      assertThat(
              server
                  .client()
                  .get("/v1/recordings/" + foreign.recordingId(), other.apiKey())
                  .status())
          .as("another organization's recording is ignored")
          .isEqualTo(200);
      assertThat(server.app().blobs().exists(foreign.storageKey())).isTrue();

      Response again =
          server
              .client()
              .post(
                  "/v1/recordings/bulk-delete",
                  org.apiKey(),
                  body(List.of(rs.get(0).recordingId())));
      assertThat(again.status()).as("idempotent").isEqualTo(204);
      assertThat(
              server
                  .client()
                  .post("/v1/recordings/bulk-delete", org.apiKey(), body(List.of()))
                  .status())
          .isEqualTo(204);
    }
  }

  @Test
  void aBulkDeleteAcceptedBeforeARestartIsCarriedOutAfterIt(@TempDir Path dataDir)
      throws Exception {
    Map<String, String> env = Map.of("PARLOR_DATA_DIR", dataDir.toString());
    String key;
    List<Recording> rs = new ArrayList<>();
    try (TestServer first = TestServer.start(env)) {
      OrganizationService.Created org = first.newOrganizationWithId("unlimited");
      key = org.apiKey();
      for (int i = 0; i < 3; i++) {
        rs.add(
            RecordingFixtures.add(
                first, org.organization().id(), "/restart", T0.plusSeconds(i), Duration.ZERO, 50));
      }
      first.app().recordingWorker().pause();

      Response r =
          first
              .client()
              .post(
                  "/v1/recordings/bulk-delete",
                  key,
                  body(List.of(rs.get(0).recordingId(), rs.get(1).recordingId())));
      assertThat(r.status()).isEqualTo(204);
      Thread.sleep(200);
      assertThat(first.client().get("/v1/recordings/" + rs.get(0).recordingId(), key).status())
          .as("not carried out while the worker is paused")
          .isEqualTo(200);
    }

    try (TestServer second = TestServer.start(env)) {
      eventually(
          () ->
              second.client().get("/v1/recordings/" + rs.get(0).recordingId(), key).status() == 404
                  && second.client().get("/v1/recordings/" + rs.get(1).recordingId(), key).status()
                      == 404,
          "the bulk delete accepted before the restart");
      assertThat(second.client().get("/v1/recordings/" + rs.get(2).recordingId(), key).status())
          .isEqualTo(200);
      assertThat(second.app().blobs().exists(rs.get(0).storageKey())).isFalse();
      assertThat(second.app().blobs().exists(rs.get(2).storageKey())).isTrue();
    }
  }

  @Test
  void aBulkDeleteBodyWithoutAnArrayOfAtMost100StringsIsA400NamingRecordingIds() {
    try (TestServer server = TestServer.start()) {
      String key = server.newOrganization("unlimited");
      List<String> tooMany = new ArrayList<>();
      for (int i = 0; i < 101; i++) {
        tooMany.add(UUID.randomUUID().toString());
      }
      for (String[] c :
          new String[][] {
            {"{}", "recordingIds"},
            {"{\"recordingIds\":\"abc\"}", "recordingIds"},
            {"{\"recordingIds\":[1]}", "recordingIds[0]"},
            {body(tooMany), "recordingIds"}
          }) {
        Response r = server.client().post("/v1/recordings/bulk-delete", key, c[0]);
        assertThat(r.status()).as(c[0]).isEqualTo(400);
        assertThat(r.json().at("/data/field").asText()).isEqualTo(c[1]);
      }
      assertThat(server.client().post("/v1/recordings/bulk-delete", key, "{").status())
          .isEqualTo(400);
      assertThat(
              server
                  .client()
                  .post("/v1/recordings/bulk-delete", key, body(tooMany.subList(0, 100)))
                  .status())
          .isEqualTo(204);
    }
  }

  @Test
  void withARetentionRecordingsThatEndedLongerAgoAreDeletedWithTheirFilesTheOthersKept() {
    MutableClock clock = new MutableClock(T0);
    try (TestServer server =
        TestServer.start(Map.of("PARLOR_RECORDING_RETENTION", "P30D"), clock)) {
      // This test runs the background pass itself.
      server.app().recordingWorker().pause();
      OrganizationService.Created org = server.newOrganizationWithId("unlimited");
      long id = org.organization().id();
      Recording old =
          RecordingFixtures.add(
              server, id, "/old", T0.minus(Duration.ofDays(31)), Duration.ofHours(1), 10);
      Recording recent =
          RecordingFixtures.add(
              server, id, "/new", T0.minus(Duration.ofDays(29)), Duration.ZERO, 10);

      assertThat(server.app().recordings().processBackgroundWork()).isEqualTo(1);

      assertThat(server.client().get("/v1/recordings/" + old.recordingId(), org.apiKey()).status())
          .isEqualTo(404);
      assertThat(server.app().blobs().exists(old.storageKey())).isFalse();
      assertThat(
              server.client().get("/v1/recordings/" + recent.recordingId(), org.apiKey()).status())
          .isEqualTo(200);

      clock.advance(Duration.ofDays(2));
      assertThat(server.app().recordings().processBackgroundWork()).isEqualTo(1);
      assertThat(
              server.client().get("/v1/recordings/" + recent.recordingId(), org.apiKey()).status())
          .isEqualTo(404);
    }
  }

  @Test
  void byDefaultRecordingsAreKeptHoweverOldTheyAre() {
    try (TestServer server = TestServer.start()) {
      OrganizationService.Created org = server.newOrganizationWithId("unlimited");
      Recording ancient =
          RecordingFixtures.add(
              server,
              org.organization().id(),
              "/ancient",
              Instant.parse("2001-01-01T00:00:00Z"),
              Duration.ZERO,
              10);

      assertThat(server.app().recordings().processBackgroundWork()).isZero();
      assertThat(
              server.client().get("/v1/recordings/" + ancient.recordingId(), org.apiKey()).status())
          .isEqualTo(200);
    }
  }
}
