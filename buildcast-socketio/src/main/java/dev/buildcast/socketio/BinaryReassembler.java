package dev.buildcast.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Joins a binary packet's header with the binary Engine.IO messages that follow it, putting each
 * attachment where its {@code {"_placeholder":true,"num":n}} stands. One per client; not
 * thread-safe (the client's messages arrive one at a time).
 */
final class BinaryReassembler {
  private Packet pending;
  private final List<byte[]> buffers = new ArrayList<>();

  /**
   * Takes a decoded text packet.
   *
   * @return the packet if complete, {@code null} while its attachments are still to come
   */
  Packet onText(Packet packet) {
    if (pending != null) throw new ProtocolException("text packet while attachments were awaited");
    if (!packet.type().isBinary()) return packet;
    if (packet.attachments() == 0) return resolve(packet, List.of());
    pending = packet;
    return null;
  }

  /**
   * Takes one binary attachment.
   *
   * @return the completed packet after its last attachment, else {@code null}
   */
  Packet onBinary(byte[] data) {
    if (pending == null) throw new ProtocolException("unexpected binary message");
    buffers.add(data);
    if (buffers.size() < pending.attachments()) return null;
    Packet packet = pending;
    List<byte[]> attachments = List.copyOf(buffers);
    reset();
    return resolve(packet, attachments);
  }

  /** Forgets a partial packet (the connection is going away). */
  void reset() {
    pending = null;
    buffers.clear();
  }

  private static Packet resolve(Packet packet, List<byte[]> attachments) {
    // the payload is a freshly parsed tree owned by this packet, so it is changed in place
    replace(packet.payload(), attachments);
    return packet;
  }

  private static void replace(JsonNode node, List<byte[]> attachments) {
    if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode child = array.get(i);
        if (isPlaceholder(child)) {
          array.set(i, attachment(child, attachments));
        } else {
          replace(child, attachments);
        }
      }
    } else if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> e : object.properties()) {
        if (isPlaceholder(e.getValue())) {
          e.setValue(attachment(e.getValue(), attachments));
        } else {
          replace(e.getValue(), attachments);
        }
      }
    }
  }

  private static boolean isPlaceholder(JsonNode node) {
    return node.isObject() && node.path("_placeholder").isBoolean() && node.get("_placeholder").booleanValue();
  }

  private static BinaryNode attachment(JsonNode placeholder, List<byte[]> attachments) {
    JsonNode num = placeholder.get("num");
    if (num == null || !num.isIntegralNumber() || !num.canConvertToInt()) {
      throw new ProtocolException("illegal attachment placeholder");
    }
    int n = num.intValue();
    if (n < 0 || n >= attachments.size()) throw new ProtocolException("illegal attachment index");
    return BinaryNode.valueOf(attachments.get(n));
  }
}
