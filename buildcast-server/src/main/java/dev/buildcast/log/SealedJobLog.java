package dev.buildcast.log;

import java.io.InputStream;
import java.util.List;

/**
 * A handle on a log that was already sealed when opened: immutable, holds nothing open (each read
 * opens and closes what it needs), so thousands of finished jobs cost nothing while nobody reads
 * them.
 */
final class SealedJobLog implements JobLog {

  private final String jobId;
  private final LogExtent extent;
  private final LogSegmentReader reader;

  SealedJobLog(String jobId, LogSegmentReader reader, LogExtent extent) {
    this.jobId = jobId;
    this.extent = extent;
    this.reader = reader;
  }

  @Override
  public String jobId() {
    return jobId;
  }

  @Override
  public List<LogLine> append(LogLevel level, String text) {
    throw new IllegalStateException("the log of job " + jobId + " is sealed");
  }

  @Override
  public long lastSeq() {
    return extent.lines();
  }

  @Override
  public List<LogLine> read(long afterSeq, LogFilter filter, int maxLines) {
    return reader.read(extent, afterSeq, filter, maxLines);
  }

  @Override
  public LinesThrough readThrough(long afterSeq, long throughSeq, LogFilter filter, long maxBytes) {
    return reader.readThrough(extent, afterSeq, throughSeq, filter, maxBytes);
  }

  @Override
  public InputStream openText() {
    return reader.openText(extent);
  }

  @Override
  public long textBytes() {
    return extent.textBytes();
  }

  /** Nothing will ever happen to a sealed log, so there is nothing to tell. */
  @Override
  public ListenerRegistration addListener(JobLogListener listener) {
    return () -> {};
  }

  @Override
  public void seal() {}

  @Override
  public boolean isSealed() {
    return true;
  }

  @Override
  public void close() {}
}
