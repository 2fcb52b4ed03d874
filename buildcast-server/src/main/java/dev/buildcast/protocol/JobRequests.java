package dev.buildcast.protocol;

import dev.buildcast.BuildcastException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.job.InvalidRequestException;
import dev.buildcast.job.JobRequest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a {@link JobRequest} from the JSON of a {@code generate} event or a {@code POST /api/jobs}
 * body, checking every field's type and saying which one is wrong.
 */
public final class JobRequests {

  private JobRequests() {}

  public static JsonNode parseBody(byte[] body) {
    try {
      JsonNode node = Json.MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) throw InvalidRequestException.badRequest("The body is empty; send a JSON object {generator, params?, uploadId?, secrets?}.");
      return node;
    } catch (JsonProcessingException e) {
      throw InvalidRequestException.badRequest("The body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw InvalidRequestException.badRequest("The body could not be read: " + e.getMessage());
    }
  }

  public static JobRequest fromJson(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw InvalidRequestException.badRequest("Expected an object {generator, params?, uploadId?, secrets?}.");
    }
    JsonNode generator = node.get("generator");
    if (generator == null || !generator.isTextual() || generator.asText().isEmpty()) {
      throw InvalidRequestException.badRequest("'generator' is required and must be a string naming a generator.");
    }
    return new JobRequest(generator.asText(), params(node.get("params")), uploadId(node.get("uploadId")), secrets(node.get("secrets")));
  }

  /** Only strings: a secret is never a number or a flag, and no value is quoted back in the message. */
  private static Map<String, String> secrets(JsonNode secrets) {
    if (secrets == null || secrets.isNull()) return Map.of();
    if (!secrets.isObject()) throw invalidSecret("'secrets' must be an object of string values.");
    Map<String, String> result = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : secrets.properties()) {
      if (!e.getValue().isTextual()) throw invalidSecret("Secret '" + BuildcastException.excerpt(e.getKey()) + "' must be a string.");
      result.put(e.getKey(), e.getValue().asText());
    }
    return result;
  }

  private static Map<String, String> params(JsonNode params) {
    if (params == null || params.isNull()) return Map.of();
    if (!params.isObject()) throw invalidParam("'params' must be an object of string values.");
    Map<String, String> result = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : params.properties()) {
      JsonNode value = e.getValue();
      if (!value.isTextual() && !value.isNumber() && !value.isBoolean()) {
        throw invalidParam("Parameter '" + BuildcastException.excerpt(e.getKey()) + "' must be a string.");
      }
      result.put(e.getKey(), value.asText());
    }
    return result;
  }

  private static Optional<String> uploadId(JsonNode uploadId) {
    if (uploadId == null || uploadId.isNull()) return Optional.empty();
    if (!uploadId.isTextual()) throw InvalidRequestException.badRequest("'uploadId' must be a string.");
    return Optional.of(uploadId.asText());
  }

  private static InvalidRequestException invalidSecret(String message) {
    return new InvalidRequestException("invalid_secret", message);
  }

  private static InvalidRequestException invalidParam(String message) {
    return new InvalidRequestException("invalid_param", message);
  }
}
