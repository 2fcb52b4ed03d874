package dev.buildcast.upload;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.ZipFile;

/**
 * What a completed upload is by its content — a zip archive or some other file — so a client
 * learns that its file is not the zip a generator takes as soon as the upload ends, not only when
 * the job's input check refuses it. Opening the archive reads only its central directory; the
 * full checks (entries, sizes, paths) stay with {@link ZipInspector} before the job runs.
 */
public enum UploadKind {
  ZIP("zip"),
  FILE("file");

  private final String wireName;

  UploadKind(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The kind of the file at {@code file}; a file that cannot be read as a zip is {@link #FILE}. */
  public static UploadKind of(Path file) {
    return whyNotZip(file).isEmpty() ? ZIP : FILE;
  }

  /** Why the file is not a readable zip archive, or empty when it is one. */
  public static Optional<String> whyNotZip(Path file) {
    try {
      new ZipFile(file.toFile()).close(); // why: opening reads and checks the central directory
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("it is not a readable zip archive" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
    }
  }
}
