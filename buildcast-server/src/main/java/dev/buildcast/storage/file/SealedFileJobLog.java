package dev.buildcast.storage.file;

import dev.buildcast.log.JobLog;
import dev.buildcast.log.JobLogListener;
import dev.buildcast.log.ListenerRegistration;
import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import java.io.InputStream;
import java.util.List;

/**
 * A handle on a log that was already sealed when opened: immutable, holds no open file (each read
 * opens and closes its own), so thousands of finished jobs cost nothing while nobody reads them.
 */
final class SealedFileJobLog implements JobLog {

  private final String jobId;
  private final LogExtent extent;
  private final LogFileReader reader;

  SealedFileJobLog(String jobId, LogFiles files, LogExtent extent) {
    this.jobId = jobId;
    this.extent = extent;
    this.reader = new LogFileReader(files);
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
