package dev.buildcast.socketio;

/**
 * The answer to an event a client sent. Every {@link EventHandler} gets one, whether or not the
 * client asked for an acknowledgement, so handlers need no null checks.
 *
 * <p>Thread-safe; may be kept and answered later from any thread. Only the first {@link #send} of an
 * acknowledgement that was {@linkplain #requested() requested} sends anything.
 */
public interface Ack {

  /** Whether the client asked for an acknowledgement (sent an ack id with the event). */
  boolean requested();

  /**
   * Sends the acknowledgement with these arguments ({@code byte[]} anywhere in them is sent as a
   * binary attachment). Acknowledgements are never dropped by the {@link SlowClientPolicy}: they are
   * queued if the queue has room.
   *
   * @return {@code true} if queued; {@code false} if none was requested, one was already sent, the
   *     socket is disconnected or the client's queue is full
   */
  boolean send(Object... args);
}
