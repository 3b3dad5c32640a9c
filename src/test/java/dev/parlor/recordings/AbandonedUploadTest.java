package dev.parlor.recordings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parlor.db.WriteBatcher;
import dev.parlor.orgs.OrganizationService;
import dev.parlor.testing.MutableClock;
import dev.parlor.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A hosted recording's row exists before its file, so a stop mid-upload leaves nothing behind. */
class AbandonedUploadTest {
  static final Instant T0 = Instant.parse("2030-03-01T12:00:00Z");

  @Test
  void aFileLeftByAStoppedUploadIsRemovedWithItsInvisibleRowAfterSixHours() {
    MutableClock clock = new MutableClock(T0);
    try (TestServer server = TestServer.start(Map.of(), clock);
        WriteBatcher writer = new WriteBatcher(server.app().database().jdbi())) {
      OrganizationService.Created org = server.newOrganizationWithId("unlimited");
      long orgId = org.organization().id();
      // what a process that died between writing the file and making the row ready leaves
      String id = java.util.UUID.randomUUID().toString();
      String key = "recordings/" + orgId + "/" + id + ".mp4";
      SqlRecordingStore store = new SqlRecordingStore(server.app().database().jdbi(), writer);
      store.insert(
          new Recording(
              id,
              orgId,
              "/half-done",
              "s-1",
              "half-done.mp4",
              T0,
              T0,
              0,
              "video/mp4",
              Recording.Storage.PARLOR,
              key,
              Optional.empty(),
              Recording.State.UPLOADING,
              T0));
      server.app().blobs().put(key, new ByteArrayInputStream(new byte[1000]), 10_000, "video/mp4");

      assertThat(server.client().get("/v1/recordings/" + id, org.apiKey()).status()).isEqualTo(404);
      assertThat(server.client().get("/v1/recordings", org.apiKey()).json().get("results"))
          .isEmpty();
      server.app().recordings().processBackgroundWork();
      assertThat(server.app().blobs().exists(key)).as("an upload may still be under way").isTrue();

      clock.advance(Duration.ofHours(6).plusSeconds(1));
      server.app().recordings().processBackgroundWork();
      assertThat(server.app().blobs().exists(key)).isFalse();
      assertThat(store.markReady(id, 1000, h -> null)).as("the row is gone").isFalse();
    }
  }

  @Test
  void anUploadThatFailsLeavesNoRowAndAFinishedOneIsListedWithItsSize() {
    try (TestServer server = TestServer.start()) {
      OrganizationService.Created org = server.newOrganizationWithId("unlimited");
      long orgId = org.organization().id();
      InputStream broken =
          new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
              if (n++ > 100) {
                throw new IOException("disk on fire");
              }
              return 1;
            }
          };
      RecordingService.Finished f =
          new RecordingService.Finished(orgId, "/broken", "s", T0, T0.plusSeconds(5), "mp4");
      assertThatThrownBy(() -> server.app().recordings().addHosted(f, broken))
          .isInstanceOf(RuntimeException.class);
      Recording ok =
          server
              .app()
              .recordings()
              .addHosted(
                  new RecordingService.Finished(orgId, "/fine", "s", T0, T0.plusSeconds(5), "mp4"),
                  new ByteArrayInputStream(new byte[1234]));
      assertThat(ok.sizeBytes()).isEqualTo(1234);
      var list = server.client().get("/v1/recordings", org.apiKey()).json().get("results");
      assertThat(list).hasSize(1);
      assertThat(list.get(0).get("recordingId").asText()).isEqualTo(ok.recordingId());
      assertThat(server.app().recordings().get(orgId, ok.recordingId()).orElseThrow().sizeBytes())
          .as("the size written when it became ready")
          .isEqualTo(1234);
      assertThat(server.app().recordings().processBackgroundWork()).isZero();
    }
  }
}
