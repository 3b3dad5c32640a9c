package dev.parlor.insights;

/**
 * One network sample: packet loss in percent (stored to a hundredth of a percent), bitrates in
 * bit/s.
 */
public record Sample(
    long at, double packetLossSend, double packetLossRecv, long bitrateSend, long bitrateRecv) {}
