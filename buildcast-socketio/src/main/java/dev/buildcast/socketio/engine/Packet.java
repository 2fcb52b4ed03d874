package dev.buildcast.socketio.engine;

/**
 * One Engine.IO packet received from a client, already decoded from its transport framing.
 *
 * @param type the packet type digit ('1' close … '6' noop); binary messages have type '4'
 * @param data the text after the type digit ("" when none); for messages see {@code message}
 * @param message the payload of a message packet (type '4'), else {@code null}
 */
record Packet(char type, String data, EngineMessage message) {
  static final char OPEN = '0';
  static final char CLOSE = '1';
  static final char PING = '2';
  static final char PONG = '3';
  static final char MESSAGE = '4';
  static final char UPGRADE = '5';
  static final char NOOP = '6';

  boolean isProbe() {
    return "probe".equals(data);
  }
}
