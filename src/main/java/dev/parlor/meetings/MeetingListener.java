package dev.parlor.meetings;

/**
 * Told when a meeting comes or goes, so what belongs to a meeting in other packages (its theme, its
 * insights history) can follow without the meetings package knowing about them. Called after the
 * change is committed; a listener that fails is logged and does not undo it.
 */
public interface MeetingListener {

  default void meetingCreated(Meeting meeting) {}

  /** The meeting was deleted through the API or swept after its grace. */
  default void meetingRemoved(Meeting meeting) {}
}
