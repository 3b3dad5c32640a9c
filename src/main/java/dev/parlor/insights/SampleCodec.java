package dev.parlor.insights;

import java.util.ArrayList;
import java.util.List;

/**
 * The compact text form of a chunk of samples, one row for up to {@link #MAX_SAMPLES} samples: per
 * sample, its offset from the chunk's first sample in milliseconds, the packet losses in hundredths
 * of a percent and the bitrates in bit/s, each in base 36, separated by commas; samples separated
 * by semicolons. Text rather than a binary column because the same schema serves SQLite (BLOB) and
 * PostgreSQL (BYTEA), which share no binary type; about 20 characters per sample.
 */
public final class SampleCodec {
  /** Samples per chunk: a minute of samples at one every two seconds. */
  public static final int MAX_SAMPLES = 30;

  private SampleCodec() {}

  /** Hundredths of a percent, 0 to 10,000; NaN reads as 0. */
  static int lossHundredths(double percent) {
    if (!(percent > 0)) {
      return 0;
    }
    return (int) Math.round(Math.min(percent, 100.0) * 100.0);
  }

  static long bitrate(long bps) {
    return Math.max(0, bps);
  }

  /** Appends one sample (values already normalized) to {@code sb}. */
  static void append(
      StringBuilder sb, long offset, int lossSend, int lossRecv, long rateSend, long rateRecv) {
    if (!sb.isEmpty()) {
      sb.append(';');
    }
    sb.append(Long.toString(offset, 36))
        .append(',')
        .append(Integer.toString(lossSend, 36))
        .append(',')
        .append(Integer.toString(lossRecv, 36))
        .append(',')
        .append(Long.toString(rateSend, 36))
        .append(',')
        .append(Long.toString(rateRecv, 36));
  }

  public static String encode(long firstAt, List<Sample> samples) {
    StringBuilder sb = new StringBuilder(samples.size() * 24);
    for (Sample s : samples) {
      append(
          sb,
          s.at() - firstAt,
          lossHundredths(s.packetLossSend()),
          lossHundredths(s.packetLossRecv()),
          bitrate(s.bitrateSend()),
          bitrate(s.bitrateRecv()));
    }
    return sb.toString();
  }

  public static List<Sample> decode(long firstAt, String data) {
    List<Sample> out = new ArrayList<>();
    if (data.isEmpty()) {
      return out;
    }
    for (String entry : data.split(";")) {
      String[] f = entry.split(",");
      if (f.length != 5) {
        throw new IllegalArgumentException("not a sample: " + entry);
      }
      out.add(
          new Sample(
              firstAt + Long.parseLong(f[0], 36),
              Integer.parseInt(f[1], 36) / 100.0,
              Integer.parseInt(f[2], 36) / 100.0,
              Long.parseLong(f[3], 36),
              Long.parseLong(f[4], 36)));
    }
    return out;
  }
}
