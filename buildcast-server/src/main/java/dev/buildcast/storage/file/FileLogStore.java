package dev.buildcast.storage.file;

import dev.buildcast.job.PrivateFiles;
import dev.buildcast.log.AppendCounter;
import dev.buildcast.log.JobLog;
import dev.buildcast.log.LogLimit;
import dev.buildcast.log.LogStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Keeps every job's detailed log as files in the job's folder (formats: see the package
 * documentation).
 *
 * <p>An unsealed log has one {@link LogFileWriter}, shared by every handle opened on it and
 * released when the last handle closes or the log is sealed. A sealed log opens as a light
 * read-only handle holding no file open.
 *
 * <p>Lines reach the page cache before {@code append} returns, which survives the server being
 * killed. Against power loss, a durable store (the constructor with a forcer) forces the logs
 * written to since its last run to the disk every {@code forceInterval} (default {@link
 * #DEFAULT_FORCE_INTERVAL}), off the append path, and forces a log's files when it is
 * sealed or closed.
 *
 * <p>Locking: {@link #writers} and every writer's {@code handles} count are guarded by {@code
 * writers}; opening (including repair) happens under it, so two opens of one log never race.
 */
public final class FileLogStore implements LogStore, AutoCloseable {

  /** How often a durable store forces written logs to disk unless told otherwise. */
  public static final Duration DEFAULT_FORCE_INTERVAL = Duration.ofSeconds(1);

  private final Function<String, Path> jobDir;
  private final Clock clock;
  private final Map<String, LogFileWriter> writers = new HashMap<>();
  private final ScheduledFuture<?> forcing;
  private final boolean durable;
  private final LogLimit limit;
  private volatile AppendCounter counter = AppendCounter.NONE;

  /**
   * @param jobDir the folder of a job, by job id (created when missing)
   * @param clock stamps appended lines
   * @param forcer runs the periodic force to disk
   * @param forceInterval how often written logs are forced to disk
   * @param limit how much of each job's log is kept
   */
  public FileLogStore(
      Function<String, Path> jobDir,
      Clock clock,
      ScheduledExecutorService forcer,
      Duration forceInterval,
      LogLimit limit) {
    this.jobDir = jobDir;
    this.clock = clock;
    this.durable = true;
    this.limit = limit;
    long millis = Math.max(1, forceInterval.toMillis());
    this.forcing =
        forcer.scheduleWithFixedDelay(this::forceWrittenLogs, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** A durable store without a limit. */
  public FileLogStore(
      Function<String, Path> jobDir, Clock clock, ScheduledExecutorService forcer, Duration forceInterval) {
    this(jobDir, clock, forcer, forceInterval, LogLimit.NONE);
  }

  /** A durable store forcing every {@link #DEFAULT_FORCE_INTERVAL}. */
  public FileLogStore(
      Function<String, Path> jobDir, Clock clock, ScheduledExecutorService forcer) {
    this(jobDir, clock, forcer, DEFAULT_FORCE_INTERVAL, LogLimit.NONE);
  }

  /**
   * A store that never forces to disk (not even when sealing): lines survive the process being
   * killed, not a power loss. For tests and throw-away data.
   */
  public FileLogStore(Function<String, Path> jobDir, Clock clock) {
    this(jobDir, clock, LogLimit.NONE);
  }

  /** A store that never forces to disk, keeping each log within {@code limit}. */
  public FileLogStore(Function<String, Path> jobDir, Clock clock, LogLimit limit) {
    this.jobDir = jobDir;
    this.clock = clock;
    this.durable = false;
    this.forcing = null;
    this.limit = limit;
  }

  /** Tells {@code counter} of every append from now on (wiring: called once, before jobs run). */
  public void countAppendsWith(AppendCounter counter) {
    this.counter = counter;
  }

  @Override
  public JobLog open(String jobId) {
    LogFiles files = new LogFiles(jobDir.apply(jobId));
    synchronized (writers) {
      LogFileWriter writer = writers.get(jobId);
      if (writer == null) {
        try {
          Optional<JobLog> sealed = openSealed(jobId, files);
          if (sealed.isPresent()) return sealed.get();
          writer = openWriter(jobId, files);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot open the log of job " + jobId, e);
        }
        if (writer.isSealed()) return new SealedFileJobLog(jobId, files, writer.extent());
        writers.put(jobId, writer);
      }
      writer.handles++;
      return new WritableFileJobLog(writer, this::handleClosed);
    }
  }

  private static Optional<JobLog> openSealed(String jobId, LogFiles files) throws IOException {
    return SealMarker.read(files).map(extent -> new SealedFileJobLog(jobId, files, extent));
  }

  private LogFileWriter openWriter(String jobId, LogFiles files) throws IOException {
    PrivateFiles.createFolders(files.dir());
    boolean wasSealed = Files.exists(files.sealMarker());
    LogExtent extent = LogFileRepair.repair(files);
    TailRing ring = TailRing.open(files).orElse(null);
    // why: lines past the head while a ring exists mean a crash cut short appending the tail
    boolean tailInterrupted = ring != null && extent.lines() > ring.head().lines();
    LogFileWriter writer = new LogFileWriter(
        jobId, files, tailInterrupted ? ring.head() : extent, clock, durable, limit, ring, (lines, bytes) -> counter.appended(lines, bytes), () -> sealed(jobId));
    if (tailInterrupted) writer.redoInterruptedTail();
    // why: a marker we could not trust still says the job ended; seal again on the repaired files
    if (wasSealed) writer.seal();
    return writer;
  }

  private void sealed(String jobId) {
    synchronized (writers) {
      LogFileWriter writer = writers.get(jobId);
      if (writer != null && writer.isSealed()) writers.remove(jobId);
    }
  }

  private void handleClosed(LogFileWriter writer) {
    synchronized (writers) {
      if (--writer.handles > 0) return;
      writers.remove(writer.jobId(), writer);
    }
    writer.close();
  }

  @Override
  public void delete(String jobId) {
    LogFiles files = new LogFiles(jobDir.apply(jobId));
    synchronized (writers) {
      LogFileWriter writer = writers.remove(jobId);
      if (writer != null) writer.close();
      files.deleteAll();
    }
  }

  /** How many logs have their files open for writing (for monitoring and leak tests). */
  public int openWriterCount() {
    synchronized (writers) {
      return writers.size();
    }
  }

  private void forceWrittenLogs() {
    List<LogFileWriter> open;
    synchronized (writers) {
      open = new ArrayList<>(writers.values());
    }
    for (LogFileWriter writer : open) writer.forceIfDirty();
  }

  /** Stops the periodic force and forces and closes every open log. */
  @Override
  public void close() {
    if (forcing != null) forcing.cancel(false);
    List<LogFileWriter> open;
    synchronized (writers) {
      open = new ArrayList<>(writers.values());
      writers.clear();
    }
    for (LogFileWriter writer : open) writer.close();
  }
}
