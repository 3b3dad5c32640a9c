package dev.parlor.recordings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parlor.db.Database;
import dev.parlor.db.WriteBatcher;
import dev.parlor.orgs.Organization;
import dev.parlor.orgs.SqlOrganizationStore;
import dev.parlor.recordings.RecordingStore.Position;
import dev.parlor.recordings.RecordingStore.Sort;
import dev.parlor.recordings.RecordingStore.SortField;
import dev.parlor.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link RecordingStore} must do, whatever the database (see SqlRecordingStoreTest). */
public abstract class RecordingStoreContract {
  static final Instant NOW = Instant.parse("2030-01-02T03:04:05.678Z");

  private String url;
  private Database db;
  private WriteBatcher writer;
  protected RecordingStore store;
  protected final long orgA = 1;
  protected final long orgB = 2;

  protected abstract String newDatabaseUrl();

  @BeforeEach
  void openStore() {
    url = newDatabaseUrl();
    db = Database.open(url, 4);
    writer = new WriteBatcher(db.jdbi());
    store = new SqlRecordingStore(db.jdbi(), writer);
    SqlOrganizationStore orgs = new SqlOrganizationStore(db.jdbi());
    orgs.insert(new Organization(orgA, "a", OptionalLong.empty(), NOW));
    orgs.insert(new Organization(orgB, "b", OptionalLong.empty(), NOW));
  }

  @AfterEach
  void closeStore() {
    if (writer != null) {
      writer.close();
    }
    if (db != null) {
      db.close();
    }
    TestDatabases.release(url);
  }

  static Recording recording(long org, String room, Instant start, Duration length, long size) {
    String id = UUID.randomUUID().toString();
    return new Recording(
        id,
        org,
        room,
        "session-" + id.substring(0, 8),
        room.substring(1) + "-x.mp4",
        start,
        start.plus(length),
        size,
        "video/mp4",
        Recording.Storage.PARLOR,
        "recordings/" + org + "/" + id + ".mp4",
        Optional.empty(),
        Recording.State.READY,
        NOW);
  }

  static Recording uploading(long org, String room, Instant createdAt) {
    Recording r = recording(org, room, createdAt, Duration.ZERO, 0);
    return new Recording(
        r.recordingId(),
        r.organizationId(),
        r.roomName(),
        r.roomSessionId(),
        r.filename(),
        r.startDate(),
        r.endDate(),
        0,
        r.contentType(),
        r.storage(),
        r.storageKey(),
        r.destinationJson(),
        Recording.State.UPLOADING,
        createdAt);
  }

  @Test
  void anUploadingRecordingIsInvisibleUntilMarkedReadyWithItsSizeAndOnlyOnce() {
    Recording r = uploading(orgA, "/up", NOW);
    store.insert(r);
    assertThat(store.find(orgA, r.recordingId())).isEmpty();
    List<String> ran = new ArrayList<>();

    assertThat(store.markReady(r.recordingId(), 4321, h -> ran.add("alongside"))).isTrue();
    assertThat(store.find(orgA, r.recordingId()).orElseThrow().sizeBytes()).isEqualTo(4321);
    assertThat(store.markReady(r.recordingId(), 1, h -> ran.add("again"))).isFalse();
    assertThat(ran).containsExactly("alongside");
  }

  @Test
  void uploadsStartedBeforeTheCutoffAreMarkedDeletingAndLaterOnesAreLeft() {
    Recording old = uploading(orgA, "/old-up", NOW.minus(Duration.ofHours(7)));
    Recording fresh = uploading(orgA, "/fresh-up", NOW.minus(Duration.ofMinutes(5)));
    store.insert(old);
    store.insert(fresh);
    assertThat(store.markAbandonedUploadsDeleting(NOW.minus(Duration.ofHours(6)), 10))
        .extracting(Recording::recordingId)
        .containsExactly(old.recordingId());
    assertThat(store.deleting(10)).extracting(Recording::recordingId).contains(old.recordingId());
    assertThat(store.markReady(old.recordingId(), 1, h -> null)).isFalse();
    assertThat(store.markReady(fresh.recordingId(), 1, h -> null)).isTrue();
  }

  @Test
  void anInsertedRecordingIsFoundWithEveryFieldByItsOrganizationOnly() {
    Recording r = recording(orgA, "/room-a", NOW, Duration.ofMinutes(5), 1234);
    store.insert(r);

    assertThat(store.find(orgA, r.recordingId())).contains(r);
    assertThat(store.findAnyOrganization(r.recordingId())).contains(r);
    assertThat(store.find(orgB, r.recordingId())).isEmpty();
    assertThat(store.find(orgA, UUID.randomUUID().toString())).isEmpty();
  }

  @Test
  void aRecordingInTheCustomersBucketKeepsItsDestination() {
    Recording base = recording(orgA, "/room-a", NOW, Duration.ofMinutes(1), 10);
    Recording s3 =
        new Recording(
            base.recordingId(),
            orgA,
            base.roomName(),
            base.roomSessionId(),
            base.filename(),
            base.startDate(),
            base.endDate(),
            10,
            "video/x-matroska",
            Recording.Storage.S3,
            "folder/" + base.filename(),
            Optional.of("{\"provider\":\"s3\",\"bucket\":\"b/folder\"}"),
            Recording.State.READY,
            NOW);
    store.insert(s3);

    assertThat(store.find(orgA, s3.recordingId())).contains(s3);
  }

  @Test
  void pagingThroughEverySortOrderReturnsEveryRecordingOnceInOrderWithTiesByRecordingId() {
    List<Recording> all = new ArrayList<>();
    String[] rooms = {"/room-a", "/room-b", "/room-c"};
    for (int i = 0; i < 17; i++) {
      // Few distinct values, so every order has ties that the id must break.
      Recording r =
          recording(
              orgA,
              rooms[i % 3],
              NOW.plusSeconds(i % 4),
              Duration.ofSeconds(i % 5),
              1000L * (i % 6));
      store.insert(r);
      all.add(r);
    }
    store.insert(recording(orgB, "/room-a", NOW, Duration.ZERO, 1));

    for (SortField f : SortField.values()) {
      for (boolean desc : new boolean[] {false, true}) {
        Sort sort = new Sort(f, desc);
        List<Recording> seen = new ArrayList<>();
        Optional<Position> after = Optional.empty();
        while (true) {
          List<Recording> page = store.list(orgA, Optional.empty(), sort, after, 4);
          seen.addAll(page);
          if (page.size() < 4) {
            break;
          }
          Recording last = page.get(3);
          after = Optional.of(new Position(value(last, f), last.recordingId()));
        }
        List<Recording> expected = new ArrayList<>(all);
        expected.sort(order(f, desc));
        assertThat(seen).as(f + (desc ? " desc" : " asc")).containsExactlyElementsOf(expected);
      }
    }
  }

  @Test
  void aRoomFilterListsOnlyThatRoomsRecordings() {
    Recording a = recording(orgA, "/room-a", NOW, Duration.ZERO, 1);
    Recording b = recording(orgA, "/room-b", NOW, Duration.ZERO, 1);
    store.insert(a);
    store.insert(b);

    assertThat(
            store.list(
                orgA,
                Optional.of("/room-b"),
                new Sort(SortField.START_DATE, true),
                Optional.empty(),
                10))
        .containsExactly(b);
  }

  @Test
  void aRecordingMarkedDeletingIsInvisibleUntilRemovedAndOnlyItsOrganizationCanMarkIt() {
    Recording r = recording(orgA, "/room-a", NOW, Duration.ZERO, 1);
    store.insert(r);

    assertThat(store.markDeleting(orgB, r.recordingId())).isEmpty();
    assertThat(store.markDeleting(orgA, r.recordingId())).contains(r);
    assertThat(store.markDeleting(orgA, r.recordingId())).isEmpty();
    assertThat(store.find(orgA, r.recordingId())).isEmpty();
    assertThat(
            store.list(
                orgA, Optional.empty(), new Sort(SortField.SIZE, false), Optional.empty(), 10))
        .isEmpty();
    assertThat(store.deleting(10))
        .extracting(Recording::recordingId)
        .containsExactly(r.recordingId());

    store.remove(r.recordingId());
    assertThat(store.deleting(10)).isEmpty();
  }

  @Test
  void recordingsThatEndedBeforeTheCutoffAreMarkedDeletingTheOthersStay() {
    Recording old = recording(orgA, "/room-a", NOW.minus(Duration.ofDays(40)), Duration.ZERO, 1);
    Recording fresh = recording(orgA, "/room-a", NOW.minus(Duration.ofDays(1)), Duration.ZERO, 1);
    store.insert(old);
    store.insert(fresh);

    assertThat(store.markExpiredDeleting(NOW.minus(Duration.ofDays(30)), 10)).containsExactly(old);
    assertThat(store.find(orgA, old.recordingId())).isEmpty();
    assertThat(store.find(orgA, fresh.recordingId())).isPresent();
  }

  @Test
  void deleteJobsAreKeptInOrderUntilFinished() {
    List<String> ids = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
    store.enqueueDeleteJob(new RecordingStore.DeleteJob(7, orgA, ids), NOW);
    store.enqueueDeleteJob(new RecordingStore.DeleteJob(8, orgB, List.of()), NOW);

    assertThat(store.pendingDeleteJobs(10))
        .containsExactly(
            new RecordingStore.DeleteJob(7, orgA, ids),
            new RecordingStore.DeleteJob(8, orgB, List.of()));
    store.finishDeleteJob(7);
    assertThat(store.pendingDeleteJobs(10))
        .extracting(RecordingStore.DeleteJob::id)
        .containsExactly(8L);
  }

  static String value(Recording r, SortField f) {
    return switch (f) {
      case ROOM_NAME -> r.roomName();
      case START_DATE -> Long.toString(r.startDate().toEpochMilli());
      case DURATION -> Long.toString(r.duration().toMillis());
      case SIZE -> Long.toString(r.sizeBytes());
    };
  }

  static Comparator<Recording> order(SortField f, boolean desc) {
    Comparator<Recording> c =
        switch (f) {
          case ROOM_NAME -> Comparator.comparing(Recording::roomName);
          case START_DATE -> Comparator.comparing(Recording::startDate);
          case DURATION -> Comparator.comparing(Recording::duration);
          case SIZE -> Comparator.comparingLong(Recording::sizeBytes);
        };
    if (desc) {
      c = c.reversed();
    }
    return c.thenComparing(Recording::recordingId);
  }
}
