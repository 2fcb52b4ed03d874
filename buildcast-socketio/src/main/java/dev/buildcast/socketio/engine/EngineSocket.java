package dev.buildcast.socketio.engine;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One Engine.IO v4 session, as seen by the layer above (Socket.IO). The transport (long-polling,
 * WebSocket, or the upgrade between them) is hidden: the caller sends messages and receives them.
 *
 * <p>Threading: every method may be called from any thread. Listeners are invoked one at a time
 * per session, in arrival order, never on a Jetty I/O thread (the engine hands them to a serial
 * executor per session), so a slow listener delays only its own session.
 *
 * <p>Backpressure: the outbound queue of a session is bounded (see {@link EngineConfig}). {@link
 * #send} never blocks; it returns {@code false} when the message would not fit, and the caller
 * decides what to do (skip, switch to catch-up, or {@link #close}). {@link #onDrain} tells when
 * the queue has room again after a refusal.
 */
public interface EngineSocket {

  /** The session id ({@code sid}) given in the handshake. */
  String id();

  /** {@code "polling"} or {@code "websocket"}; changes once on upgrade. */
  String transport();

  /** The query parameters of the handshake request (first value of each). */
  Map<String, String> query();

  /** The headers of the handshake request (lower-case names, first value of each). */
  Map<String, String> headers();

  /** The remote address of the handshake request. */
  SocketAddress remoteAddress();

  /**
   * Queues messages for the client, all or none, in order.
   *
   * @return {@code true} if queued; {@code false} if the outbound queue has no room for them (then
   *     nothing was queued) or the session is closed
   */
  boolean send(List<EngineMessage> messages);

  /**
   * Queues a few small messages that end something (a namespace's DISCONNECT) even when the queue
   * is full: they go after what is queued, past the queue's bound, so a client that fell behind
   * still learns that the server ended it instead of waiting for packets that never come.
   *
   * @return {@code false} only if the session is closed or closing
   */
  boolean sendEvenIfFull(List<EngineMessage> messages);

  /**
   * Queues messages as {@link #send(List)} does; over a WebSocket, once they are written the
   * session writes nothing more for {@code pause}, and what is queued meanwhile leaves together
   * after it. For an answer that a client may have to act on before it reads the next frame (a
   * namespace's CONNECT answer): then the two do not reach it in one read. Over long-polling the
   * same as {@code send}.
   */
  boolean sendThenPause(List<EngineMessage> messages, Duration pause);

  /** Queues one message. See {@link #send(List)}. */
  default boolean send(EngineMessage message) {
    return send(List.of(message));
  }

  /** Bytes currently queued for the client and not yet written to its transport. */
  long queuedBytes();

  /** Sets the listener for messages from the client (one per session; replaces the previous). */
  void onMessage(Consumer<EngineMessage> listener);

  /** Sets the listener called once when the session closes, with the reason (e.g. "ping timeout"). */
  void onClose(Consumer<String> listener);

  /** Sets the listener called when the outbound queue has room again after a refused send. */
  void onDrain(Runnable listener);

  /**
   * Closes the session with the given reason, after writing what is already queued (and a close
   * packet where the transport allows). A client that does not take them within the ping timeout
   * is cut off.
   */
  void close(String reason);

  /**
   * Closes the session at once, dropping what is queued: for a client that cannot keep up, whose
   * queue would otherwise stay in memory until it reads it.
   */
  void abort(String reason);

  boolean isOpen();
}
