package dev.buildcast.testing;

import dev.buildcast.log.JobLog;
import dev.buildcast.log.JobLogListener;
import dev.buildcast.log.ListenerRegistration;
import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.LogStore;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** A log store in memory, for tests of the layers above the log. */
public final class MemoryLogStore implements LogStore {

  private final Map<String, MemoryJobLog> logs = new ConcurrentHashMap<>();

  @Override
  public JobLog open(String jobId) {
    return logs.computeIfAbsent(jobId, MemoryJobLog::new);
  }

  @Override
  public void delete(String jobId) {
    logs.remove(jobId);
  }

  /** The texts of the job's lines, in order. */
  public List<String> texts(String jobId) {
    return ((MemoryJobLog) open(jobId)).read(0, LogFilter.ALL, Integer.MAX_VALUE).stream().map(LogLine::text).toList();
  }

  public List<LogLine> lines(String jobId) {
    return open(jobId).read(0, LogFilter.ALL, Integer.MAX_VALUE);
  }

  static final class MemoryJobLog implements JobLog {
    private final String jobId;
    private final List<LogLine> lines = new ArrayList<>();
    private final List<JobLogListener> listeners = new CopyOnWriteArrayList<>();
    private boolean sealed;

    MemoryJobLog(String jobId) {
      this.jobId = jobId;
    }

    @Override
    public String jobId() {
      return jobId;
    }

    @Override
    public List<LogLine> append(LogLevel level, String text) {
      List<LogLine> added;
      synchronized (this) {
        if (sealed) throw new IllegalStateException("log of " + jobId + " is sealed");
        LogLine line = new LogLine(lines.size() + 1, System.currentTimeMillis(), level, text);
        lines.add(line);
        added = List.of(line);
      }
      listeners.forEach(l -> l.appended(added));
      return added;
    }

    @Override
    public synchronized long lastSeq() {
      return lines.size();
    }

    @Override
    public synchronized List<LogLine> read(long afterSeq, LogFilter filter, int maxLines) {
      return lines.stream().filter(l -> l.seq() > afterSeq && filter.accepts(l)).limit(maxLines).toList();
    }

    @Override
    public synchronized InputStream openText() {
      String text = lines.stream().map(l -> l.text() + "\n").collect(Collectors.joining());
      return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public long textBytes() {
      try (InputStream in = openText()) {
        return in.readAllBytes().length;
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public ListenerRegistration addListener(JobLogListener listener) {
      listeners.add(listener);
      return () -> listeners.remove(listener);
    }

    @Override
    public void seal() {
      long last;
      synchronized (this) {
        if (sealed) return;
        sealed = true;
        last = lines.size();
      }
      listeners.forEach(l -> l.sealed(last));
    }

    @Override
    public synchronized boolean isSealed() {
      return sealed;
    }

    @Override
    public void close() {}
  }
}
