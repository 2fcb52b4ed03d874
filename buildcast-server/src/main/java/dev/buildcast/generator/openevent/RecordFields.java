package dev.buildcast.generator.openevent;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the fields of one export record whichever schema generation wrote it. Callers ask by the
 * newer kebab-case name ({@code starts-at}); the older snake_case spelling ({@code starts_at}) and
 * the few fields that were renamed outright ({@code start_time}, {@code photo}...) are found too.
 * Keeping the two schemas' differences in this one table is what lets the rest of the generator
 * see a single model.
 */
final class RecordFields {

  /** Newer name → older names that are not just its snake_case spelling. */
  private static final Map<String, List<String>> RENAMED =
      Map.ofEntries(
          Map.entry("starts-at", List.of("start_time")),
          Map.entry("ends-at", List.of("end_time")),
          Map.entry("logo-url", List.of("logo")),
          Map.entry("original-image-url", List.of("background_image")),
          Map.entry("photo-url", List.of("photo")),
          Map.entry("type", List.of("sponsor_type")),
          Map.entry("is-featured", List.of("featured")),
          Map.entry("slides-url", List.of("slides")),
          Map.entry("video-url", List.of("video")),
          Map.entry("audio-url", List.of("audio")),
          Map.entry("event-copyright", List.of("copyright")));

  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final JsonNode record;

  RecordFields(JsonNode record) {
    this.record = record;
  }

  boolean isObject() {
    return record != null && record.isObject();
  }

  /** The raw node under the field's newer or older name, or a missing node. */
  JsonNode node(String kebabName) {
    JsonNode found = record.path(kebabName);
    if (!isAbsent(found)) return found;
    found = record.path(kebabName.replace('-', '_'));
    if (!isAbsent(found)) return found;
    for (String older : RENAMED.getOrDefault(kebabName, List.of())) {
      found = record.path(older);
      if (!isAbsent(found)) return found;
    }
    return record.path(kebabName);
  }

  /** A text (or number) field, trimmed, when present and not blank. */
  Optional<String> text(String kebabName) {
    JsonNode value = node(kebabName);
    if (!value.isValueNode() || value.isNull()) {
      return Optional.empty();
    }
    String text = value.asText().strip();
    return text.isEmpty() ? Optional.empty() : Optional.of(text);
  }

  /** A yes/no field: JSON true, or the text "true" some exports write. */
  boolean flag(String kebabName) {
    JsonNode value = node(kebabName);
    return value.isBoolean() ? value.booleanValue() : value.isTextual() && value.asText().strip().equalsIgnoreCase("true");
  }

  /** A number field (or a number written as text), when present and finite. */
  Optional<Double> number(String kebabName) {
    JsonNode value = node(kebabName);
    if (value.isNumber()) return Optional.of(value.doubleValue()).filter(Double::isFinite);
    return text(kebabName).flatMap(text -> {
      try {
        return Optional.of(Double.parseDouble(text)).filter(Double::isFinite);
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    });
  }

  /** A nested record, such as a session's {@code track} object. */
  Optional<RecordFields> object(String kebabName) {
    JsonNode value = node(kebabName);
    return value.isObject() ? Optional.of(new RecordFields(value)) : Optional.empty();
  }

  /** A nested list of records, such as a session's {@code speakers}. */
  List<RecordFields> objects(String kebabName) {
    JsonNode value = node(kebabName);
    if (!value.isArray()) return List.of();
    return java.util.stream.StreamSupport.stream(value.spliterator(), false)
        .map(RecordFields::new)
        .toList();
  }

  /**
   * The record's id, when it is safe to use in a file name. Ids become page names
   * ({@code sessions/2797.html}), so anything but letters, digits, '-' and '_' is refused.
   */
  Optional<String> id() {
    return text("id").filter(id -> SAFE_ID.matcher(id).matches());
  }

  /** What the record calls itself in a problem line: its id, or its raw id text. */
  String describeId() {
    JsonNode id = record.path("id");
    return isAbsent(id) ? "(no id)" : id.asText();
  }

  private static boolean isAbsent(JsonNode node) {
    return node.isMissingNode() || node.isNull();
  }
}
