package dev.buildcast.socketio.engine;

import java.nio.ByteBuffer;

/**
 * One packet waiting in a session's outbound queue: a message (framed by its shared, cached
 * {@link EngineMessage}) or a small control packet (open, ping, pong, noop, close).
 */
final class OutboundPacket {
  static final OutboundPacket PING = control("2");
  static final OutboundPacket NOOP = control("6");
  static final OutboundPacket CLOSE = control("1");
  static final OutboundPacket PONG_PROBE = control("3probe");

  private final EngineMessage message;
  private final String control;
  private final byte[] controlBytes;

  private OutboundPacket(EngineMessage message, String control) {
    this.message = message;
    this.control = control;
    this.controlBytes = control == null ? null : EngineMessage.utf8(control);
  }

  static OutboundPacket message(EngineMessage message) {
    return new OutboundPacket(message, null);
  }

  /** A control packet whose encoded form is {@code text} (type digit first). */
  static OutboundPacket control(String text) {
    return new OutboundPacket(null, text);
  }

  boolean isMessage() {
    return message != null;
  }

  /** Bytes counted against the queue bound; control packets are tiny and not counted. */
  long queuedSize() {
    return message == null ? 0 : message.size();
  }

  /** The UTF-8 segment of a long-polling payload. Shared: do not change it. */
  byte[] pollingBytes() {
    return message != null ? message.pollingBytes() : controlBytes;
  }

  /** The message; null for a control packet. */
  EngineMessage message() {
    return message;
  }

  boolean isBinaryFrame() {
    return message != null && message.isBinary();
  }

  /** A fresh view of the WebSocket frame payload, safe to hand to one write. */
  ByteBuffer webSocketPayload() {
    return message != null ? message.webSocketPayload().slice() : ByteBuffer.wrap(controlBytes).asReadOnlyBuffer();
  }

  @Override
  public String toString() {
    return message != null ? message.toString() : "control[" + control + "]";
  }
}
