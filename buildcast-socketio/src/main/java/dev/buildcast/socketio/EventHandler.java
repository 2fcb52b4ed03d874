package dev.buildcast.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Handles one event from a client. Runs on the session's serial thread (see the package doc): one
 * at a time per client, in arrival order, never on a Jetty I/O thread. An exception it throws is
 * logged and does not close the connection.
 */
@FunctionalInterface
public interface EventHandler {

  /**
   * Handles the event.
   *
   * @param args the event's arguments after its name, unmodifiable; binary attachments are {@link
   *     com.fasterxml.jackson.databind.node.BinaryNode}s in their place
   * @param ack the acknowledgement; never {@code null}, see {@link Ack#requested()}
   */
  void handle(List<JsonNode> args, Ack ack) throws Exception;
}
