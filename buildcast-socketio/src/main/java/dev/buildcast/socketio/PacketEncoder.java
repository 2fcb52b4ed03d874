package dev.buildcast.socketio;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.buildcast.socketio.engine.EngineMessage;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes packets sent to clients. Arguments may be JSON trees, maps, lists, records or other
 * Jackson-serialisable values; every {@code byte[]} (or {@link BinaryNode}) anywhere in them becomes
 * a binary attachment: the packet turns into BINARY_EVENT/BINARY_ACK, the bytes are replaced by
 * {@code {"_placeholder":true,"num":n}} and follow the text as binary Engine.IO messages.
 * Stateless and thread-safe; the caller's objects are never changed.
 */
final class PacketEncoder {
  private final ObjectMapper mapper;
  /**
   * Writes UTF-8 directly; why combining surrogates: a character beyond the BMP then goes out as
   * its four UTF-8 bytes, as the String encoder writes it, not as two escapes.
   */
  private final JsonFactory utf8;

  PacketEncoder(ObjectMapper mapper) {
    this.mapper = mapper;
    this.utf8 = mapper.getFactory().rebuild().enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();
  }

  /** An EVENT (or BINARY_EVENT) with an optional ack id. */
  List<EngineMessage> event(String namespace, long ackId, String event, Object[] args) {
    ArrayNode payload = JsonNodeFactory.instance.arrayNode(args.length + 1);
    payload.add(event);
    for (Object arg : args) payload.add(tree(arg));
    return data(PacketType.EVENT, namespace, ackId, payload);
  }

  /** What a written event's payload is taken to need when its writer does not say. */
  static final int USUAL_WRITTEN_BYTES = 1024;

  /**
   * An EVENT without ack whose one argument {@code payload} writes as JSON, straight into the
   * message's UTF-8 (see {@link Namespace#encodeWritten}); {@code expectedBytes} sizes the buffer
   * it is written into (more is fine, it grows).
   */
  EngineMessage writtenEvent(String namespace, String event, int expectedBytes, JsonPayloadWriter payload) {
    StringBuilder head = new StringBuilder(namespace.length() + 2).append(PacketType.EVENT.code());
    appendNamespace(head, namespace);
    byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
    // the head, the array's brackets, the event name as a JSON string (escapes aside) and a comma
    int framing = headBytes.length + 2 + event.length() + 3;
    return EngineMessage.writtenText(framing + Math.max(0, expectedBytes), out -> {
      out.write(headBytes);
      try (JsonGenerator generator = utf8.createGenerator(out)) {
        generator.writeStartArray();
        generator.writeString(event);
        payload.write(generator);
        generator.writeEndArray();
      }
    });
  }

  /** An ACK (or BINARY_ACK) answering {@code ackId}. */
  List<EngineMessage> ack(String namespace, long ackId, Object[] args) {
    ArrayNode payload = JsonNodeFactory.instance.arrayNode(args.length);
    for (Object arg : args) payload.add(tree(arg));
    return data(PacketType.ACK, namespace, ackId, payload);
  }

  /** CONNECT, CONNECT_ERROR or DISCONNECT: never binary, never acknowledged. */
  EngineMessage control(PacketType type, String namespace, ObjectNode payload) {
    StringBuilder sb = new StringBuilder(64).append(type.code());
    appendNamespace(sb, namespace);
    if (payload != null) sb.append(write(payload));
    return EngineMessage.text(sb.toString());
  }

  private List<EngineMessage> data(PacketType type, String namespace, long ackId, ArrayNode payload) {
    List<byte[]> attachments = new ArrayList<>(0);
    extract(payload, attachments);
    StringBuilder sb = new StringBuilder(64);
    if (attachments.isEmpty()) {
      sb.append(type.code());
    } else {
      PacketType binary = type == PacketType.EVENT ? PacketType.BINARY_EVENT : PacketType.BINARY_ACK;
      sb.append(binary.code()).append(attachments.size()).append('-');
    }
    appendNamespace(sb, namespace);
    if (ackId != Packet.NO_ACK) sb.append(ackId);
    sb.append(write(payload));
    if (attachments.isEmpty()) return List.of(EngineMessage.text(sb.toString()));
    List<EngineMessage> messages = new ArrayList<>(attachments.size() + 1);
    messages.add(EngineMessage.text(sb.toString()));
    for (byte[] a : attachments) messages.add(EngineMessage.binary(a));
    return List.copyOf(messages);
  }

  /**
   * The argument as a tree this encoder may change. A JsonNode from the caller is copied only when
   * it holds binary nodes, which are about to be replaced by placeholders.
   */
  private JsonNode tree(Object arg) {
    if (arg == null) return NullNode.getInstance();
    if (arg instanceof JsonNode node) return hasBinary(node) ? node.deepCopy() : node;
    // why valueToTree: it turns byte[] (also inside maps, lists and records) into BinaryNode
    JsonNode node = mapper.valueToTree(arg);
    return node == null ? NullNode.getInstance() : node;
  }

  private static boolean hasBinary(JsonNode node) {
    if (node.isBinary()) return true;
    if (node.isContainerNode()) {
      for (JsonNode child : node) if (hasBinary(child)) return true;
    }
    return false;
  }

  private static void extract(JsonNode node, List<byte[]> attachments) {
    if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode child = array.get(i);
        if (child instanceof BinaryNode b) {
          array.set(i, placeholder(b, attachments));
        } else if (child.isContainerNode()) {
          extract(child, attachments);
        }
      }
    } else if (node instanceof ObjectNode object) {
      for (var e : object.properties()) {
        if (e.getValue() instanceof BinaryNode b) {
          e.setValue(placeholder(b, attachments));
        } else if (e.getValue().isContainerNode()) {
          extract(e.getValue(), attachments);
        }
      }
    }
  }

  private static ObjectNode placeholder(BinaryNode b, List<byte[]> attachments) {
    ObjectNode p = JsonNodeFactory.instance.objectNode();
    p.put("_placeholder", true);
    p.put("num", attachments.size());
    attachments.add(b.binaryValue());
    return p;
  }

  private static void appendNamespace(StringBuilder sb, String namespace) {
    if (!"/".equals(namespace)) sb.append(namespace).append(',');
  }

  private String write(JsonNode node) {
    try {
      return mapper.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
