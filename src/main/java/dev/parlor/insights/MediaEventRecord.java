package dev.parlor.insights;

/** A media switch of a connection, numbered per connection by {@code seq}. */
public record MediaEventRecord(
    long connectionId, int seq, long meetingId, long at, MediaEvent event) {}
