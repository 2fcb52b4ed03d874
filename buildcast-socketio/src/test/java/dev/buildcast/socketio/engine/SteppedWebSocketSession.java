package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;

/**
 * A session opened over a WebSocket whose writers, write completions and clock a test steps by
 * hand; the handshake is written and completed. A test holds one in a field (a new one per test)
 * and closes it after.
 */
final class SteppedWebSocketSession implements AutoCloseable {
  final SteppedWriters writers = new SteppedWriters();
  final RecordingCoreSession core = new RecordingCoreSession();
  /** The engine's clock, in nanoseconds; only the test moves it. */
  final AtomicLong nanos;
  final JettyEngineServer server;
  final WebSocketTransport ws;
  final EngineSession session;

  /** @param startNanos where the engine's clock starts (any value: a nanoTime may be negative) */
  SteppedWebSocketSession(long startNanos) {
    nanos = new AtomicLong(startNanos);
    BlockingQueue<EngineSocket> sockets = new LinkedBlockingQueue<>();
    server = new JettyEngineServer(new Server(), EngineConfig.defaults(), writers, nanos::get);
    server.onConnection(sockets::add);
    ws = new WebSocketTransport(server, null, new HandshakeInfo(Map.of(), Map.of(), null));
    ws.onOpen(core, Callback.NOOP);
    try {
      session = (EngineSession) sockets.poll(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while the session opened", e);
    }
    await().atMost(Duration.ofSeconds(60)).until(session::listenerCallsIdle);
    writers.runAll();
    core.completeWrite();
    assertThat(core.writes()).hasSize(1); // the handshake
  }

  @Override
  public void close() {
    server.close();
  }
}
