package dev.parlor.cli;

import dev.parlor.blobs.BlobStore;
import dev.parlor.blobs.BlobStores;
import dev.parlor.config.AppConfig;
import dev.parlor.config.Secrets;
import dev.parlor.db.IdAllocator;
import dev.parlor.db.WriteBatcher;
import dev.parlor.http.Cursors;
import dev.parlor.http.Json;
import dev.parlor.recordings.Recording;
import dev.parlor.recordings.RecordingLinks;
import dev.parlor.recordings.RecordingService;
import dev.parlor.recordings.SqlRecordingStore;
import dev.parlor.webhooks.SqlWebhookStore;
import dev.parlor.webhooks.WebhookEvents;
import dev.parlor.webhooks.WebhookOutbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "recording",
    description = "Manage recordings.",
    subcommands = {RecordingCommand.Import.class})
final class RecordingCommand {

  @Command(
      name = "import",
      description =
          "Import an existing recording file: it is copied into Parlor's blob store and listed by"
              + " GET /v1/recordings.")
  static final class Import implements Callable<Integer> {
    @Option(names = "--org", required = true, description = "Organization id.")
    long org;

    @Option(names = "--room", required = true, description = "Room name, e.g. /team-a.")
    String room;

    @Option(names = "--file", required = true, description = "The media file (mp4, webm, mkv...).")
    Path file;

    @Option(names = "--session", description = "Room session id (default: a new UUID).")
    String session;

    @Option(
        names = "--start",
        description = "Start, ISO 8601 (default: --end, else the file's modification time).")
    String start;

    @Option(names = "--end", description = "End, ISO 8601 (default: the start).")
    String end;

    @Option(names = "--json", description = "Print the new recording as one JSON object.")
    boolean json;

    @Override
    public Integer call() {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("--file: no such file: " + file);
      }
      if (room.isBlank() || room.equals("/")) {
        throw new IllegalArgumentException("--room: a room name is required, e.g. /team-a");
      }
      Optional<Instant> s = instant("--start", start);
      Optional<Instant> e = instant("--end", end);
      if (s.isPresent() && e.isPresent() && e.get().isBefore(s.get())) {
        throw new IllegalArgumentException("--end must not be before --start");
      }
      AppConfig config = AppConfig.fromEnvironment();
      try (AdminContext ctx = AdminContext.open();
          BlobStore blobs = BlobStores.open(config)) {
        WriteBatcher writer = ctx.writer();
        if (ctx.organizations.find(org).isEmpty()) {
          throw new IllegalArgumentException("--org: no organization " + org);
        }
        byte[] secret = Secrets.load(config);
        RecordingService service =
            new RecordingService(
                new SqlRecordingStore(ctx.database.jdbi(), writer),
                blobs,
                new IdAllocator(ctx.database.jdbi(), 1),
                new Cursors(secret),
                new RecordingLinks(secret),
                Clock.systemUTC(),
                Optional.empty());
        // recording.finished is stored with the recording; the server's dispatcher sends it.
        WebhookOutbox outbox =
            new WebhookOutbox(new SqlWebhookStore(ctx.database.jdbi(), writer), writer);
        service.setEvents(
            new WebhookEvents(
                outbox,
                Clock.systemUTC(),
                config.meetingGrace(),
                meetingId -> Optional.empty(),
                roomName -> Optional.empty()));
        Recording r =
            service.importFile(org, room.trim(), Optional.ofNullable(session), s, e, file);
        if (json) {
          System.out.println(Json.line(RecordingService.render(r)));
        } else {
          System.out.println(
              "Recording "
                  + r.recordingId()
                  + " of "
                  + r.roomName()
                  + ": "
                  + r.filename()
                  + " ("
                  + r.sizeBytes()
                  + " bytes)");
        }
        return 0;
      }
    }

    private static Optional<Instant> instant(String option, String value) {
      if (value == null || value.isBlank()) {
        return Optional.empty();
      }
      try {
        return Optional.of(OffsetDateTime.parse(value.trim()).toInstant());
      } catch (DateTimeParseException ex) {
        throw new IllegalArgumentException(
            option + " must be an ISO 8601 date and time such as 2025-01-01T10:00:00Z");
      }
    }
  }
}
