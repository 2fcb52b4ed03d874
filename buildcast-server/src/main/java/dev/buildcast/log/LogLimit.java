package dev.buildcast.log;

import java.util.Locale;

/**
 * How much of one job's detailed log is kept. Past the limit the job keeps running: the log keeps
 * its <em>head</em> (the first {@link #headBytes()}) and its <em>tail</em> (the last {@link
 * #tailBytes()}: the end is where the error is), with one line in between saying how much was left
 * out.
 *
 * @param maxBytes the most text a job's detailed log keeps (plus two short lines of Buildcast's)
 * @param tailBytes how much of it is kept for the end of the output; less than {@code maxBytes}
 */
public record LogLimit(long maxBytes, long tailBytes) {

  /** No limit: every line is kept. */
  public static final LogLimit NONE = new LogLimit(Long.MAX_VALUE, 0);

  /** The share of the limit kept for the tail, in percent. */
  public static final int TAIL_PERCENT = 20;

  public LogLimit {
    if (maxBytes <= 0 || tailBytes < 0 || tailBytes >= maxBytes) {
      throw new IllegalArgumentException("need 0 <= tailBytes < maxBytes, got " + tailBytes + " and " + maxBytes);
    }
  }

  /** A limit of {@code maxBytes} whose last {@value #TAIL_PERCENT} % are kept for the tail. */
  public static LogLimit of(long maxBytes) {
    return new LogLimit(maxBytes, maxBytes / 100 * TAIL_PERCENT + maxBytes % 100 * TAIL_PERCENT / 100);
  }

  public boolean isLimited() {
    return maxBytes != Long.MAX_VALUE;
  }

  /** The first bytes of the log that are always kept. */
  public long headBytes() {
    return maxBytes - tailBytes;
  }

  /** {@code 1500} → {@code "1.5 KB"}; KB, MB and GB are powers of 1000, as in the configuration. */
  public static String humanBytes(long bytes) {
    if (bytes < 1000) return bytes + " B";
    String[] units = {"KB", "MB", "GB", "TB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1000 && unit < units.length - 1) {
      value /= 1000;
      unit++;
    }
    return String.format(Locale.ROOT, value >= 100 ? "%.0f %s" : "%.1f %s", value, units[unit]);
  }
}
