package dev.buildcast.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How much disk the data folder uses and how much is free there, for {@code /healthz} and {@code
 * /metrics}. Walking the folder costs a stat per file, so a result is reused for {@code maxAge}:
 * a health probe every second must not walk thousands of job folders every second.
 */
public final class DataDirUsage {

  /** Bytes of regular files under the data folder, and bytes free to this process on its disk. */
  public record Usage(long dataBytes, long freeBytes) {}

  private final Path dataDir;
  private final Clock clock;
  private final Duration maxAge;
  private Usage last;
  private Instant measuredAt;

  public DataDirUsage(Path dataDir, Clock clock, Duration maxAge) {
    this.dataDir = dataDir;
    this.clock = clock;
    this.maxAge = maxAge;
  }

  /** The usage, measured at most {@code maxAge} ago. */
  public synchronized Usage current() {
    Instant now = clock.instant();
    if (last == null || !now.isBefore(measuredAt.plus(maxAge))) {
      last = measure();
      measuredAt = now;
    }
    return last;
  }

  private Usage measure() {
    long[] bytes = {0};
    try {
      if (Files.isDirectory(dataDir)) {
        Files.walkFileTree(dataDir, new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile()) bytes[0] += attrs.size();
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            // why: a job folder deleted by the retention sweep while walking is not an error
            return FileVisitResult.CONTINUE;
          }
        });
      }
      long free = Files.getFileStore(Files.isDirectory(dataDir) ? dataDir : dataDir.toAbsolutePath().getParent()).getUsableSpace();
      return new Usage(bytes[0], free);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot measure the data folder " + dataDir, e);
    }
  }
}
