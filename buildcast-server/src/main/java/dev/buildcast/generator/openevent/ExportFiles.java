package dev.buildcast.generator.openevent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
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
 * the export: the message names the file and, for syntax errors, the line and column. Files are
 * read as a stream within {@link ExportLimits}: past one, the export breaks before memory grows.
 */
final class ExportFiles {

  private final Path exportDir;
  private final LogSink log;
  private final ExportLimits limits;
  private final ObjectMapper json;

  ExportFiles(Path exportDir, LogSink log) {
    this(exportDir, log, ExportLimits.DEFAULT);
  }

  ExportFiles(Path exportDir, LogSink log, long maxJsonBytes) {
    this(exportDir, log, ExportLimits.DEFAULT.withMaxJsonBytes(maxJsonBytes));
  }

  ExportFiles(Path exportDir, LogSink log, ExportLimits limits) {
    this.exportDir = exportDir;
    this.log = log;
    this.limits = limits;
    // why: the parser itself counts tokens, depth and string length as it reads, so a file that
    // passes a limit fails there, before its tree has grown
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxTokenCount(limits.maxValues())
            .maxNestingDepth(limits.maxNestingDepth())
            .maxStringLength(limits.maxStringChars())
            .build())
        .build();
    this.json = JsonMapper.builder(factory).build();
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
    if (size > limits.maxJsonBytes()) {
      throw new BrokenExportException(name + ": the file has " + size + " bytes, more than the "
          + limits.maxJsonBytes() + " a JSON file of the export may have (memory limit check)");
    }
    try (JsonParser parser = json.createParser(file.toFile())) {
      JsonNode node = parse(name, parser);
      log.detail("read " + name + " (" + size + " bytes)");
      return Optional.of(node);
    } catch (JsonProcessingException e) {
      throw new BrokenExportException(name + ": invalid JSON" + where(e.getLocation()) + ": " + e.getOriginalMessage(), e);
    }
  }

  private JsonNode parse(String name, JsonParser parser) throws BrokenExportException, IOException {
    try {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new BrokenExportException(name + ": the file is empty, expected JSON");
      }
      JsonNode node = first == JsonToken.START_ARRAY ? records(name, parser) : json.readTree(parser);
      // why: without this, "[] {}" would be read as an empty list and the damage go unnoticed
      if (parser.nextToken() != null) {
        throw new BrokenExportException(name + ": invalid JSON" + where(parser.currentTokenLocation())
            + ": more content after the end of the " + kind(node));
      }
      return node;
    } catch (StreamConstraintsException e) {
      throw new BrokenExportException(name + ": the file is refused" + where(parser.currentLocation())
          + " (memory limit check): " + e.getOriginalMessage() + ". An export file may hold at most "
          + limits.maxValues() + " JSON tokens, nested " + limits.maxNestingDepth()
          + " deep, with strings of at most " + limits.maxStringChars() + " characters", e);
    }
  }

  /** Reads the top-level array one record at a time, counting them. */
  private ArrayNode records(String name, JsonParser parser) throws BrokenExportException, IOException {
    ArrayNode records = JsonNodeFactory.instance.arrayNode();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      if (records.size() >= limits.maxRecords()) {
        throw new BrokenExportException(name + ": more than " + limits.maxRecords()
            + " records, the most a file of the export may hold (record count check)");
      }
      JsonNode record = json.readTree(parser);
      records.add(record);
    }
    return records;
  }

  private static String where(JsonLocation at) {
    return at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
  }

  private static String kind(JsonNode node) {
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
