package dev.buildcast.generator.openevent;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Folders (700) and files (600) this generator creates in the job's folder, private from their
 * creation whatever the server's umask. why not the job package's helper: the job package depends
 * on generators, not the other way round.
 */
final class PrivateOutput {

  private static final FileAttribute<Set<PosixFilePermission>> FOLDER =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
  private static final FileAttribute<Set<PosixFilePermission>> FILE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  private PrivateOutput() {}

  static Path createFolders(Path dir) throws IOException {
    return Files.createDirectories(dir, FOLDER);
  }

  /** A new or truncated file, 600 from its creation. */
  static OutputStream newFile(Path file) throws IOException {
    return Channels.newOutputStream(FileChannel.open(file,
        Set.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), FILE));
  }
}
