package dev.buildcast.socket;

import dev.buildcast.BuildcastException;
import dev.buildcast.protocol.ErrorPayload;
import dev.buildcast.socketio.Ack;
import dev.buildcast.socketio.SocketIoSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a failed socket request becomes {@code {error: {code, message}}}: on the
 * acknowledgement when the client asked for one, else as an {@code error} event.
 */
final class SocketErrors {

  private static final Logger log = LoggerFactory.getLogger(SocketErrors.class);

  private SocketErrors() {}

  static void reply(SocketIoSocket socket, Ack ack, String event, Throwable failure) {
    ErrorPayload payload;
    if (failure instanceof BuildcastException e) {
      payload = ErrorPayload.of(e);
    } else {
      log.error("{} - handling '{}' failed", socket.namespace().name(), event, failure);
      payload = ErrorPayload.of("internal", "The server failed to handle '" + event + "'; it was logged.");
    }
    if (ack.requested()) {
      ack.send(payload);
    } else {
      socket.emit(SocketEvents.ERROR, payload);
    }
  }
}
