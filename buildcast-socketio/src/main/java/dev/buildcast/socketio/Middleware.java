package dev.buildcast.socketio;

/**
 * Decides whether a socket may join a namespace, before any connect listener sees it. Runs on the
 * session's serial thread with the socket not yet connected: its {@link SocketIoSocket#handshake()}
 * and {@link SocketIoSocket#attributes()} are usable, emitting is not.
 */
@FunctionalInterface
public interface Middleware {

  /**
   * Accepts the socket by returning; refuses it by throwing {@link ConnectRefusedException}, whose
   * message and data the client receives in a CONNECT_ERROR packet. Any other exception refuses it
   * too, with the generic message "Internal server error" (its details are logged, not sent).
   */
  void apply(SocketIoSocket socket) throws Exception;
}
