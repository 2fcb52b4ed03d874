package dev.buildcast.socketio;

/** The seven Socket.IO v5 packet types, with their wire digit. */
enum PacketType {
  CONNECT,
  DISCONNECT,
  EVENT,
  ACK,
  CONNECT_ERROR,
  BINARY_EVENT,
  BINARY_ACK;

  private static final PacketType[] BY_CODE = values();

  /** The digit that starts an encoded packet. */
  char code() {
    return (char) ('0' + ordinal());
  }

  /** Whether binary attachments follow the header. */
  boolean isBinary() {
    return this == BINARY_EVENT || this == BINARY_ACK;
  }

  /** The type of a wire digit, or {@code null} for anything else. */
  static PacketType ofCode(char c) {
    int i = c - '0';
    return i >= 0 && i < BY_CODE.length ? BY_CODE[i] : null;
  }
}
