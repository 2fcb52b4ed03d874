package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bound on what all sessions' outbound queues hold together. The sessions' WebSocket writes
 * complete only when a test says so (and their writers run only when it steps them), so what a
 * queue holds does not depend on how fast this machine's sockets drain.
 */
class ServerWideQueueBoundTest {
  private static final int CHUNK = 16 * 1024;
  private static final long SERVER_BOUND = 100_000;

  private final SteppedWriters writers = new SteppedWriters();
  private final BlockingQueue<EngineSocket> sockets = new LinkedBlockingQueue<>();
  private JettyEngineServer server;

  @BeforeEach
  void open() {
    server = new JettyEngineServer(new Server(), EngineConfig.defaults().withQueueLimits(1_000_000, 10_000, SERVER_BOUND), writers);
    server.onConnection(sockets::add);
  }

  @AfterEach
  void close() {
    server.close();
  }

  private record Connection(WebSocketTransport transport, EngineSocket socket) {}

  private Connection connect() throws InterruptedException {
    WebSocketTransport ws = new WebSocketTransport(server, null, new HandshakeInfo(Map.of(), Map.of(), null));
    ws.onOpen(new RecordingCoreSession(), Callback.NOOP);
    EngineSocket socket = sockets.poll(60, TimeUnit.SECONDS);
    assertThat(socket).isNotNull();
    await().atMost(Duration.ofSeconds(60)).until(((EngineSession) socket)::listenerCallsIdle);
    return new Connection(ws, socket);
  }

  /** Sends messages of the socket's own until one is refused; returns the last one accepted. */
  private static EngineMessage fillUntilRefused(EngineSocket socket) {
    EngineMessage last = null;
    for (int i = 0; i < 1_000; i++) {
      EngineMessage m = EngineMessage.text(Integer.toString(i % 10).repeat(CHUNK));
      if (!socket.send(m)) return last;
      last = m;
    }
    throw new AssertionError("never refused");
  }

  private static void transportDropped(Connection c) {
    c.transport().onClosed(new CloseStatus(CloseStatus.SHUTDOWN, "gone"), Callback.NOOP);
  }

  @Test
  void oneClientsOwnMessagesFillTheServerBound_anotherRefusesNewMessages_butTakesOnesAlreadyQueued_untilTheFirstLeaves() throws Exception {
    Connection full = connect();
    EngineMessage held = fillUntilRefused(full.socket());
    assertThat(full.socket().queuedBytes()).as("refused by the server's bound, far below its own").isBetween(SERVER_BOUND - CHUNK, SERVER_BOUND);
    assertThat(server.queuedMessageMemory().bytes()).isEqualTo(full.socket().queuedBytes());

    EngineSocket other = connect().socket();
    assertThat(other.send(EngineMessage.text("first"))).as("an empty queue takes its batch whatever the bound").isTrue();
    assertThat(other.send(EngineMessage.text("x".repeat(CHUNK)))).as("a new message past the server's bound").isFalse();
    assertThat(other.send(held)).as("a message another queue holds costs no more memory").isTrue();

    transportDropped(full);

    assertThat(server.queuedMessageMemory().bytes()).isEqualTo(other.queuedBytes());
    assertThat(other.send(EngineMessage.text("x".repeat(CHUNK)))).isTrue();
  }

  @Test
  void gracefulCloseLeavesTheQueueToTheSocket_whenTheSocketDrops_whatItHeldIsReleased() throws Exception {
    Connection c = connect();
    fillUntilRefused(c.socket());
    c.socket().close("done"); // graceful: the queue stays for the socket to write
    writers.runAll();
    assertThat(server.queuedMessageMemory().bytes()).isPositive();

    transportDropped(c);

    assertThat(server.queuedMessageMemory().bytes()).isZero();
  }
}
