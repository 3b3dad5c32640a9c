package dev.parlor.recordings;

import dev.parlor.blobs.Blob;
import dev.parlor.blobs.BlobStore;
import dev.parlor.db.IdAllocator;
import dev.parlor.http.ApiException;
import dev.parlor.http.Cursors;
import dev.parlor.http.ErrorCode;
import dev.parlor.http.IsoDates;
import dev.parlor.http.Json;
import dev.parlor.meetings.Meeting;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recordings' rules: how they enter (from the room server, or imported), listing in every order,
 * deletion (at once, in bulk in the background, and by retention) and access links.
 */
public final class RecordingService {
  private static final Logger log = LoggerFactory.getLogger(RecordingService.class);

  public static final int MAX_BULK_IDS = 100;

  /** A recording still uploading after this long was left by a process that stopped. */
  static final Duration ABANDONED_AFTER = Duration.ofHours(6);

  private static final java.util.regex.Pattern ROOM_NAME =
      java.util.regex.Pattern.compile("/[A-Za-z0-9._-]{1,127}");

  private final RecordingStore store;
  private final BlobStore blobs;
  private final IdAllocator ids;
  private final Cursors cursors;
  private final RecordingLinks links;
  private final Clock clock;
  private final Optional<Duration> retention;
  private volatile Runnable onWorkQueued = () -> {};

  public RecordingService(
      RecordingStore store,
      BlobStore blobs,
      IdAllocator ids,
      Cursors cursors,
      RecordingLinks links,
      Clock clock,
      Optional<Duration> retention) {
    this.store = store;
    this.blobs = blobs;
    this.ids = ids;
    this.cursors = cursors;
    this.links = links;
    this.clock = clock;
    this.retention = retention;
  }

  /** Called whenever background work (a bulk delete) was queued, to wake the worker. */
  void onWorkQueued(Runnable r) {
    this.onWorkQueued = r;
  }

  public Instant now() {
    return clock.instant();
  }

  // ------------------------------------------------------------------ entering

  private volatile RecordingEvents events = RecordingEvents.NONE;

  /** Who is told, in the same transaction, when a recording becomes available (webhooks). */
  public void setEvents(RecordingEvents events) {
    this.events = events;
  }

  private void insert(Recording r) {
    RecordingEvents e = events;
    store.insert(r, e.available(r));
    e.committed();
  }

  /** What is known of a finished recording of a room session. */
  public record Finished(
      long organizationId,
      String roomName,
      String roomSessionId,
      Instant startDate,
      Instant endDate,
      String extension) {
    public Finished {
      roomName = roomName.startsWith("/") ? roomName : "/" + roomName;
      if (!ROOM_NAME.matcher(roomName).matches()) {
        throw new IllegalArgumentException(
            "a room name is a slash and up to 127 letters, digits, '.', '_' or '-': " + roomName);
      }
      extension = extension.toLowerCase(Locale.ROOT);
      if (endDate.isBefore(startDate)) {
        throw new IllegalArgumentException("a recording cannot end before it starts");
      }
      if (!extension.matches("[a-z0-9]{1,10}")) {
        throw new IllegalArgumentException("not a file extension: " + extension);
      }
    }
  }

  /**
   * A finished recording whose file Parlor keeps: the file is streamed into the blob store (never
   * held in memory), then the recording becomes visible. What the room server calls.
   */
  public Recording addHosted(Finished f, InputStream content) {
    String id = UUID.randomUUID().toString();
    String key = "recordings/" + f.organizationId() + "/" + id + "." + f.extension();
    String type = contentType(f.extension());
    // The row goes first, as 'uploading' (invisible): if this process stops while the file is
    // written, the background work finds the row and removes the partial file with it.
    Recording uploading =
        new Recording(
            id,
            f.organizationId(),
            f.roomName(),
            f.roomSessionId(),
            filename(f),
            f.startDate(),
            f.endDate(),
            0,
            type,
            Recording.Storage.PARLOR,
            key,
            Optional.empty(),
            Recording.State.UPLOADING,
            clock.instant());
    store.insert(uploading);
    long size;
    try {
      size = blobs.put(key, content, Long.MAX_VALUE, type);
    } catch (RuntimeException e) {
      store.remove(id);
      throw e;
    }
    Recording r = uploading.ready(size);
    RecordingEvents e = events;
    if (!store.markReady(id, size, e.available(r))) {
      // abandoned meanwhile (an upload slower than ABANDONED_AFTER): its row is gone or going
      blobs.delete(key);
      throw new IllegalStateException("the recording " + id + " was given up while uploading");
    }
    e.committed();
    return r;
  }

  /**
   * A finished recording that the recorder wrote to the customer's bucket (the meeting's {@code
   * recording.destination}, given as its JSON), {@code sizeBytes} long, under the destination's
   * folder with the hosted service's file name. Role-based destinations are kept too; only their
   * access links are refused.
   */
  public Recording addInCustomerBucket(Finished f, String destinationJson, long sizeBytes) {
    S3Destination d = S3Destination.parse(destinationJson);
    String filename = filename(f);
    Recording r =
        new Recording(
            UUID.randomUUID().toString(),
            f.organizationId(),
            f.roomName(),
            f.roomSessionId(),
            filename,
            f.startDate(),
            f.endDate(),
            sizeBytes,
            contentType(f.extension()),
            Recording.Storage.S3,
            d.objectKey(filename),
            Optional.of(destinationJson),
            Recording.State.READY,
            clock.instant());
    insert(r);
    return r;
  }

  /**
   * A finished recording of a meeting's room, as the room server will hand it over: stored where
   * the meeting's {@code recording.destination} says. No destination, or {@code provider: whereby}:
   * Parlor's blob store. {@code provider: s3} with {@code authenticationType: accessKey}: uploaded
   * to the customer's bucket (under its folder) with the destination's keys and endpoint.
   * Role-based S3 access is not supported by this server: such a recording is refused.
   */
  public Recording addForMeeting(
      Meeting meeting,
      String roomSessionId,
      Instant start,
      Instant end,
      String extension,
      Path file) {
    Finished f =
        new Finished(
            meeting.organizationId(), meeting.roomName(), roomSessionId, start, end, extension);
    Optional<String> destination = s3Destination(meeting.optionsJson());
    try {
      if (destination.isEmpty()) {
        try (InputStream in = Files.newInputStream(file)) {
          return addHosted(f, in);
        }
      }
      S3Destination d = S3Destination.parse(destination.get());
      if (d.roleBased() || d.accessKeyId().isEmpty() || d.accessKeySecret().isEmpty()) {
        throw new IllegalStateException(
            "role-based S3 access is not supported by this server: cannot store the recording of "
                + meeting.roomName()
                + " in bucket "
                + d.bucket());
      }
      String key = d.objectKey(filename(f));
      d.upload(key, file, contentType(f.extension()));
      return addInCustomerBucket(f, destination.get(), Files.size(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The meeting's {@code recording.destination} when its provider is s3. */
  static Optional<String> s3Destination(String optionsJson) {
    try {
      com.fasterxml.jackson.databind.JsonNode d =
          Json.MAPPER.readTree(optionsJson).path("recording").path("destination");
      return "s3".equals(d.path("provider").asText())
          ? Optional.of(d.toString())
          : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Imports an existing file: copied into the blob store, named by its extension's type. */
  public Recording importFile(
      long organizationId,
      String roomName,
      Optional<String> roomSessionId,
      Optional<Instant> start,
      Optional<Instant> end,
      Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 || dot == name.length() - 1 ? "bin" : name.substring(dot + 1);
    Instant s;
    Instant e;
    try {
      Instant modified = Files.getLastModifiedTime(file).toInstant();
      s = start.orElseGet(() -> end.orElse(modified));
      e = end.orElse(s);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot read " + file + ": " + ex.getMessage(), ex);
    }
    Finished f =
        new Finished(
            organizationId,
            roomName,
            roomSessionId.orElseGet(() -> UUID.randomUUID().toString()),
            s,
            e,
            ext);
    try (InputStream in = Files.newInputStream(file)) {
      return addHosted(f, in);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot read " + file + ": " + ex.getMessage(), ex);
    }
  }

  static String filename(Finished f) {
    // the hosted service's file names: <room>-2025-01-01T00:00:00.000Z.mp4
    return f.roomName().substring(1) + "-" + IsoDates.millis(f.startDate()) + "." + f.extension();
  }

  static String contentType(String ext) {
    return switch (ext) {
      case "mp4", "m4v" -> "video/mp4";
      case "webm" -> "video/webm";
      case "mkv" -> "video/x-matroska";
      case "mov" -> "video/quicktime";
      case "m4a" -> "audio/mp4";
      case "mp3" -> "audio/mpeg";
      case "ogg", "oga" -> "audio/ogg";
      case "wav" -> "audio/wav";
      default -> "application/octet-stream";
    };
  }

  /** The hosted API's members, plus roomName. */
  public static Map<String, Object> render(Recording r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("recordingId", r.recordingId());
    out.put("roomName", r.roomName());
    out.put("roomSessionId", r.roomSessionId());
    out.put("filename", r.filename());
    out.put("startDate", date(r.startDate()));
    out.put("endDate", date(r.endDate()));
    out.put("sizeInMegaBytes", megaBytes(r.sizeBytes()));
    return out;
  }

  /** Decimal megabytes (10^6 bytes), two decimals. */
  static double megaBytes(long bytes) {
    return Math.round(bytes / 10_000.0) / 100.0;
  }

  static String date(Instant i) {
    return IsoDates.millis(i);
  }

  // ------------------------------------------------------------------ reading

  /** A page of recordings and the cursor of the next page, empty on the last. */
  public record Page(List<Recording> recordings, Optional<String> nextCursor) {}

  public Optional<Recording> get(long organizationId, String recordingId) {
    return validId(recordingId) ? store.find(organizationId, recordingId) : Optional.empty();
  }

  public Page list(
      long organizationId,
      Optional<String> roomName,
      RecordingStore.Sort sort,
      Optional<String> cursor,
      int limit) {
    String scope =
        "recordings:"
            + organizationId
            + ":"
            + sort.field().wire()
            + ":"
            + (sort.descending() ? "desc" : "asc")
            + ":"
            + roomName.orElse("");
    Optional<RecordingStore.Position> after = Optional.empty();
    if (cursor.isPresent() && !cursor.get().isBlank()) {
      String p = cursors.decode(scope, cursor.get());
      int nl = p.lastIndexOf('\n');
      if (nl < 0) {
        throw ApiException.invalidField("cursor", "cursor is invalid");
      }
      after = Optional.of(new RecordingStore.Position(p.substring(0, nl), p.substring(nl + 1)));
    }
    List<Recording> rows = store.list(organizationId, roomName, sort, after, limit + 1);
    if (rows.size() <= limit) {
      return new Page(rows, Optional.empty());
    }
    List<Recording> page = List.copyOf(rows.subList(0, limit));
    Recording last = page.get(limit - 1);
    String next = cursors.encode(scope, sortValue(last, sort.field()) + "\n" + last.recordingId());
    return new Page(page, Optional.of(next));
  }

  private static String sortValue(Recording r, RecordingStore.SortField f) {
    return switch (f) {
      case ROOM_NAME -> r.roomName();
      case START_DATE -> Long.toString(r.startDate().toEpochMilli());
      case DURATION -> Long.toString(r.duration().toMillis());
      case SIZE -> Long.toString(r.sizeBytes());
    };
  }

  // ------------------------------------------------------------------ deleting

  /** Idempotent: unknown, deleted or another organization's recordings are a no-op. */
  public void delete(long organizationId, String recordingId) {
    if (!validId(recordingId)) {
      return;
    }
    Optional<Recording> r = store.markDeleting(organizationId, recordingId);
    if (r.isPresent()) {
      try {
        purge(r.get());
      } catch (RuntimeException e) {
        // Already invisible; the background worker removes the file and the row later.
        log.warn("Could not remove recording {} yet: {}", recordingId, e.toString());
      }
    }
  }

  /** Accepts a bulk delete durably; the worker carries it out. Unknown ids are ignored then. */
  public void bulkDelete(long organizationId, List<String> recordingIds) {
    List<String> valid =
        recordingIds.stream().filter(RecordingService::validId).distinct().toList();
    if (valid.isEmpty()) {
      return;
    }
    store.enqueueDeleteJob(
        new RecordingStore.DeleteJob(ids.next("recording_delete_job"), organizationId, valid),
        clock.instant());
    onWorkQueued.run();
  }

  /**
   * One pass of background work: accepted bulk deletes, recordings past the retention, and files of
   * recordings whose deletion was interrupted. Returns how many recordings were removed.
   */
  public int processBackgroundWork() {
    int removed = 0;
    for (RecordingStore.DeleteJob job : store.pendingDeleteJobs(100)) {
      for (String id : job.recordingIds()) {
        Optional<Recording> r = store.markDeleting(job.organizationId(), id);
        if (r.isPresent()) {
          purge(r.get());
          removed++;
        }
      }
      store.finishDeleteJob(job.id());
    }
    if (retention.isPresent()) {
      List<Recording> expired;
      do {
        expired = store.markExpiredDeleting(clock.instant().minus(retention.get()), 200);
        for (Recording r : expired) {
          purge(r);
          removed++;
        }
      } while (expired.size() == 200);
    }
    store.markAbandonedUploadsDeleting(clock.instant().minus(ABANDONED_AFTER), 200);
    for (Recording r : store.deleting(200)) {
      purge(r);
    }
    return removed;
  }

  /** Removes the file (when Parlor keeps it), then the row. */
  private void purge(Recording r) {
    if (r.storage() == Recording.Storage.PARLOR) {
      blobs.delete(r.storageKey());
    }
    store.remove(r.recordingId());
  }

  // ------------------------------------------------------------------ access

  /** A link to the file and when it stops working. */
  public record AccessLink(String url, Instant expires) {}

  /**
   * A link that serves the file without an API key until it expires: a signed Parlor URL for files
   * Parlor keeps, a presigned S3 URL for files in the customer's bucket.
   */
  public AccessLink accessLink(
      long organizationId, String recordingId, Duration validFor, Supplier<String> publicUrl) {
    Recording r =
        get(organizationId, recordingId).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND));
    Instant expires = clock.instant().plus(validFor);
    if (r.storage() == Recording.Storage.S3) {
      S3Destination d = S3Destination.parse(r.destinationJson().orElseThrow());
      if (d.roleBased()) {
        throw new ApiException(
            ErrorCode.FORBIDDEN,
            "This recording is stored in an S3 bucket with role-based access, which this server"
                + " does not support: it cannot create access links for it",
            Map.of("authenticationType", "roleBased"));
      }
      if (d.accessKeyId().isEmpty() || d.accessKeySecret().isEmpty()) {
        throw new ApiException(
            ErrorCode.FORBIDDEN,
            "The recording's S3 destination has no access key to sign an access link with");
      }
      return new AccessLink(d.presignGet(r.storageKey(), validFor), expires);
    }
    long ms = expires.toEpochMilli();
    String url =
        publicUrl.get()
            + "/recordings/"
            + r.recordingId()
            + "/file?expires="
            + ms
            + "&signature="
            + links.sign(r.recordingId(), ms);
    return new AccessLink(url, expires);
  }

  /** What a valid access link serves. */
  public record FileInfo(Recording recording, long size, String contentType) {}

  /**
   * Checks an access link: a 403 when its signature is wrong or it has expired, a 404 when the
   * recording (or its file) is gone.
   */
  public FileInfo checkLink(String recordingId, String expires, String signature) {
    long ms;
    try {
      ms = Long.parseLong(expires);
    } catch (NumberFormatException e) {
      throw forbidden("The access link is invalid");
    }
    if (!validId(recordingId) || signature == null || !links.verify(recordingId, ms, signature)) {
      throw forbidden("The access link is invalid");
    }
    if (clock.millis() >= ms) {
      throw forbidden("The access link has expired");
    }
    Recording r =
        store
            .findAnyOrganization(recordingId)
            .filter(x -> x.storage() == Recording.Storage.PARLOR)
            .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND));
    return blobs
        .stat(r.storageKey())
        .map(i -> new FileInfo(r, i.size(), r.contentType()))
        .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND));
  }

  /** The file's bytes from {@code offset}, {@code length} of them; streamed, never held. */
  public Blob open(FileInfo f, long offset, long length) {
    return blobs
        .open(f.recording().storageKey(), offset, length)
        .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND));
  }

  private static ApiException forbidden(String message) {
    return new ApiException(ErrorCode.FORBIDDEN, message);
  }

  /** Recording ids are UUIDs; anything else cannot name one. */
  static boolean validId(String id) {
    return id != null
        && id.length() == 36
        && id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  }
}
