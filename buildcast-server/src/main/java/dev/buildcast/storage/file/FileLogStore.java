package dev.buildcast.storage.file;

import dev.buildcast.log.AppendCounter;
import dev.buildcast.log.JobLog;
import dev.buildcast.log.LogStore;
import dev.buildcast.log.LogStoreOptions;
import dev.buildcast.log.SegmentedLogStore;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The single-node log store: the log's rules of {@link SegmentedLogStore} over {@link
 * FileLogSegments}, which keep every job's log as files in the job's folder (formats: see the
 * package documentation).
 */
public final class FileLogStore implements LogStore, AutoCloseable {

  private final SegmentedLogStore store;

  /**
   * @param jobDir the folder of a job, by job id (created when missing)
   * @param options the clock, the limit, and whether (and how often) logs are forced to disk
   */
  public FileLogStore(Function<String, Path> jobDir, LogStoreOptions options) {
    this.store = new SegmentedLogStore(new FileLogSegments(jobDir), options);
  }

  /** Tells {@code counter} of every append from now on (wiring: called once, before jobs run). */
  public void countAppendsWith(AppendCounter counter) {
    store.countAppendsWith(counter);
  }

  @Override
  public JobLog open(String jobId) {
    return store.open(jobId);
  }

  @Override
  public void delete(String jobId) {
    store.delete(jobId);
  }

  /** How many logs have their files open for writing (for monitoring and leak tests). */
  public int openWriterCount() {
    return store.openWriterCount();
  }

  /** Stops the periodic force and forces and closes every open log. */
  @Override
  public void close() {
    store.close();
  }
}
