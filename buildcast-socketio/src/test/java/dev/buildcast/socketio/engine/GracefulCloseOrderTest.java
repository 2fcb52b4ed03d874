package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * On a WebSocket, a graceful close ends the socket only after every packet queued before it is
 * written, wherever the writer is when the close comes: idle, mid-write, handed to its thread but
 * not started, or just made active by an upgrade. This is what {@code disconnect(true)} relies on:
 * its DISCONNECT must reach the client before the close, or the client takes the close for a lost
 * connection ("transport close") and reconnects. Issue 13: NodeClientIT's goodbye scenario failed
 * that way when a writer, in two looks, found the queue empty just before the DISCONNECT was
 * queued and the close request just after; it now takes both in one look ({@link
 * EngineSession#nextWrite}).
 *
 * <p>The writers' executor and the socket's write completions are stepped by hand, so each test is
 * one exact interleaving of the steps the session takes under its lock: queue a packet, close,
 * and the writer's look at the queue.
 */
class GracefulCloseOrderTest {
  private final SteppedWriters writers = new SteppedWriters();
  private final RecordingCoreSession core = new RecordingCoreSession();
  private JettyEngineServer server;
  private EngineFixture fx;
  private WebSocketTransport ws;

  @AfterEach
  void stop() {
    if (server != null) server.close();
    if (fx != null) fx.close();
  }

  /** A WebSocket-only session on {@link #core}, its handshake written. */
  private EngineSocket openWebSocketSession() throws InterruptedException {
    BlockingQueue<EngineSocket> sockets = new LinkedBlockingQueue<>();
    server = new JettyEngineServer(new Server(), EngineConfig.defaults(), writers);
    server.onConnection(sockets::add);
    ws = new WebSocketTransport(server, null, new HandshakeInfo(Map.of(), Map.of(), null));
    ws.onOpen(core, Callback.NOOP);
    EngineSocket socket = sockets.poll(60, TimeUnit.SECONDS);
    writers.runAll();
    core.completeWrite();
    assertThat(core.writes()).hasSize(1); // the handshake
    return socket;
  }

  /** A polling session (opened over HTTP) with a WebSocket on {@link #core} as its probe. */
  private void probeOfPollingSession() throws Exception {
    fx = new EngineFixture(EngineFixture.config(), writers);
    String sid = fx.handshake();
    ws = new WebSocketTransport((JettyEngineServer) fx.engine, sid, new HandshakeInfo(Map.of(), Map.of(), null));
    ws.onOpen(core, Callback.NOOP);
    assertThat(core.close()).as("the probe was accepted").isEmpty();
  }

  private void receive(String text) {
    ws.onFrame(new Frame(OpCode.TEXT).setPayload(StandardCharsets.UTF_8.encode(text)), Callback.NOOP);
  }

  /** Completes writes until the socket is closed (at most {@code max}), as a reading client would. */
  private void completeWrites(int max) {
    for (int i = 0; i < max && core.close().isEmpty(); i++) core.completeWrite();
  }

  /** The close came after the write holding {@code lastPacket}, and nothing was written after it. */
  private void assertClosedRightAfter(String lastPacket) {
    assertThat(core.close()).as("the socket was closed").isPresent();
    List<List<String>> writes = core.writes();
    RecordingCoreSession.Close close = core.close().orElseThrow();
    assertThat(close.reason()).isEqualTo("done");
    assertThat(close.afterWrites()).as("writes before the close").isEqualTo(writes.size());
    assertThat(writes.get(writes.size() - 1)).last().isEqualTo(lastPacket);
  }

  @Test
  void close_whileTheWriterIsIdle_writesTheLastPacketThenCloses() throws Exception {
    EngineSocket socket = openWebSocketSession();

    socket.send(EngineMessage.text("bye"));
    socket.close("done");
    assertThat(core.close()).as("not before the packet is written").isEmpty();
    writers.runAll();
    completeWrites(5);

    assertClosedRightAfter("4bye");
  }

  @Test
  void close_whileAWriteIsInFlight_closesOnlyAfterThePacketQueuedSince() throws Exception {
    EngineSocket socket = openWebSocketSession();
    socket.send(EngineMessage.text("before"));
    writers.runAll(); // "before" is in flight

    socket.send(EngineMessage.text("bye"));
    socket.close("done");
    core.completeWrite();
    assertThat(core.close()).as("\"bye\" is written now, the close waits for it").isEmpty();
    completeWrites(5);

    assertClosedRightAfter("4bye");
    assertThat(core.writes().subList(1, 3)).containsExactly(List.of("4before"), List.of("4bye"));
  }

  @Test
  void close_whileAWriterRunWaitsForItsThread_thatRunFindsNothingToCloseEarly() throws Exception {
    EngineSocket socket = openWebSocketSession();
    ((EngineSession) socket).flush(); // a writer run handed over with nothing queued, not started yet

    socket.send(EngineMessage.text("bye"));
    socket.close("done");
    writers.runAll(); // the run handed over before the close runs after it
    completeWrites(5);

    assertClosedRightAfter("4bye");
  }

  @Test
  void nextWrite_afterAGracefulClose_givesTheQueuedPacketUntilItIsWritten_thenTheClose() throws Exception {
    EngineSession session = (EngineSession) openWebSocketSession();
    session.send(EngineMessage.text("bye"));

    session.close("done");

    // the close started the write of "bye"; it leaves the queue only once written
    EngineSession.NextWrite whileQueued = session.nextWrite(10, 1 << 20);
    assertThat(whileQueued.packets()).hasSize(1);
    assertThat(whileQueued.closeReason()).as("never the close while a packet is queued").isNull();
    completeWrites(5);
    EngineSession.NextWrite afterwards = session.nextWrite(10, 1 << 20);
    assertThat(afterwards.packets()).isEmpty();
    assertThat(afterwards.closeReason()).isEqualTo("done");
  }

  @Test
  void sendAndClose_fromAListener_lastPacketWrittenOnItsThread_thenClose() throws Exception {
    EngineSocket socket = openWebSocketSession();
    CountDownLatch handled = new CountDownLatch(1);
    // what disconnect(true) does in an event handler: the DISCONNECT, then the close
    socket.onMessage(message -> {
      socket.send(EngineMessage.text("bye"));
      socket.close("done");
      handled.countDown();
    });

    Thread reader = Thread.ofVirtual().start(() -> receive("4goodbye"));
    reader.join();
    assertThat(handled.await(60, TimeUnit.SECONDS)).isTrue();
    assertThat(writers.queuedCount()).as("a listener writes on its own thread").isZero();
    completeWrites(5);

    assertClosedRightAfter("4bye");
  }

  @Test
  void close_inTheMiddleOfAnUpgrade_packetGoesOverTheNewWebSocketThenClose() throws Exception {
    probeOfPollingSession();
    EngineSocket socket = fx.nextSocket();
    receive("2probe");

    socket.send(EngineMessage.text("bye"));
    socket.close("done");
    receive("5");
    writers.runAll();
    completeWrites(5);

    assertThat(core.writes().get(0)).containsExactly("3probe");
    assertClosedRightAfter("4bye");
  }

  @Test
  void close_rightAfterAnUpgrade_whileItsWriterRunWaitsForItsThread_packetThenClose() throws Exception {
    probeOfPollingSession();
    EngineSocket socket = fx.nextSocket();
    receive("2probe");
    receive("5"); // the upgrade hands a writer run over; it has not started

    socket.send(EngineMessage.text("bye"));
    socket.close("done");
    writers.runAll();
    completeWrites(5);

    assertThat(core.writes().get(0)).containsExactly("3probe");
    assertClosedRightAfter("4bye");
  }
}
