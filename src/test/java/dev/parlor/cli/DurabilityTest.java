package dev.parlor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parlor.testing.AdminDatabase;
import dev.parlor.testing.ApiClient;
import dev.parlor.testing.ApiClient.Response;
import dev.parlor.testing.ParlorProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a {@code 201} promises: the meeting is stored, even if the server is killed right after. */
class DurabilityTest {
  private static final int THREADS = 8;
  private static final int PER_THREAD = 50;

  @TempDir Path dataDir;

  @Test
  void everyAcknowledgedMeetingSurvivesKillDashNineRightAfterTheLastResponse() throws Exception {
    String key;
    try (AdminDatabase admin = AdminDatabase.open(dataDir)) {
      key = admin.newOrganization("unlimited").apiKey();
    }
    Map<String, String> env = ParlorProcess.env(dataDir);
    ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> refused = new ConcurrentLinkedQueue<>();

    try (ParlorProcess server = ParlorProcess.serve(env)) {
      ApiClient api = server.client();
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          done.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < PER_THREAD; i++) {
                      Response r = api.post("/v1/meetings", key, ApiClient.meetingBody());
                      if (r.status() == 201) {
                        acknowledged.add(r.json().get("meetingId").asText());
                      } else {
                        refused.add(r.toString());
                      }
                    }
                    return null;
                  }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      server.kill();
    }

    assertThat(refused).isEmpty();
    assertThat(acknowledged).hasSize(THREADS * PER_THREAD).doesNotHaveDuplicates();
    try (ParlorProcess restarted = ParlorProcess.serve(env)) {
      ApiClient api = restarted.client();
      List<String> missing = new ArrayList<>();
      for (String id : acknowledged) {
        Response r = api.get("/v1/meetings/" + id, key);
        if (r.status() != 200 || !r.json().get("meetingId").asText().equals(id)) {
          missing.add(id + ": " + r);
        }
      }
      assertThat(missing).as("acknowledged meetings lost by kill -9").isEmpty();
    }
  }
}
