package dev.buildcast.storage.file;

import dev.buildcast.job.JobFiles;
import dev.buildcast.log.cluster.MirrorCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The job logs a node keeps in its job folders ({@code <jobsRoot>/<jobId>/detailed.*}), with what
 * their files take, for the {@link MirrorCache}. Only the log's files count: a job's {@code work/}
 * and {@code output/} are not the cache's. Folders whose name is no job id, and links, are passed
 * over.
 */
public final class LocalJobLogs implements MirrorCache.LocalLogs {

  private final Path jobsRoot;

  public LocalJobLogs(Path jobsRoot) {
    this.jobsRoot = jobsRoot;
  }

  @Override
  public List<MirrorCache.LocalLog> list() {
    List<MirrorCache.LocalLog> logs = new ArrayList<>();
    if (!Files.isDirectory(jobsRoot, LinkOption.NOFOLLOW_LINKS)) return logs;
    try (Stream<Path> folders = Files.list(jobsRoot)) {
      for (Path folder : folders.toList()) {
        String jobId = folder.getFileName().toString();
        if (!JobFiles.isValidId(jobId) || !Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) continue;
        MirrorCache.LocalLog log = measure(jobId, new LogFiles(folder));
        if (log != null) logs.add(log);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the job folders in " + jobsRoot, e);
    }
    return logs;
  }

  /** The log in {@code files}, or null when the folder holds none. */
  private static MirrorCache.LocalLog measure(String jobId, LogFiles files) {
    long bytes = 0;
    Instant changed = Instant.EPOCH;
    boolean any = false;
    for (Path file : List.of(files.text(), files.index(), files.basicIndex(), files.sealMarker(), files.limitMarker(), files.tailSegment(0),
        files.tailSegment(1))) {
      try {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile()) continue;
        any = true;
        bytes += attributes.size();
        Instant modified = attributes.lastModifiedTime().toInstant();
        if (modified.isAfter(changed)) changed = modified;
      } catch (NoSuchFileException e) {
        // not part of this log (no limit reached, not sealed, or deleted meanwhile)
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the size of " + file, e);
      }
    }
    return any ? new MirrorCache.LocalLog(jobId, bytes, changed, Files.exists(files.sealMarker(), LinkOption.NOFOLLOW_LINKS)) : null;
  }
}
