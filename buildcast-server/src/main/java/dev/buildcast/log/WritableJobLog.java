package dev.buildcast.log;

import java.io.InputStream;
import java.util.List;
import java.util.function.Consumer;

/**
 * A handle on a log that was not sealed when opened: appends go through the writer shared by all
 * handles; reads go straight to the segments up to their stored extent. Reads keep working after
 * {@link #close()}; only appending and sealing need an open handle.
 */
final class WritableJobLog implements JobLog {

  private final JobLogWriter writer;
  private final LogSegmentReader reader;
  private final Consumer<JobLogWriter> onClose;
  private volatile boolean closed;

  WritableJobLog(JobLogWriter writer, Consumer<JobLogWriter> onClose) {
    this.writer = writer;
    this.reader = writer.reader();
    this.onClose = onClose;
  }

  @Override
  public String jobId() {
    return writer.jobId();
  }

  @Override
  public List<LogLine> append(LogLevel level, String text) {
    if (closed) throw new IllegalStateException("this handle on the log of job " + jobId() + " is closed");
    return writer.append(level, text);
  }

  @Override
  public void batch(Runnable appends) {
    writer.batch(appends);
  }

  @Override
  public long lastSeq() {
    return writer.extent().lines();
  }

  @Override
  public List<LogLine> read(long afterSeq, LogFilter filter, int maxLines) {
    return reader.read(writer.extent(), afterSeq, filter, maxLines);
  }

  @Override
  public LinesThrough readThrough(long afterSeq, long throughSeq, LogFilter filter, long maxBytes) {
    return reader.readThrough(writer.extent(), afterSeq, throughSeq, filter, maxBytes);
  }

  @Override
  public InputStream openText() {
    return reader.openText(writer.extent());
  }

  @Override
  public long textBytes() {
    return writer.extent().textBytes();
  }

  @Override
  public ListenerRegistration addListener(JobLogListener listener) {
    return writer.addListener(listener);
  }

  @Override
  public void seal() {
    if (closed) throw new IllegalStateException("this handle on the log of job " + jobId() + " is closed");
    writer.seal();
  }

  @Override
  public boolean isSealed() {
    return writer.isSealed();
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    // why: inside a batch scope the writer's lock is held, and releasing takes the store's lock
    writer.outsideScope(() -> onClose.accept(writer));
  }
}
