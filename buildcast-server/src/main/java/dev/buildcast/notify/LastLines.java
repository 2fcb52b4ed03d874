package dev.buildcast.notify;

import dev.buildcast.log.JobLog;
import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLine;
import java.util.List;

/**
 * The last few basic lines of a log, for a failure email. The log is read forward only, so a
 * window before the end is read and widened until it holds enough lines: a long log of detail
 * lines costs a few index reads, never a read of the whole log.
 */
final class LastLines {

  private LastLines() {}

  static List<LogLine> basic(JobLog log, int count) {
    long last = log.lastSeq();
    long window = Math.max(64, count * 4L);
    while (true) {
      long after = Math.max(0, last - window);
      List<LogLine> lines = log.read(after, LogFilter.BASIC, (int) Math.min(Integer.MAX_VALUE - 8, last - after));
      if (lines.size() >= count || after == 0) return List.copyOf(lines.subList(Math.max(0, lines.size() - count), lines.size()));
      window *= 4;
    }
  }
}
