package dev.buildcast.upload;

import dev.buildcast.generator.InputKind;
import dev.buildcast.job.InputCheck;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Checks an uploaded zip before a job that declared zip input starts: it must be a zip, hold at
 * most {@code zipMaxEntries} entries, unpack to at most {@code zipMaxUnpackedBytes} (counted by
 * inflating, because headers can lie), and have no entry that would land outside the folder it is
 * unpacked into ({@code ..}, absolute paths, drive letters) and no symbolic link entry. Nothing is
 * written anywhere: the check only reads.
 */
public final class ZipInspector implements InputCheck {

  static final String FORMAT_CHECK = "zip format check";
  static final String ENTRY_COUNT_CHECK = "entry count check";
  static final String PATH_CHECK = "path check";
  static final String SYMLINK_CHECK = "symlink check";
  static final String SIZE_CHECK = "unpacked size check (zip bomb)";

  private static final int BUFFER_BYTES = 64 * 1024;

  private final int maxEntries;
  private final long maxUnpackedBytes;

  public ZipInspector(int maxEntries, long maxUnpackedBytes) {
    this.maxEntries = maxEntries;
    this.maxUnpackedBytes = maxUnpackedBytes;
  }

  public ZipInspector(UploadLimits limits) {
    this(limits.zipMaxEntries(), limits.zipMaxUnpackedBytes());
  }

  @Override
  public void check(InputKind kind, Path input) throws InputRejectedException {
    if (kind != InputKind.ZIP) return;
    try (ZipFile zip = open(input)) {
      if (zip.size() > maxEntries) {
        throw new InputRejectedException(ENTRY_COUNT_CHECK, "the zip holds " + zip.size() + " entries, more than the limit of "
            + maxEntries + " (uploads.zipMaxEntries)");
      }
      List<ZipEntry> entries = new ArrayList<>();
      long declared = 0;
      for (Enumeration<? extends ZipEntry> all = zip.entries(); all.hasMoreElements(); ) {
        ZipEntry entry = all.nextElement();
        checkPath(entry.getName());
        if (entry.getSize() > 0) declared += entry.getSize();
        entries.add(entry);
      }
      List<ZipCentralDirectory.Entry> directory = ZipCentralDirectory.read(input);
      if (directory.size() != entries.size()) {
        // why: two readers that disagree on the entries could let the link check read another
        // directory than the one the generator's unzip will unpack
        throw new InputRejectedException(FORMAT_CHECK, "the zip's central directory is ambiguous (" + directory.size()
            + " records read directly, " + entries.size() + " by the zip reader)");
      }
      for (ZipCentralDirectory.Entry entry : directory) {
        if (entry.isSymlink()) {
          throw new InputRejectedException(SYMLINK_CHECK, "entry \"" + shown(entry.name()) + "\" is a symbolic link; links are not allowed in inputs");
        }
      }
      if (declared > maxUnpackedBytes) throw tooLarge("declares " + declared + " bytes unpacked");
      long total = 0;
      byte[] buffer = new byte[BUFFER_BYTES];
      for (ZipEntry entry : entries) {
        if (entry.isDirectory()) continue;
        try (InputStream in = zip.getInputStream(entry)) {
          int n;
          while ((n = in.read(buffer)) > 0) {
            total += n;
            if (total > maxUnpackedBytes) throw tooLarge("unpacks past " + maxUnpackedBytes + " bytes at entry \"" + shown(entry.getName()) + "\"");
          }
        }
      }
    } catch (ZipException e) {
      throw new InputRejectedException(FORMAT_CHECK, "the file is not a readable zip archive (" + withoutPath(e, input) + ")");
    } catch (IOException e) {
      throw new InputRejectedException(FORMAT_CHECK, "the zip could not be read (" + withoutPath(e, input) + ")");
    }
  }

  /** The exception's message without the upload's path on the server, which users must not see. */
  private static String withoutPath(IOException e, Path input) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.replace(input.toAbsolutePath().toString(), "the upload").replace(input.toString(), "the upload");
  }

  private static ZipFile open(Path input) throws IOException {
    return new ZipFile(input.toFile());
  }

  private InputRejectedException tooLarge(String what) {
    return new InputRejectedException(SIZE_CHECK, "the zip " + what + ", more than the limit of " + maxUnpackedBytes
        + " bytes (uploads.zipMaxUnpackedBytes)");
  }

  /** Refuses names that, unpacked under a folder, would land outside it. */
  static void checkPath(String name) throws InputRejectedException {
    String unified = name.replace('\\', '/');
    boolean escapes = unified.isEmpty()
        || unified.startsWith("/")
        || unified.matches("^[A-Za-z]:.*")
        || unified.indexOf('\0') >= 0;
    for (String segment : unified.split("/")) {
      if (segment.equals("..")) escapes = true;
    }
    if (escapes) {
      throw new InputRejectedException(PATH_CHECK, "entry \"" + shown(name) + "\" would be unpacked outside the job's folder");
    }
  }

  private static String shown(String name) {
    String printable = name.replaceAll("\\p{Cntrl}", "?");
    return printable.length() <= 120 ? printable : printable.substring(0, 120) + "…";
  }
}
