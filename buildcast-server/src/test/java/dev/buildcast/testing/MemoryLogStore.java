package dev.buildcast.testing;

import dev.buildcast.log.JobLog;
import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.LogStore;
import dev.buildcast.log.LogStoreOptions;
import dev.buildcast.log.SegmentedLogStore;
import java.time.Clock;
import java.util.List;

/**
 * A log store in memory, for tests of the layers above the log: the same rules as the server's
 * store ({@link SegmentedLogStore}) over {@link MemoryLogSegments}.
 */
public final class MemoryLogStore implements LogStore {

  private final SegmentedLogStore store;

  public MemoryLogStore() {
    this(Clock.systemUTC());
  }

  public MemoryLogStore(Clock clock) {
    this.store = new SegmentedLogStore(new MemoryLogSegments(), LogStoreOptions.unforced(clock));
  }

  @Override
  public JobLog open(String jobId) {
    return store.open(jobId);
  }

  @Override
  public void delete(String jobId) {
    store.delete(jobId);
  }

  /** The texts of the job's lines, in order. */
  public List<String> texts(String jobId) {
    return lines(jobId).stream().map(LogLine::text).toList();
  }

  public List<LogLine> lines(String jobId) {
    try (JobLog log = open(jobId)) {
      return log.read(0, LogFilter.ALL, Integer.MAX_VALUE);
    }
  }
}
