package dev.buildcast.socketio.engine;

import java.util.function.Consumer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;

/**
 * The Engine.IO v4 server: long-polling and WebSocket transports, the upgrade between them,
 * heartbeats, and the bounded outbound queue of every session.
 *
 * <p>Usage: create it for a Jetty {@link Server}, put {@link #handler(Handler)} in the server's handler
 * tree (it answers requests under {@link EngineConfig#path()} and passes every other request to
 * the next handler), register {@link #onConnection}, start the Jetty server.
 */
public interface EngineServer extends AutoCloseable {

  static EngineServer create(Server jetty, EngineConfig config) {
    return new JettyEngineServer(jetty, config);
  }

  /**
   * A Jetty handler that serves the engine's path and delegates everything else to {@code next}
   * (which may be {@code null}: then other paths get 404).
   */
  Handler handler(Handler next);

  /**
   * Called once per new session, on the session's listener executor (never a Jetty I/O thread),
   * before any other listener call of that session; whatever it sends is delivered after the
   * handshake.
   */
  void onConnection(Consumer<EngineSocket> listener);

  /** Number of open sessions. */
  int sessionCount();

  EngineConfig config();

  /** Closes every session ("server shutting down"); also done when the Jetty server stops. */
  @Override
  void close();
}
