package dev.buildcast.upload;

import java.io.IOException;
import java.util.Optional;

/**
 * What a completed upload is by its content — a zip archive or some other file — so a client
 * learns that its file is not the zip a generator takes as soon as the upload ends, not only when
 * the job's input check refuses it. Opening the archive reads only its central directory; the
 * full checks (entries, sizes, paths) stay with {@link ZipInspector} before the job runs.
 */
public enum UploadKind {
  ZIP("zip"),
  FILE("file");

  private static final String NOT_READABLE = "it is not a readable zip archive";

  private final String wireName;

  UploadKind(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /**
   * Why the bytes {@code zip} reads are not a readable zip archive, or empty when they are one: its
   * end record and central directory must be found and well formed (what opening it as a zip
   * checks too), read by ranges so a blob is not copied for it.
   */
  static Optional<String> whyNotZip(ZipCentralDirectory.Source zip) {
    try {
      ZipCentralDirectory.read(zip);
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(NOT_READABLE + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
    }
  }

  /** What a completed upload is: its kind, and why it is not a zip when it is not one. */
  public record Verdict(Optional<String> whyNotZip) {
    public UploadKind kind() {
      return whyNotZip.isEmpty() ? ZIP : FILE;
    }
  }
}
