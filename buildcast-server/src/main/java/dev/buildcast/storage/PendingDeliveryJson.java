package dev.buildcast.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.buildcast.notify.DeliveryKind;
import dev.buildcast.notify.PendingDelivery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The stored form of a {@link PendingDelivery}: one JSON object with a {@code format} number, the
 * time as ISO-8601 text. The file store and the cluster's Redis store both keep deliveries in this
 * form. A record of another format is refused, not guessed at.
 *
 * <p>Threading: immutable; safe for concurrent use.
 */
public final class PendingDeliveryJson {

  /** The version of the record's layout. */
  public static final int FORMAT = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  private PendingDeliveryJson() {}

  /** The delivery as UTF-8 JSON. */
  public static byte[] write(PendingDelivery d) {
    ObjectNode node = JSON.createObjectNode();
    node.put("format", FORMAT);
    node.put("id", d.id());
    node.put("jobId", d.jobId());
    node.put("kind", d.kind().wireName());
    node.put("target", d.target());
    node.put("jobEnded", d.jobEnded());
    node.put("failedAttempts", d.failedAttempts());
    node.put("nextAttemptAt", d.nextAttemptAt().toString());
    node.put("lastFailure", d.lastFailure());
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      // why unchecked: the record is plain values; failing to write one is a bug, not bad input
      throw new UncheckedIOException("could not write notification delivery " + d.id() + " as JSON", e);
    }
  }

  /**
   * Reads a stored delivery.
   *
   * @throws IllegalArgumentException saying what is wrong with the record (not JSON, another
   *     format, a field missing or of the wrong type, a value {@link PendingDelivery} refuses)
   */
  public static PendingDelivery read(byte[] bytes) {
    JsonNode node;
    try {
      node = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(""), e);
    }
    if (node == null || !node.isObject()) throw new IllegalArgumentException("not a JSON object");
    if (node.path("format").asInt(-1) != FORMAT) throw new IllegalArgumentException("format " + node.path("format") + ", expected " + FORMAT);
    DeliveryKind kind = DeliveryKind.ofWireName(text(node, "kind"))
        .orElseThrow(() -> new IllegalArgumentException("unknown kind '" + abbreviate(node.path("kind").asText()) + "'"));
    JsonNode ended = node.path("jobEnded");
    JsonNode attempts = node.path("failedAttempts");
    if (!ended.isBoolean()) throw new IllegalArgumentException("jobEnded is not true or false");
    if (!attempts.isInt()) throw new IllegalArgumentException("failedAttempts is not a number");
    Instant next;
    try {
      next = Instant.parse(text(node, "nextAttemptAt"));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("nextAttemptAt is not a time: " + e.getMessage(), e);
    }
    return new PendingDelivery(text(node, "id"), text(node, "jobId"), kind, text(node, "target"), ended.booleanValue(), attempts.intValue(),
        next, node.path("lastFailure").asText(""));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) throw new IllegalArgumentException(field + " is missing or not text");
    return value.asText();
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
