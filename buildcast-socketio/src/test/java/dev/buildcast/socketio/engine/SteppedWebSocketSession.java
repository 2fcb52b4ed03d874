package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;

/**
 * A session opened over a WebSocket whose writers, write completions and clock a test steps by
 * hand; the handshake is written and completed.
 */
record SteppedWebSocketSession(JettyEngineServer server, WebSocketTransport ws, EngineSession session) {

  static SteppedWebSocketSession open(SteppedWriters writers, RecordingCoreSession core, LongSupplier nanoClock)
      throws InterruptedException {
    BlockingQueue<EngineSocket> sockets = new LinkedBlockingQueue<>();
    JettyEngineServer server = new JettyEngineServer(new Server(), EngineConfig.defaults(), writers, nanoClock);
    server.onConnection(sockets::add);
    WebSocketTransport ws = new WebSocketTransport(server, null, new HandshakeInfo(Map.of(), Map.of(), null));
    ws.onOpen(core, Callback.NOOP);
    EngineSession session = (EngineSession) sockets.poll(60, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(60)).until(session::listenerCallsIdle);
    writers.runAll();
    core.completeWrite();
    assertThat(core.writes()).hasSize(1); // the handshake
    return new SteppedWebSocketSession(server, ws, session);
  }
}
