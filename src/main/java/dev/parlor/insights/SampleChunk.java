package dev.parlor.insights;

/**
 * Up to {@link SampleCodec#MAX_SAMPLES} consecutive network samples of one connection, stored as
 * one row: {@code data} is {@link SampleCodec}'s encoding.
 */
public record SampleChunk(
    long connectionId,
    int seq,
    long meetingId,
    long firstAt,
    long lastAt,
    int count,
    String data) {}
