package dev.buildcast.log;

import java.util.List;

/**
 * Lines read up to a seq: {@code lines} holds every line after the read's start with {@code seq
 * <= throughSeq} that passes the read's filter, in order (not to be modified). A read bounded by
 * bytes may stop before the seq it was asked to read through; {@code throughSeq} says where it
 * stopped.
 */
public record LinesThrough(List<LogLine> lines, long throughSeq) {

  /**
   * {@code lines}, every matching line after the read's start through {@code throughSeq}, cut
   * after the first line at which their stored bytes ({@link PendingLine#byteCount}) reach {@code
   * maxBytes}. For stores that have the lines in memory already; a store reading from disk bounds
   * what it reads instead.
   */
  static LinesThrough cut(List<LogLine> lines, long throughSeq, long maxBytes) {
    long bytes = 0;
    for (int i = 0; i < lines.size(); i++) {
      bytes += PendingLine.byteCount(lines.get(i).text());
      if (bytes >= maxBytes && i < lines.size() - 1) {
        return new LinesThrough(lines.subList(0, i + 1), lines.get(i).seq());
      }
    }
    return new LinesThrough(lines, throughSeq);
  }
}
