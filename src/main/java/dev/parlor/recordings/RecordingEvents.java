package dev.parlor.recordings;

import dev.parlor.db.WriteBatcher;

/**
 * Told when a recording becomes available, inside the transaction that makes it so: whatever {@link
 * #available} writes commits (or rolls back) with the recording's row.
 */
public interface RecordingEvents {

  /** The writes to run in the recording's transaction. */
  WriteBatcher.Work<?> available(Recording r);

  /** The transaction committed. */
  void committed();

  RecordingEvents NONE =
      new RecordingEvents() {
        @Override
        public WriteBatcher.Work<?> available(Recording r) {
          return h -> null;
        }

        @Override
        public void committed() {}
      };
}
