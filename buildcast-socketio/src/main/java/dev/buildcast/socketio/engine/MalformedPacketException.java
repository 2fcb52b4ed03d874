package dev.buildcast.socketio.engine;

/** A client sent bytes that are not an Engine.IO v4 packet; the session is closed ("parse error"). */
final class MalformedPacketException extends Exception {
  MalformedPacketException(String message) {
    super(message, null, false, false);
  }
}
