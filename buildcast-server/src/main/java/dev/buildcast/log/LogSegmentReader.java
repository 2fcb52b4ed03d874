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

  /** The first {@code upTo.textBytes()} bytes of the log's text, streamed; the caller closes it. */
  InputStream openText(LogExtent upTo);
}
