package dev.buildcast.log;

import dev.buildcast.time.Repeater;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A {@link LogStore} over any {@link LogSegments} adapter: the store's own rules, the same for
 * every adapter. An unsealed log has one {@link JobLogWriter}, shared by every handle opened on it
 * and released when the last handle closes or the log is sealed. A sealed log opens as a light
 * read-only handle holding nothing open.
 *
 * <p>Lines are stored before {@code append} returns (for files: the page cache, which survives
 * the server being killed). Against power loss, a store whose {@link LogForcing} is periodic has
 * the logs written to since the last run forced every interval, off the append path, and a log
 * forced when it is sealed or closed.
 *
 * <p>Locking: {@link #writers} and every writer's {@code handles} count are guarded by {@code
 * writers}; opening (including repair) happens under it, so two opens of one log never race.
 */
public final class SegmentedLogStore implements LogStore, AutoCloseable {

  /** A {@link JobLog#batch} scope stores what it holds once this much text waits in it. */
  public static final int PUBLISH_AT_BYTES = JobLogWriter.PUBLISH_AT_BYTES;

  private final LogSegments segments;
  private final LogStoreOptions options;
  private final Map<String, JobLogWriter> writers = new HashMap<>();
  private final Repeater.Repeating forcing;
  private volatile AppendCounter counter = AppendCounter.NONE;

  public SegmentedLogStore(LogSegments segments, LogStoreOptions options) {
    this.segments = Objects.requireNonNull(segments, "segments");
    this.options = Objects.requireNonNull(options, "options");
    this.forcing = options.forcing() instanceof LogForcing.Periodic periodic
        ? periodic.repeater().repeat(periodic.interval(), this::forceWrittenLogs)
        : null;
  }

  /** Tells {@code counter} of every append from now on (wiring: called once, before jobs run). */
  public void countAppendsWith(AppendCounter counter) {
    this.counter = counter;
  }

  @Override
  public JobLog open(String jobId) {
    synchronized (writers) {
      JobLogWriter writer = writers.get(jobId);
      if (writer == null) {
        Optional<LogExtent> sealed = opening(jobId, () -> segments.sealedExtent(jobId));
        if (sealed.isPresent()) return new SealedJobLog(jobId, segments.reader(jobId), sealed.get());
        writer = openWriter(jobId);
        if (writer.isSealed()) return new SealedJobLog(jobId, writer.reader(), writer.extent());
        writers.put(jobId, writer);
      }
      writer.handles++;
      return new WritableJobLog(writer, this::handleClosed);
    }
  }

  private JobLogWriter openWriter(String jobId) {
    JobLogSegments opened = opening(jobId, () -> segments.openForAppend(jobId));
    JobLogWriter writer = new JobLogWriter(jobId, opened, options.clock(), options.forcing().durable(),
        options.limit(), (lines, bytes) -> counter.appended(lines, bytes), () -> sealed(jobId));
    // why: lines past the head while lines are held back mean a crash cut short appending the tail
    if (writer.tailInterrupted()) writer.redoInterruptedTail();
    // why: a seal we could not trust still says the job ended; seal again on the repaired log
    if (opened.wasSealed()) writer.seal();
    return writer;
  }

  private static <T> T opening(String jobId, Supplier<T> step) {
    try {
      return step.get();
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException("cannot open the log of job " + jobId, e.getCause());
    }
  }

  private void sealed(String jobId) {
    synchronized (writers) {
      JobLogWriter writer = writers.get(jobId);
      if (writer != null && writer.isSealed()) writers.remove(jobId);
    }
  }

  private void handleClosed(JobLogWriter writer) {
    synchronized (writers) {
      if (--writer.handles > 0) return;
      writers.remove(writer.jobId(), writer);
    }
    writer.close();
  }

  @Override
  public void delete(String jobId) {
    synchronized (writers) {
      JobLogWriter writer = writers.remove(jobId);
      if (writer != null) writer.close();
      segments.delete(jobId);
    }
  }

  /** How many logs have a writer open (for monitoring and leak tests). */
  public int openWriterCount() {
    synchronized (writers) {
      return writers.size();
    }
  }

  private void forceWrittenLogs() {
    List<JobLogWriter> open;
    synchronized (writers) {
      open = new ArrayList<>(writers.values());
    }
    for (JobLogWriter writer : open) writer.forceIfDirty();
  }

  /** Stops the periodic force and forces and closes every open log. */
  @Override
  public void close() {
    if (forcing != null) forcing.cancel();
    List<JobLogWriter> open;
    synchronized (writers) {
      open = new ArrayList<>(writers.values());
      writers.clear();
    }
    for (JobLogWriter writer : open) writer.close();
  }
}
