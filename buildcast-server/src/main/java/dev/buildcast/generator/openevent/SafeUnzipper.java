package dev.buildcast.generator.openevent;

import dev.buildcast.generator.ProgressRange;
import dev.buildcast.log.LogSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Unpacks an uploaded zip into a folder, refusing anything that could escape the folder or exhaust
 * the disk: entry names with {@code ..} or absolute paths, too many entries, too many bytes in
 * total, and entries that expand suspiciously. Sizes are counted while copying, never trusted from
 * the zip's headers, because a crafted zip can lie about them.
 */
final class SafeUnzipper {

  private static final int BUFFER_BYTES = 64 * 1024;

  private final ZipLimits limits;
  private final LogSink log;

  SafeUnzipper(ZipLimits limits, LogSink log) {
    this.limits = limits;
    this.log = log;
  }

  /** What was unpacked, for the step's summary line. */
  record Unpacked(int files, long bytes) {}

  Unpacked unpack(Path zip, Path target) throws BrokenExportException, IOException, InterruptedException {
    return unpack(zip, target, 0, 0);
  }

  /** Unpacks, moving the job's progress from {@code fromPercent} to {@code toPercent} by entry. */
  Unpacked unpack(Path zip, Path target, int fromPercent, int toPercent)
      throws BrokenExportException, IOException, InterruptedException {
    Path root = target.toAbsolutePath().normalize();
    PrivateOutput.createFolders(root);
    try (ZipFile zipFile = openZip(zip)) {
      if (zipFile.size() > limits.maxEntries()) {
        throw refused("too many entries: " + zipFile.size() + " (at most " + limits.maxEntries() + ")");
      }
      // why: check every name before writing anything, so a refused zip leaves no partial output
      List<ZipEntry> entries = new ArrayList<>();
      Enumeration<? extends ZipEntry> all = zipFile.entries();
      while (all.hasMoreElements()) {
        ZipEntry entry = all.nextElement();
        checkedDestination(root, entry.getName());
        entries.add(entry);
      }
      long total = 0;
      int files = 0;
      ProgressRange progress = new ProgressRange(log, fromPercent, toPercent, entries.size());
      for (ZipEntry entry : entries) {
        Cancellation.throwIfInterrupted();
        progress.advance();
        Path destination = checkedDestination(root, entry.getName());
        if (entry.isDirectory()) {
          PrivateOutput.createFolders(destination);
          continue;
        }
        PrivateOutput.createFolders(destination.getParent());
        total += copyEntry(zipFile, entry, destination, limits.maxTotalBytes() - total);
        files++;
        log.detail("unpacked " + entry.getName());
      }
      return new Unpacked(files, total);
    }
  }

  private ZipFile openZip(Path zip) throws BrokenExportException, IOException {
    try {
      return new ZipFile(zip.toFile());
    } catch (ZipException e) {
      throw new BrokenExportException(
          "the uploaded file " + zip.getFileName() + " is not a zip archive (" + e.getMessage() + ")", e);
    }
  }

  private Path checkedDestination(Path root, String name) throws BrokenExportException {
    String unified = name.replace('\\', '/');
    if (unified.isEmpty()
        || unified.startsWith("/")
        || unified.matches("^[A-Za-z]:.*")
        || unified.indexOf('\0') >= 0) {
      throw refused("entry \"" + name + "\" has an absolute path (path traversal check)");
    }
    for (String segment : unified.split("/")) {
      if (segment.equals("..")) {
        throw refused("entry \"" + name + "\" climbs out of the export with '..' (path traversal check)");
      }
    }
    Path destination = root.resolve(unified).normalize();
    if (!destination.startsWith(root) || destination.equals(root)) {
      throw refused("entry \"" + name + "\" points outside the export folder (path traversal check)");
    }
    return destination;
  }

  private long copyEntry(ZipFile zipFile, ZipEntry entry, Path destination, long budget)
      throws BrokenExportException, IOException, InterruptedException {
    long compressed = Math.max(entry.getCompressedSize(), 1);
    long written = 0;
    byte[] buffer = new byte[BUFFER_BYTES];
    try (InputStream in = zipFile.getInputStream(entry);
        OutputStream out = PrivateOutput.newFile(destination)) {
      int read;
      int chunks = 0;
      while ((read = in.read(buffer)) > 0) {
        written += read;
        if (written > budget) {
          throw refused("unpacked size exceeds " + limits.maxTotalBytes() + " bytes (total size check) at entry \""
              + entry.getName() + "\"");
        }
        if (written > limits.ratioCheckFloorBytes() && written / compressed > limits.maxCompressionRatio()) {
          throw refused("entry \"" + entry.getName() + "\" expands more than " + limits.maxCompressionRatio()
              + " times its compressed size (compression ratio check, likely a zip bomb)");
        }
        out.write(buffer, 0, read);
        if (++chunks % 64 == 0) {
          Cancellation.throwIfInterrupted(); // why: one huge entry must not delay a cancel
        }
      }
    } catch (ZipException e) {
      throw new BrokenExportException("the zip entry \"" + entry.getName() + "\" is corrupt: " + e.getMessage(), e);
    } catch (BrokenExportException | InterruptedException e) {
      Files.deleteIfExists(destination);
      throw e;
    }
    return written;
  }

  private static BrokenExportException refused(String why) {
    return new BrokenExportException("refused the uploaded zip: " + why);
  }
}
