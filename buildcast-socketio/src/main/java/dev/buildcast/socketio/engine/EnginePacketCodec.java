package dev.buildcast.socketio.engine;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Decodes what clients send (long-polling payloads, WebSocket text frames) and encodes the
 * handshake. Outbound framing of messages lives in {@link EngineMessage} (cached per message) and
 * {@link OutboundPacket}.
 */
final class EnginePacketCodec {
  /** The record separator between packets of a long-polling payload. */
  static final char SEPARATOR = '\u001e';

  private EnginePacketCodec() {}

  /** Splits a long-polling body into packets; any bad segment fails the whole payload. */
  static List<Packet> decodePayload(String body) throws MalformedPacketException {
    List<Packet> packets = new ArrayList<>();
    int start = 0;
    while (true) {
      int end = body.indexOf(SEPARATOR, start);
      packets.add(decodeSegment(end < 0 ? body.substring(start) : body.substring(start, end), true));
      if (end < 0) return packets;
      start = end + 1;
    }
  }

  /** Decodes one WebSocket text frame (binary frames are messages as they are). */
  static Packet decodeText(String frame) throws MalformedPacketException {
    return decodeSegment(frame, false);
  }

  private static Packet decodeSegment(String segment, boolean base64Allowed)
      throws MalformedPacketException {
    if (segment.isEmpty()) throw new MalformedPacketException("empty packet");
    char type = segment.charAt(0);
    if (type == 'b' && base64Allowed) {
      try {
        byte[] bytes = Base64.getDecoder().decode(withoutWhitespace(segment, 1));
        return new Packet(Packet.MESSAGE, "", EngineMessage.binary(bytes));
      } catch (IllegalArgumentException e) {
        throw new MalformedPacketException("bad base64");
      }
    }
    // why: '0' (open) only ever travels server→client, so a client sending it is as bad as garbage.
    if (type < Packet.CLOSE || type > Packet.NOOP) {
      throw new MalformedPacketException("unknown packet type");
    }
    String data = segment.substring(1);
    return new Packet(type, data, type == Packet.MESSAGE ? EngineMessage.text(data) : null);
  }

  /**
   * The text from {@code start} without ASCII whitespace. Why: some clients (the Java client,
   * through Android's Base64.DEFAULT) break base64 into 76-character lines, and the reference server
   * accepts that; any other stray character still fails the strict decoder.
   */
  private static String withoutWhitespace(String s, int start) {
    StringBuilder out = null;
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean space = c == '\r' || c == '\n' || c == ' ' || c == '\t';
      if (space && out == null) out = new StringBuilder(s.length()).append(s, start, i);
      else if (!space && out != null) out.append(c);
    }
    return out == null ? s.substring(start) : out.toString();
  }

  /** The open packet: {@code 0{"sid":…,"upgrades":[…],"pingInterval":…,"pingTimeout":…,"maxPayload":…}}. */
  static String handshake(String sid, boolean offerWebSocketUpgrade, EngineConfig config) {
    // sid is URL-safe base64, so it needs no JSON escaping.
    return "0{\"sid\":\"" + sid + "\",\"upgrades\":" + (offerWebSocketUpgrade ? "[\"websocket\"]" : "[]")
        + ",\"pingInterval\":" + config.pingInterval().toMillis()
        + ",\"pingTimeout\":" + config.pingTimeout().toMillis()
        + ",\"maxPayload\":" + config.maxPayloadBytes() + "}";
  }
}
