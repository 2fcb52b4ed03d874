package dev.buildcast.log;

/**
 * One line of a job's detailed log.
 *
 * @param seq position in the detailed log, counting every line from 1; assigned once by the job's
 *     single writer and never reused, so a client's "last seq" always names the same line
 * @param timestampMillis when the line was appended, epoch milliseconds
 * @param level what kind of line it is
 * @param text the text, without line terminator; never longer than {@link #MAX_TEXT_CHARS}
 */
public record LogLine(long seq, long timestampMillis, LogLevel level, String text) {

  /** Lines longer than this are split by the writer, with a marker (64 KiB of chars). */
  public static final int MAX_TEXT_CHARS = 64 * 1024;

  public LogLine {
    if (seq < 1) throw new IllegalArgumentException("seq starts at 1, got " + seq);
    if (level == null || text == null) throw new IllegalArgumentException("level and text are required");
  }
}
