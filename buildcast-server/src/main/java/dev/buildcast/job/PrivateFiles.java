package dev.buildcast.job;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Everything under the data folder is the server's alone: folders 700, files 600. Files and
 * folders are created with those permissions (a umask can only take bits away, so the result is
 * the same under umask 022 or 077), never created open and narrowed afterwards. Only what a
 * generator made in a job's folder is narrowed after the fact ({@link #restrictTree}), because
 * its code or process created it.
 */
public final class PrivateFiles {

  public static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private PrivateFiles() {}

  /** The permissions of a new folder, for {@code Files.createDirectories} and friends. */
  public static FileAttribute<Set<PosixFilePermission>> folder() {
    return PosixFilePermissions.asFileAttribute(FOLDER);
  }

  /** The permissions of a new file. */
  public static FileAttribute<Set<PosixFilePermission>> file() {
    return PosixFilePermissions.asFileAttribute(FILE);
  }

  /** Creates the folder and any missing parents, each 700. */
  public static Path createFolders(Path dir) throws IOException {
    return Files.createDirectories(dir, folder());
  }

  /** Opens a file channel; a file it creates is 600. */
  public static FileChannel open(Path path, OpenOption... options) throws IOException {
    return FileChannel.open(path, Set.of(options), file());
  }

  /** Writes {@code bytes} to a new or truncated file that is 600 from its creation. */
  public static void write(Path path, byte[] bytes) throws IOException {
    try (FileChannel channel = open(path, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
        java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) channel.write(buffer);
    }
  }

  /**
   * Narrows every folder under {@code root} to 700 and every regular file to 600, without
   * following or touching links: for what a job's generator made with its own umask.
   */
  public static void restrictTree(Path root) throws IOException {
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) return;
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        Files.setPosixFilePermissions(dir, FOLDER);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        // why only regular files with one name: chmod on a symbolic link would change the file it
        // points to, and on a hard link the same file under its other name, anywhere
        if (attrs.isRegularFile() && ((Number) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue() == 1) {
          Files.setPosixFilePermissions(file, FILE);
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
