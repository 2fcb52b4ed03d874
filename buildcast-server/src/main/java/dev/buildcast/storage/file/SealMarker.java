package dev.buildcast.storage.file;

import dev.buildcast.job.PrivateFiles;
import dev.buildcast.log.LogExtent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code detailed.sealed}: written once, atomically, when a log is sealed, holding its final
 * extent as {@code key=value} lines. Its presence lets a finished job's log open without repair
 * and without keeping any file open.
 */
final class SealMarker {

  private SealMarker() {}

  /**
   * Writes the marker, atomically; when {@code durable}, also forced to disk (the log's own files
   * must then already be forced).
   */
  static void write(LogFiles files, LogExtent extent, boolean durable) throws IOException {
    String content =
        "lines=" + extent.lines() + "\nbasicLines=" + extent.basicLines() + "\ntextBytes="
            + extent.textBytes() + "\n";
    try (FileChannel draft =
        PrivateFiles.open(
            files.sealMarkerDraft(),
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      FileIo.writeFully(draft, ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)), 0);
      if (durable) draft.force(true);
    }
    // why: a rename is atomic, so a crash leaves either no marker or a whole one
    Files.move(files.sealMarkerDraft(), files.sealMarker(), StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * The sealed extent, or empty when the log is not sealed or its marker cannot be trusted (then
   * the log is opened and repaired like an unsealed one).
   */
  static Optional<LogExtent> read(LogFiles files) throws IOException {
    String content;
    try {
      content = Files.readString(files.sealMarker(), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    Map<String, Long> values = new HashMap<>();
    for (String line : content.split("\n")) {
      int equals = line.indexOf('=');
      if (equals < 0) continue;
      try {
        values.put(line.substring(0, equals), Long.parseLong(line.substring(equals + 1)));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    Long lines = values.get("lines");
    Long basicLines = values.get("basicLines");
    Long textBytes = values.get("textBytes");
    if (lines == null || basicLines == null || textBytes == null) return Optional.empty();
    if (!Files.exists(files.text()) || Files.size(files.text()) != textBytes) return Optional.empty();
    try {
      return Optional.of(new LogExtent(lines, basicLines, textBytes));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
