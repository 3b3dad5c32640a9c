package dev.parlor.recordings;

import dev.parlor.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;

/** Recordings added the way the room server will add them, for the HTTP tests. */
final class RecordingFixtures {
  private RecordingFixtures() {}

  static Recording add(
      TestServer server, long org, String room, Instant start, Duration length, int sizeBytes) {
    byte[] content = new byte[sizeBytes];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 31 + 7);
    }
    return add(server, org, room, start, length, content, "mp4");
  }

  static Recording add(
      TestServer server,
      long org,
      String room,
      Instant start,
      Duration length,
      byte[] content,
      String ext) {
    return server
        .app()
        .recordings()
        .addHosted(
            new RecordingService.Finished(
                org, room, "session-" + room.hashCode(), start, start.plus(length), ext),
            new ByteArrayInputStream(content));
  }
}
