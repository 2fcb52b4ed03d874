package dev.buildcast.socketio;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.Set;

/**
 * Decodes the text part of a packet received from a client ({@code
 * <type>[<attachments>-][<namespace>,][<ack id>][<JSON>]}) and validates it strictly: anything the
 * spec does not allow a client to send is a {@link ProtocolException}. Where the reference parser
 * (socket.io-parser 4.2) accepts more than the spec says, so does this: an event name may be a
 * number ({@code 2[1,2]}), which becomes its text as JavaScript writes it ({@code "1"}), the way
 * the reference server's event emitter keys it; a CONNECT may carry an ack id ({@code
 * 0/nsp,123}), which the reference reads and then ignores, and so is dropped here (the same for a
 * DISCONNECT's, {@code 1/nsp,5}). The reference
 * checks a payload only when there is one, and an ACK's only for being an array: so an EVENT
 * without payload ({@code 2}) is accepted with a null payload (the reference's server delivers it
 * to no handler), an ACK without payload ({@code 30}) is an ACK without arguments, and an ACK
 * without an id ({@code 3[1]}) is accepted and matches no pending acknowledgement. Attachments
 * of binary packets are put in place afterwards by {@link BinaryReassembler}. Stateless and
 * thread-safe.
 */
final class PacketDecoder {
  /** Event names the reference implementation reserves; a client may not send them. */
  static final Set<String> RESERVED_EVENTS =
      Set.of("connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener");

  // why these bounds: they are far beyond what a real client sends and keep parsing cheap
  private static final int MAX_ACK_ID_DIGITS = 15;
  private static final int MAX_ATTACHMENT_DIGITS = 6;
  private static final int MAX_NAMESPACE_LENGTH = 256;

  private final ObjectMapper mapper;
  private final int maxAttachments;

  PacketDecoder(ObjectMapper mapper, int maxAttachments) {
    this.mapper = mapper;
    this.maxAttachments = maxAttachments;
  }

  Packet decode(String s) {
    int len = s.length();
    if (len == 0) throw new ProtocolException("empty packet");
    PacketType type = PacketType.ofCode(s.charAt(0));
    if (type == null) throw new ProtocolException("unknown packet type");
    if (type == PacketType.CONNECT_ERROR) {
      throw new ProtocolException("CONNECT_ERROR is sent by servers only");
    }
    int i = 1;

    int attachments = 0;
    if (type.isBinary()) {
      int start = i;
      while (i < len && isDigit(s.charAt(i))) i++;
      if (i == start || i - start > MAX_ATTACHMENT_DIGITS || i >= len || s.charAt(i) != '-') {
        throw new ProtocolException("invalid attachment count");
      }
      attachments = Integer.parseInt(s, start, i, 10);
      if (attachments > maxAttachments) throw new ProtocolException("too many attachments");
      i++; // '-'
    }

    String namespace = "/";
    if (i < len && s.charAt(i) == '/') {
      int start = i;
      while (i < len && s.charAt(i) != ',') i++;
      if (i - start > MAX_NAMESPACE_LENGTH) throw new ProtocolException("namespace too long");
      namespace = s.substring(start, i);
      if (i < len) i++; // ','
    }

    long ackId = Packet.NO_ACK;
    if (i < len && isDigit(s.charAt(i))) {
      int start = i;
      while (i < len && isDigit(s.charAt(i))) i++;
      if (i - start > MAX_ACK_ID_DIGITS) throw new ProtocolException("invalid ack id");
      ackId = Long.parseLong(s, start, i, 10);
    }

    JsonNode payload = null;
    if (i < len) {
      try {
        payload = mapper.readTree(s.substring(i));
      } catch (JacksonException e) {
        throw new ProtocolException("invalid JSON payload", e);
      }
    }

    validate(type, ackId, payload);
    // read, then ignored, as the reference does
    if (type == PacketType.CONNECT || type == PacketType.DISCONNECT) ackId = Packet.NO_ACK;
    if ((type == PacketType.EVENT || type == PacketType.BINARY_EVENT) && payload != null && payload.get(0).isNumber()) {
      ((ArrayNode) payload).set(0, TextNode.valueOf(javaScriptText(payload.get(0))));
    }
    if ((type == PacketType.ACK || type == PacketType.BINARY_ACK) && payload == null) payload = mapper.createArrayNode();
    return new Packet(type, namespace, ackId, attachments, payload);
  }

  /**
   * A JSON number as JavaScript's {@code String(n)} writes it: integers without a fraction, the
   * shortest digits that read back as the same double, exponent form below 1e-6 and from 1e21.
   */
  static String javaScriptText(JsonNode number) {
    if (number.isIntegralNumber() && number.canConvertToLong()) return Long.toString(number.longValue());
    double d = number.doubleValue();
    if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity";
    // why Double.toString: since JDK 19 it gives the shortest digits that round-trip, as JS does
    BigDecimal shortest = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    if (shortest.signum() == 0) return "0";
    double abs = Math.abs(d);
    if (abs >= 1e-6 && abs < 1e21) return shortest.toPlainString();
    String digits = shortest.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - shortest.scale();
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return (d < 0 ? "-" : "") + mantissa + "e" + (exponent >= 0 ? "+" : "-") + Math.abs(exponent);
  }

  private static void validate(PacketType type, long ackId, JsonNode payload) {
    switch (type) {
      case CONNECT -> {
        if (payload != null && !payload.isObject()) {
          throw new ProtocolException("CONNECT payload must be an object");
        }
      }
      case DISCONNECT -> {
        if (payload != null) throw new ProtocolException("DISCONNECT carries no payload");
      }
      case EVENT, BINARY_EVENT -> {
        if (payload == null) return; // accepted as the reference does; Client delivers it to no handler
        if (!payload.isArray() || payload.isEmpty()) {
          throw new ProtocolException("EVENT payload must be a non-empty array");
        }
        JsonNode name = payload.get(0);
        if (!name.isTextual() && !name.isNumber()) {
          throw new ProtocolException("event name must be a string or a number");
        }
        if (name.isTextual() && RESERVED_EVENTS.contains(name.textValue())) {
          throw new ProtocolException("reserved event name");
        }
      }
      case ACK, BINARY_ACK -> {
        if (payload != null && !payload.isArray()) {
          throw new ProtocolException("ACK payload must be an array");
        }
      }
      case CONNECT_ERROR -> throw new AssertionError("refused above");
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
