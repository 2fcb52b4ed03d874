package dev.buildcast.socketio;

/**
 * A client sent something that is not a valid Socket.IO v5 packet (or not one a client may send).
 * The server answers it by closing that client's connection, as the reference server does.
 */
final class ProtocolException extends RuntimeException {
  ProtocolException(String message) {
    super(message, null, false, false); // why: thrown per bad packet from the network; a stack trace is noise
  }

  ProtocolException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
