package dev.buildcast.storage.file;

import dev.buildcast.job.PrivateFiles;
import dev.buildcast.log.JobLogSegments;
import dev.buildcast.log.LogExtent;
import dev.buildcast.log.LogSegmentReader;
import dev.buildcast.log.LogSegments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Keeps every job's log as files in the job's folder (formats: see the package documentation).
 * Stores bytes only: the seqs, the limit and the listeners are {@link
 * dev.buildcast.log.SegmentedLogStore}'s.
 */
public final class FileLogSegments implements LogSegments {

  private final Function<String, Path> jobDir;

  /** @param jobDir the folder of a job, by job id (created when missing) */
  public FileLogSegments(Function<String, Path> jobDir) {
    this.jobDir = jobDir;
  }

  private LogFiles files(String jobId) {
    return new LogFiles(jobDir.apply(jobId));
  }

  @Override
  public Optional<LogExtent> sealedExtent(String jobId) {
    try {
      return SealMarker.read(files(jobId));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the seal of the log of job " + jobId, e);
    }
  }

  @Override
  public LogSegmentReader reader(String jobId) {
    return new LogFileReader(files(jobId));
  }

  @Override
  public JobLogSegments openForAppend(String jobId) {
    LogFiles files = files(jobId);
    try {
      PrivateFiles.createFolders(files.dir());
      boolean wasSealed = Files.exists(files.sealMarker());
      LogExtent extent = LogFileRepair.repair(files);
      TailRing ring = TailRing.open(files).orElse(null);
      return new FileJobLogSegments(files, extent, wasSealed, ring);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the log in " + files.dir(), e);
    }
  }

  @Override
  public void delete(String jobId) {
    files(jobId).deleteAll();
  }
}
