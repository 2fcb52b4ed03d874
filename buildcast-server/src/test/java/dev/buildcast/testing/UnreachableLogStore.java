package dev.buildcast.testing;

import dev.buildcast.EngineUnavailableException;
import dev.buildcast.log.JobLog;
import dev.buildcast.log.JobLogListener;
import dev.buildcast.log.LinesThrough;
import dev.buildcast.log.ListenerRegistration;
import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.LogStore;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A log store in front of another whose engine a test takes out of reach: while {@link #opens}
 * is off, opening a log fails as a cluster store's does with Redis down; while {@link #seals} is
 * off, sealing fails (after the lines before it were written). Everything else is the other store's.
 */
public final class UnreachableLogStore implements LogStore {

  /** Whether logs can be opened. */
  public final AtomicBoolean opens = new AtomicBoolean(true);
  /** Whether logs can be sealed. */
  public final AtomicBoolean seals = new AtomicBoolean(true);
  private final LogStore store;

  public UnreachableLogStore(LogStore store) {
    this.store = store;
  }

  @Override
  public JobLog open(String jobId) {
    if (!opens.get()) throw new EngineUnavailableException("the test took the log engine out of reach (opening " + jobId + ")");
    return new Guarded(store.open(jobId));
  }

  @Override
  public void delete(String jobId) {
    store.delete(jobId);
  }

  private final class Guarded implements JobLog {
    private final JobLog log;

    Guarded(JobLog log) {
      this.log = log;
    }

    @Override public String jobId() { return log.jobId(); }
    @Override public List<LogLine> append(LogLevel level, String text) { return log.append(level, text); }
    @Override public void batch(Runnable appends) { log.batch(appends); }
    @Override public long lastSeq() { return log.lastSeq(); }
    @Override public List<LogLine> read(long afterSeq, LogFilter filter, int maxLines) { return log.read(afterSeq, filter, maxLines); }
    @Override public LinesThrough readThrough(long afterSeq, long throughSeq, LogFilter filter, long maxBytes) { return log.readThrough(afterSeq, throughSeq, filter, maxBytes); }
    @Override public InputStream openText() { return log.openText(); }
    @Override public long textBytes() { return log.textBytes(); }
    @Override public ListenerRegistration addListener(JobLogListener listener) { return log.addListener(listener); }
    @Override public boolean isSealed() { return log.isSealed(); }
    @Override public void close() { log.close(); }

    @Override
    public void seal() {
      if (!seals.get()) throw new EngineUnavailableException("the test took the log engine out of reach (sealing " + log.jobId() + ")");
      log.seal();
    }
  }
}
