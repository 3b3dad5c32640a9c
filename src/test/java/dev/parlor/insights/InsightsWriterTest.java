package dev.parlor.insights;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The background writer: one transaction per flush, latest images only, and no stuck ingestion. */
class InsightsWriterTest {

  /** Records the batches written; fails those {@code failing} says. */
  static final class RecordingStore implements InsightsStore {
    final List<WriteBatch> written = new ArrayList<>();
    volatile Predicate<WriteBatch> failing = b -> false;
    final AtomicInteger attempts = new AtomicInteger();

    @Override
    public synchronized void write(WriteBatch batch) {
      attempts.incrementAndGet();
      if (failing.test(batch)) {
        throw new IllegalStateException("refused");
      }
      written.add(batch);
    }

    synchronized List<SessionRecord> sessions() {
      List<SessionRecord> out = new ArrayList<>();
      for (WriteBatch b : written) {
        out.addAll(b.newSessions);
        out.addAll(b.changedSessions);
      }
      return out;
    }

    // Not used by the writer.
    @Override
    public void insertRoom(RoomRecord room) {}

    @Override
    public void markRoomRemoved(long meetingId, long at) {}

    @Override
    public Optional<RoomRecord> findRoom(long meetingId) {
      return Optional.empty();
    }

    @Override
    public Map<Role.Kind, Set<String>> identities(long meetingId) {
      return Map.of();
    }

    @Override
    public List<SessionRecord> openSessions() {
      return List.of();
    }

    @Override
    public List<ParticipantRecord> participantsOf(long sessionId) {
      return List.of();
    }

    @Override
    public List<ConnectionRecord> connectionsOf(long sessionId) {
      return List.of();
    }

    @Override
    public Map<Long, Long> lastSeen(Collection<Long> connectionIds) {
      return Map.of();
    }

    @Override
    public List<RoomRecord> rooms(RoomQuery q) {
      return List.of();
    }

    @Override
    public List<SessionRecord> sessions(SessionQuery q) {
      return List.of();
    }

    @Override
    public List<ParticipantRecord> participants(ParticipantQuery q) {
      return List.of();
    }

    @Override
    public List<ConnectionDetail> participantConnections(
        long organizationId, String roomSessionId, String participantId) {
      return List.of();
    }

    @Override
    public int sweep(long removedBefore, long endedBefore, int max) {
      return 0;
    }
  }

  private static SessionRecord session(long id, long minutes) {
    return new SessionRecord(
        id, "s-" + id, 1, 1, "/r", 0, null, new Totals(minutes, 0, 0, 0, 0, 0));
  }

  @Test
  void successiveImagesOfARowAreWrittenOnceAsTheLatestAndANewRowStaysAnInsert() {
    RecordingStore store = new RecordingStore();
    try (InsightsWriter w = new InsightsWriter(store)) {
      w.putSession(session(1, 0), true);
      w.putSession(session(1, 5), false);
      w.putSession(session(1, 9), false);
      w.flush();
      w.putSession(session(1, 12), false);
      w.flush();

      assertThat(store.written).hasSize(2);
      assertThat(store.written.get(0).newSessions).containsExactly(session(1, 9));
      assertThat(store.written.get(0).changedSessions).isEmpty();
      assertThat(store.written.get(1).changedSessions).containsExactly(session(1, 12));
      assertThat(w.durableSeq()).isEqualTo(4);
    }
  }

  @Test
  void aLargeFlushIsWrittenInTransactionsOfBoundedSizeWithNewRoomsFirst() {
    RecordingStore store = new RecordingStore();
    try (InsightsWriter w = new InsightsWriter(store)) {
      RoomRecord room = RoomRecord.empty(99, 1, "/r", 0, 0);
      for (int i = 0; i < 1200; i++) {
        w.putSession(session(1000 + i, 1), true);
      }
      w.putRoom(new RoomRecord(99, 1, "/r", 0, 0, 5L, 5L, Totals.ZERO, 1));
      w.appendNewRoom(room);
      w.flush();

      assertThat(store.written).hasSize(3);
      assertThat(store.written)
          .allSatisfy(
              b -> assertThat(b.size()).isLessThanOrEqualTo(InsightsWriter.ROWS_PER_TRANSACTION));
      assertThat(store.written.get(0).newRooms).containsExactly(room);
      assertThat(store.written.get(2).changedRooms).hasSize(1);
      assertThat(store.sessions()).hasSize(1200);
    }
  }

  @Test
  void aRowThatCannotBeWrittenIsDroppedAloneAndTheRestIsWritten() {
    RecordingStore store = new RecordingStore();
    store.failing = b -> b.newSessions.stream().anyMatch(s -> s.id() == 13);
    try (InsightsWriter w = new InsightsWriter(store)) {
      w.putSession(session(12, 1), true);
      w.putSession(session(13, 1), true);
      w.putSession(session(14, 1), true);
      w.append(new SampleChunk(1, 0, 1, 0, 0, 1, "0,0,0,0,0"));
      w.flush();

      assertThat(store.sessions()).extracting(SessionRecord::id).containsExactly(12L, 14L);
      assertThat(store.written.stream().mapToInt(b -> b.chunks.size()).sum()).isEqualTo(1);
    }
  }

  @Test
  void whileTheDatabaseRefusesEverythingRowsAreKeptAndWrittenOnceItIsBack() throws Exception {
    RecordingStore store = new RecordingStore();
    store.failing = b -> true;
    try (InsightsWriter w = new InsightsWriter(store)) {
      w.putSession(session(21, 1), true);
      w.putSession(session(22, 1), true);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (store.attempts.get() < 6 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(store.sessions()).isEmpty();
      store.failing = b -> false;
      w.flush();

      assertThat(store.sessions()).extracting(SessionRecord::id).containsExactly(21L, 22L);
    }
  }

  @Test
  void aFlushAfterCloseFailsInsteadOfWaitingForever() {
    InsightsWriter w = new InsightsWriter(new RecordingStore());
    w.close();
    org.assertj.core.api.Assertions.assertThatThrownBy(w::flush)
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closingWritesWhatIsQueued() {
    RecordingStore store = new RecordingStore();
    InsightsWriter w = new InsightsWriter(store);
    w.putSession(session(31, 1), true);
    w.close();
    assertThat(store.sessions()).extracting(SessionRecord::id).containsExactly(31L);
  }
}
