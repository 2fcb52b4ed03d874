package dev.buildcast.socket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.buildcast.upload.CompletedUpload;
import dev.buildcast.upload.UploadException;
import dev.buildcast.upload.UploadProgress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reading upload event fields with errors that name the field; the payloads the server sends. */
final class UploadPayloads {

  private UploadPayloads() {}

  static JsonNode object(List<JsonNode> args, String event, String shape) {
    JsonNode node = args.isEmpty() ? NullNode.getInstance() : args.getFirst();
    if (!node.isObject()) throw badRequest("'" + event + "' expects an object " + shape + ".");
    return node;
  }

  static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw badRequest("'" + field + "' is required and must be a non-empty string.");
    }
    return value.asText();
  }

  static Optional<String> optionalText(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) return Optional.empty();
    if (!value.isTextual()) throw badRequest("'" + field + "' must be a string.");
    return Optional.of(value.asText());
  }

  static long whole(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.canConvertToExactIntegral() || !value.canConvertToLong() || value.asLong() < 0) {
      throw badRequest("'" + field + "' is required and must be a whole number, 0 or more.");
    }
    return value.asLong();
  }

  static Map<String, Object> progress(UploadProgress p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uploadId", p.uploadId());
    m.put("bytesReceived", p.bytesReceived());
    m.put("size", p.size());
    m.put("percentage", p.percentage());
    return m;
  }

  static Map<String, Object> complete(CompletedUpload c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uploadId", c.uploadId());
    m.put("name", c.name());
    m.put("size", c.size());
    m.put("sha256", c.sha256());
    return m;
  }

  static UploadException badRequest(String message) {
    return new UploadException("bad_request", message);
  }
}
