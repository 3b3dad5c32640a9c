package dev.parlor.insights;

import java.util.List;

/** A connection's time in a session with its samples and media events within that time. */
public record ConnectionDetail(
    ConnectionRecord connection, List<Sample> samples, List<MediaEventRecord> events) {}
