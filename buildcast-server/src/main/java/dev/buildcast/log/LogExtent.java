package dev.buildcast.log;

/**
 * How much of a log is stored: a consistent snapshot that a store publishes after every append,
 * so a reader never looks past what was fully written.
 *
 * @param lines number of lines, which is also the last seq
 * @param basicLines how many of them are basic lines (not {@link LogLevel#DETAIL})
 * @param textBytes bytes of text holding those lines (UTF-8, each line with its {@code \n})
 */
public record LogExtent(long lines, long basicLines, long textBytes) {

  public static final LogExtent EMPTY = new LogExtent(0, 0, 0);

  public LogExtent {
    if (lines < 0 || basicLines < 0 || basicLines > lines || textBytes < 0) {
      throw new IllegalArgumentException("not an extent: " + lines + " lines, " + basicLines + " basic, " + textBytes + " bytes");
    }
  }
}
