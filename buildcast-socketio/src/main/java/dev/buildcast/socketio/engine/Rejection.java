package dev.buildcast.socketio.engine;

/**
 * The Engine.IO error codes a request can be refused with, answered as JSON {@code
 * {"code":N,"message":"..."}}; 403 for {@link #FORBIDDEN}, 400 otherwise (413 for a body over
 * maxPayload, which carries {@link #BAD_REQUEST}'s code).
 */
enum Rejection {
  UNKNOWN_TRANSPORT(0, "Transport unknown", 400),
  UNKNOWN_SID(1, "Session ID unknown", 400),
  BAD_HANDSHAKE_METHOD(2, "Bad handshake method", 400),
  BAD_REQUEST(3, "Bad request", 400),
  FORBIDDEN(4, "Forbidden", 403),
  UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version", 400),
  PAYLOAD_TOO_LARGE(3, "Payload too large", 413),
  /** {@link EngineConfig#maxSessionsPerAddress()} reached; Engine.IO has no code of its own for it. */
  TOO_MANY_SESSIONS(4, "Too many connections from this address; close some or try again later", 429);

  final int code;
  final String message;
  final int status;

  Rejection(int code, String message, int status) {
    this.code = code;
    this.message = message;
    this.status = status;
  }

  String json() {
    return "{\"code\":" + code + ",\"message\":\"" + message + "\"}";
  }
}
