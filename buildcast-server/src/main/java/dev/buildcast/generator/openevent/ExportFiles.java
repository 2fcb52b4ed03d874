package dev.buildcast.generator.openevent;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.buildcast.log.LogSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads the JSON files of an unpacked export. The files have no extension ({@code event},
 * {@code sessions}...). A file that is present but not valid JSON, or of the wrong shape, breaks
 * the export: the message names the file and, for syntax errors, the line and column.
 */
final class ExportFiles {

  // why: without this, "[] garbage" would be read as an empty list and the damage go unnoticed
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  /**
   * The largest JSON file read. The parsed tree takes several times the file's size on the heap,
   * so this keeps memory bounded; 64 MiB is about a hundred times the largest real sample.
   */
  static final long DEFAULT_MAX_JSON_BYTES = 64L << 20;

  private final Path exportDir;
  private final LogSink log;
  private final long maxJsonBytes;

  ExportFiles(Path exportDir, LogSink log) {
    this(exportDir, log, DEFAULT_MAX_JSON_BYTES);
  }

  ExportFiles(Path exportDir, LogSink log, long maxJsonBytes) {
    this.exportDir = exportDir;
    this.log = log;
    this.maxJsonBytes = maxJsonBytes;
  }

  /**
   * Where the export's files are: the zip's root, as the format says, or the one folder the zip
   * holds when someone zipped the export's folder instead of its contents (a common slip when
   * re-packing an export by hand).
   */
  static Path dataRoot(Path exportDir, LogSink log) throws IOException {
    if (Files.exists(exportDir.resolve("event"))) return exportDir;
    List<Path> folders;
    try (Stream<Path> children = Files.list(exportDir)) {
      folders = children.filter(Files::isDirectory)
          .filter(p -> !p.getFileName().toString().equals("__MACOSX"))
          .toList();
    }
    if (folders.size() == 1 && Files.isRegularFile(folders.get(0).resolve("event"))) {
      log.notice("the export's files are inside the folder " + folders.get(0).getFileName() + "/; reading them from there");
      return folders.get(0);
    }
    return exportDir;
  }

  /** The {@code event} object, which every export must have. */
  JsonNode event() throws BrokenExportException, IOException {
    Optional<JsonNode> event = read("event");
    if (event.isEmpty()) {
      throw new BrokenExportException(
          "the zip has no \"event\" file at its root: this is not an Open Event export");
    }
    if (!event.get().isObject()) {
      throw new BrokenExportException(
          "event: expected a JSON object, found " + kind(event.get()));
    }
    return event.get();
  }

  /**
   * One of the list files ({@code sessions}, {@code speakers}...). A missing list is read as empty
   * and noted, because small events legitimately leave out sponsors or rooms.
   */
  ArrayNode list(String name) throws BrokenExportException, IOException {
    Optional<JsonNode> content = read(name);
    if (content.isEmpty()) {
      log.detail("no \"" + name + "\" file in the export: reading it as empty");
      return JsonNodeFactory.instance.arrayNode();
    }
    if (!content.get().isArray()) {
      throw new BrokenExportException(name + ": expected a JSON array, found " + kind(content.get()));
    }
    return (ArrayNode) content.get();
  }

  private Optional<JsonNode> read(String name) throws BrokenExportException, IOException {
    Path file = exportDir.resolve(name);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    long size = Files.size(file);
    if (size > maxJsonBytes) {
      throw new BrokenExportException(name + ": the file has " + size + " bytes, more than the "
          + maxJsonBytes + " a JSON file of the export may have (memory limit check)");
    }
    try {
      JsonNode node = JSON.readTree(file.toFile());
      if (node == null || node.isMissingNode()) {
        throw new BrokenExportException(name + ": the file is empty, expected JSON");
      }
      log.detail("read " + name + " (" + size + " bytes)");
      return Optional.of(node);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new BrokenExportException(name + ": invalid JSON" + where + ": " + e.getOriginalMessage(), e);
    }
  }

  private static String kind(JsonNode node) {
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
