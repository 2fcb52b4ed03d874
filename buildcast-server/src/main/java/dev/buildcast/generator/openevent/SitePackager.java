package dev.buildcast.generator.openevent;

import dev.buildcast.generator.ProgressRange;
import dev.buildcast.log.LogSink;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Zips the finished site folder into one artifact. Entries are written in sorted order with the
 * site's top level at the zip's root, so unzipping it anywhere gives a site that opens from
 * {@code index.html}.
 *
 * <p>The zip is reproducible: the same site gives the same bytes, whenever and wherever it is
 * built. Entries are ordered by their name (not by the platform's path order) and carry one fixed
 * timestamp instead of the files' modification times, so a checksum says whether a site changed.
 */
final class SitePackager {

  /** The DOS epoch, the earliest time a zip entry can carry. */
  static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

  private final LogSink log;

  SitePackager(LogSink log) {
    this.log = log;
  }

  /** @return the number of files packed */
  int pack(Path siteDir, Path zipFile, int fromPercent, int toPercent) throws IOException, InterruptedException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(siteDir)) {
      files = walk.filter(Files::isRegularFile)
          .sorted(Comparator.comparing(file -> entryName(siteDir, file)))
          .toList();
    }
    ProgressRange progress = new ProgressRange(log, fromPercent, toPercent, files.size());
    Files.createDirectories(zipFile.getParent());
    try (OutputStream out = Files.newOutputStream(zipFile);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Path file : files) {
        Cancellation.throwIfInterrupted();
        ZipEntry entry = new ZipEntry(entryName(siteDir, file));
        entry.setTimeLocal(FIXED_TIME);
        zip.putNextEntry(entry);
        Files.copy(file, zip);
        zip.closeEntry();
        progress.advance();
      }
    }
    log.detail("wrote " + zipFile.getFileName() + " (" + Files.size(zipFile) + " bytes)");
    return files.size();
  }

  private static String entryName(Path siteDir, Path file) {
    return siteDir.relativize(file).toString().replace('\\', '/');
  }
}
