package dev.buildcast.generator.openevent;

import dev.buildcast.log.LogSink;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Zips the finished site folder into one artifact. Entries are written in sorted order with the
 * site's top level at the zip's root, so unzipping it anywhere gives a site that opens from
 * {@code index.html}.
 */
final class SitePackager {

  private final LogSink log;

  SitePackager(LogSink log) {
    this.log = log;
  }

  /** @return the number of files packed */
  int pack(Path siteDir, Path zipFile, int fromPercent, int toPercent) throws IOException, InterruptedException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(siteDir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    ProgressRange progress = new ProgressRange(log, fromPercent, toPercent, files.size());
    Files.createDirectories(zipFile.getParent());
    try (OutputStream out = Files.newOutputStream(zipFile);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Path file : files) {
        Cancellation.throwIfInterrupted();
        String name = siteDir.relativize(file).toString().replace('\\', '/');
        zip.putNextEntry(new ZipEntry(name));
        Files.copy(file, zip);
        zip.closeEntry();
        progress.advance();
      }
    }
    log.detail("wrote " + zipFile.getFileName() + " (" + Files.size(zipFile) + " bytes)");
    return files.size();
  }
}
