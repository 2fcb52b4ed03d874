package dev.buildcast.testing;

import dev.buildcast.log.JobLog;
import dev.buildcast.log.JobLogListener;
import dev.buildcast.log.LinesThrough;
import dev.buildcast.log.ListenerRegistration;
import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.PendingLine;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A log that passes every call on and records what its reads returned: the lines in all, and
 * the most text one read held (UTF-8 bytes), so a test can tell how much a reader holds at once.
 */
public final class ReadRecordingJobLog implements JobLog {
  private final JobLog log;
  private final AtomicLong linesRead = new AtomicLong();
  private final AtomicLong largestReadBytes = new AtomicLong();

  public ReadRecordingJobLog(JobLog log) {
    this.log = log;
  }

  /** Lines returned by all reads so far. */
  public long linesRead() {
    return linesRead.get();
  }

  /** The most UTF-8 bytes of text one read returned. */
  public long largestReadBytes() {
    return largestReadBytes.get();
  }

  private List<LogLine> recorded(List<LogLine> lines) {
    linesRead.addAndGet(lines.size());
    long bytes = 0;
    for (LogLine line : lines) bytes += PendingLine.byteCount(line.text());
    largestReadBytes.accumulateAndGet(bytes, Math::max);
    return lines;
  }

  @Override
  public List<LogLine> read(long afterSeq, LogFilter filter, int maxLines) {
    return recorded(log.read(afterSeq, filter, maxLines));
  }

  @Override
  public LinesThrough readThrough(long afterSeq, long throughSeq, LogFilter filter, long maxBytes) {
    LinesThrough read = log.readThrough(afterSeq, throughSeq, filter, maxBytes);
    recorded(read.lines());
    return read;
  }

  @Override public String jobId() { return log.jobId(); }
  @Override public List<LogLine> append(LogLevel level, String text) { return log.append(level, text); }
  @Override public void batch(Runnable appends) { log.batch(appends); }
  @Override public long lastSeq() { return log.lastSeq(); }
  @Override public InputStream openText() { return log.openText(); }
  @Override public long textBytes() { return log.textBytes(); }
  @Override public ListenerRegistration addListener(JobLogListener listener) { return log.addListener(listener); }
  @Override public void seal() { log.seal(); }
  @Override public boolean isSealed() { return log.isSealed(); }
  @Override public void close() { log.close(); }
}
