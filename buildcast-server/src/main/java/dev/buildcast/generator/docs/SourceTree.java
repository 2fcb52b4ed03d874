package dev.buildcast.generator.docs;

import dev.buildcast.log.LogSink;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The files of a docs folder, found without following any symbolic link: a link is reported and
 * skipped, so nothing outside the job's folder is ever read, and a link loop cannot make the walk
 * endless. Hidden folders ({@code .git}, ...) and {@code node_modules} are not docs and are skipped.
 *
 * @param root the docs folder (a real folder inside the repository)
 * @param files every regular file, as a path relative to {@code root} with {@code /}, sorted
 */
record SourceTree(Path root, Set<String> files) {

  static SourceTree scan(Path root, int maxFiles, LogSink log) throws DocsProblem, IOException {
    Set<String> files = new TreeSet<>();
    try {
      walk(root, maxFiles, log, files);
    } catch (TooManyFiles e) {
      throw new DocsProblem("the docs folder holds more than " + maxFiles + " files (the operator's limit, docsSite.maxFiles);"
          + " point docs_folder at the folder that holds only the docs");
    }
    return new SourceTree(root, files);
  }

  private static void walk(Path root, int maxFiles, LogSink log, Set<String> files) throws IOException {
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
        boolean skipped = !dir.equals(root) && (name.startsWith(".") || name.equals("node_modules"));
        return skipped ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        String relative = relative(root, file);
        if (attrs.isSymbolicLink()) {
          log.warning("skipped " + relative + ": it is a symbolic link, and links are never followed");
        } else if (attrs.isRegularFile()) {
          files.add(relative);
          if (files.size() > maxFiles) {
            throw new TooManyFiles();
          }
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        log.warning("skipped " + relative(root, file) + ": it could not be read (" + e.getClass().getSimpleName() + ")");
        return FileVisitResult.CONTINUE;
      }
    });
  }

  static String relative(Path root, Path file) {
    return root.relativize(file).toString().replace('\\', '/');
  }

  static boolean isMarkdown(String path) {
    String lower = path.toLowerCase(Locale.ROOT);
    return lower.endsWith(".md") || lower.endsWith(".markdown");
  }

  boolean hasMarkdown() {
    return files.stream().anyMatch(SourceTree::isMarkdown);
  }

  /** Thrown out of the walk to stop it at once; turned into a {@link DocsProblem} by the caller. */
  static final class TooManyFiles extends IOException {
    TooManyFiles() {
      super("too many files", null);
    }
  }

  /** Whether {@code path} is a real folder: neither missing nor a symbolic link on the way from {@code top}. */
  static boolean isRealFolderInside(Path top, Path path) throws IOException {
    if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) return false;
    return path.toRealPath().startsWith(top.toRealPath());
  }
}
