package dev.buildcast.log;

import java.io.InputStream;
import java.util.List;

/** Reads one job's stored lines, never past an extent the caller names. Safe for any thread. */
public interface LogSegmentReader {

  /**
   * Lines with {@code seq > afterSeq} and {@code seq <= upTo.lines()} that pass {@code filter},
   * in order, at most {@code maxLines}; fewer only when no more exist up to {@code upTo}.
   */
  List<LogLine> read(LogExtent upTo, long afterSeq, LogFilter filter, int maxLines);

  /**
   * Every line with {@code afterSeq < seq <= throughSeq} (and {@code <= upTo.lines()}) that passes
   * {@code filter}, in order, bounded by {@code maxBytes} as {@link JobLog#readThrough} is. The
   * default reads and drops what lies past {@code throughSeq} or the bound.
   */
  default LinesThrough readThrough(LogExtent upTo, long afterSeq, long throughSeq, LogFilter filter, long maxBytes) {
    long through = Math.min(throughSeq, upTo.lines());
    long most = Math.max(0, through - afterSeq);
    return LinesThrough.cut(through(read(upTo, afterSeq, filter, (int) Math.min(Integer.MAX_VALUE, most)), through), through, maxBytes);
  }

  /** The lines of {@code lines} (in seq order) up to {@code throughSeq}. */
  static List<LogLine> through(List<LogLine> lines, long throughSeq) {
    int n = lines.size();
    while (n > 0 && lines.get(n - 1).seq() > throughSeq) n--;
    return n == lines.size() ? lines : List.copyOf(lines.subList(0, n));
  }

  /** The first {@code upTo.textBytes()} bytes of the log's text, streamed; the caller closes it. */
  InputStream openText(LogExtent upTo);
}
