package dev.buildcast.generator.docs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Unpacks an uploaded zip of a repository into the job's folder. Every name is checked before
 * anything is written ({@code ..}, absolute paths, NUL); sizes are counted while inflating, never
 * taken from the headers. {@link java.util.zip} writes a symbolic-link entry as a plain file
 * holding the target's name, so nothing unpacked can point elsewhere (the server's zip check
 * refuses such entries before the job anyway).
 */
final class RepositoryZip {

  static final long MAX_UNPACKED_BYTES = 1L << 30;
  private static final int BUFFER_BYTES = 64 * 1024;

  private final int maxFiles;

  RepositoryZip(int maxFiles) {
    this.maxFiles = maxFiles;
  }

  /** Unpacks {@code zip} into {@code target}; returns the repository's top folder (a lone top folder is entered). */
  Path unpack(Path zip, Path target) throws DocsProblem, IOException, InterruptedException {
    Path root = Files.createDirectories(target).toAbsolutePath().normalize();
    try (ZipFile zipFile = open(zip)) {
      List<ZipEntry> entries = new ArrayList<>();
      Enumeration<? extends ZipEntry> all = zipFile.entries();
      while (all.hasMoreElements()) {
        ZipEntry entry = all.nextElement();
        destination(root, entry.getName());
        if (!entry.isDirectory()) entries.add(entry);
        if (entries.size() > maxFiles) {
          throw new DocsProblem("the zip holds more than " + maxFiles + " files; the operator's limit is docsSite.maxFiles"
              + " (zip just the docs folder, or ask for a higher limit)");
        }
      }
      long budget = MAX_UNPACKED_BYTES;
      for (ZipEntry entry : entries) {
        Cancellation.throwIfInterrupted();
        Path file = destination(root, entry.getName());
        Files.createDirectories(file.getParent());
        budget -= copy(zipFile, entry, file, budget);
      }
    }
    return topFolder(root);
  }

  private static ZipFile open(Path zip) throws DocsProblem, IOException {
    try {
      return new ZipFile(zip.toFile());
    } catch (ZipException e) {
      throw new DocsProblem("the uploaded file is not a zip archive (" + e.getMessage() + "); upload a .zip of the repository", e);
    }
  }

  private static Path destination(Path root, String name) throws DocsProblem {
    String unified = name.replace('\\', '/');
    boolean absolute = unified.startsWith("/") || unified.matches("^[A-Za-z]:.*") || unified.indexOf('\0') >= 0;
    boolean climbs = List.of(unified.split("/")).contains("..");
    Path destination = root.resolve(unified).normalize();
    if (unified.isEmpty() || absolute || climbs || !destination.startsWith(root) || destination.equals(root)) {
      throw new DocsProblem("refused the zip: entry \"" + DocsOptions.excerpt(name) + "\" would land outside the repository folder");
    }
    return destination;
  }

  private static long copy(ZipFile zipFile, ZipEntry entry, Path file, long budget) throws DocsProblem, IOException {
    long written = 0;
    byte[] buffer = new byte[BUFFER_BYTES];
    try (InputStream in = zipFile.getInputStream(entry); OutputStream out = Files.newOutputStream(file)) {
      int read;
      while ((read = in.read(buffer)) > 0) {
        written += read;
        if (written > budget) {
          throw new DocsProblem("refused the zip: it unpacks to more than " + MAX_UNPACKED_BYTES / (1024 * 1024) + " MiB");
        }
        out.write(buffer, 0, read);
      }
    } catch (ZipException e) {
      throw new DocsProblem("the zip entry \"" + DocsOptions.excerpt(entry.getName()) + "\" is corrupt: " + e.getMessage(), e);
    }
    return written;
  }

  /** A zip made from a folder (as code hosts make them) holds that one folder: the repository is inside it. */
  private static Path topFolder(Path root) throws IOException {
    try (var children = Files.list(root)) {
      List<Path> all = children.toList();
      if (all.size() == 1 && Files.isDirectory(all.get(0), LinkOption.NOFOLLOW_LINKS)) return all.get(0);
    }
    return root;
  }
}
