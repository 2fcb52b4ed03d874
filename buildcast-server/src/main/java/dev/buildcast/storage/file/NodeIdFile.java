package dev.buildcast.storage.file;

import dev.buildcast.job.PrivateFiles;
import dev.buildcast.job.SecureTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * This node's id, made once and kept in the data folder ({@code node-id}), so the node is the same
 * owner of its jobs after a restart: it fails its own interrupted jobs and no one else's.
 */
public final class NodeIdFile {

  static final String FILE = "node-id";
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private NodeIdFile() {}

  /** The id stored in {@code dataDir}, made and stored first when there is none. */
  public static String loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    try {
      if (!Files.exists(file)) create(dataDir, file);
      String id = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (!VALID.matcher(id).matches()) {
        throw new IllegalStateException("The node id in " + file + " is not 1-64 letters, digits, '.', '_' or '-'; fix it or delete the"
            + " file (a new id is made, and jobs the old id was running are then failed when their lease passes).");
      }
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read or create this node's id in " + file, e);
    }
  }

  private static void create(Path dataDir, Path file) throws IOException {
    PrivateFiles.createFolders(dataDir);
    Path temp = Files.createTempFile(dataDir, FILE, ".tmp", PrivateFiles.file());
    try {
      Files.writeString(temp, "node-" + SecureTokens.newId() + "\n", StandardCharsets.UTF_8);
      try {
        // why a link: it fails when the file exists, so two starts racing on a new folder keep one id
        Files.createLink(file, temp);
      } catch (FileAlreadyExistsException e) {
        // another start made it first; its id is the one
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
