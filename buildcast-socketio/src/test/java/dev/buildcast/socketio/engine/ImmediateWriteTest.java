package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How a WebSocket session's writer batches: never by waiting. The writers' executor and the
 * socket's write completions are stepped by hand, so each test sees one exact interleaving; no
 * clock is involved, and nothing here may depend on one.
 */
class ImmediateWriteTest {
  private final SteppedWriters writers = new SteppedWriters();
  private final RecordingCoreSession core = new RecordingCoreSession();
  private final BlockingQueue<EngineSocket> sockets = new LinkedBlockingQueue<>();
  private JettyEngineServer server;
  private WebSocketTransport ws;
  private EngineSocket socket;

  @BeforeEach
  void open() throws Exception {
    server = new JettyEngineServer(new Server(), EngineConfig.defaults(), writers);
    server.onConnection(sockets::add);
    ws = new WebSocketTransport(server, null, new HandshakeInfo(Map.of(), Map.of(), null));
    ws.onOpen(core, Callback.NOOP);
    socket = sockets.poll(10, TimeUnit.SECONDS);
    // why: the connection listener hands the socket over from inside the session's listener run;
    // a frame read before that run has ended would (rightly) be queued behind it, not run here
    EngineSession session = (EngineSession) socket;
    await().atMost(Duration.ofSeconds(60)).until(session::listenerCallsIdle);
    writers.runAll();
    assertThat(core.writes()).hasSize(1); // the handshake
    core.completeWrite();
  }

  @AfterEach
  void close() {
    server.close();
  }

  private static List<String> messages(String... texts) {
    return java.util.Arrays.stream(texts).map(t -> "4" + t).toList();
  }

  @Test
  void send_onAnIdleSocket_handsTheWriterOverAtOnce_andWritesThePacketAlone() {
    socket.send(EngineMessage.text("a"));

    assertThat(writers.queuedCount()).isEqualTo(1);
    writers.runAll();
    assertThat(core.writes()).hasSize(2);
    assertThat(core.writes().get(1)).isEqualTo(messages("a"));
  }

  @Test
  void sends_whileTheWriterWaitsForItsThread_leaveInOneWrite() {
    socket.send(EngineMessage.text("a"));
    socket.send(EngineMessage.text("b"));
    socket.send(EngineMessage.text("c"));

    assertThat(writers.queuedCount()).isEqualTo(1);
    writers.runAll();
    assertThat(core.writes().get(1)).isEqualTo(messages("a", "b", "c"));
  }

  @Test
  void sends_whileAWriteIsInFlight_leaveTogetherAsSoonAsItCompletes() {
    socket.send(EngineMessage.text("a"));
    writers.runAll();

    socket.send(EngineMessage.text("b"));
    socket.send(EngineMessage.text("c"));
    writers.runAll();
    assertThat(core.writes()).hasSize(2); // "a" still in flight: nothing more is written

    core.completeWrite();

    // no wait and no further hand-over: the completion itself writes what queued meanwhile
    assertThat(writers.queuedCount()).isZero();
    assertThat(core.writes()).hasSize(3);
    assertThat(core.writes().get(2)).isEqualTo(messages("b", "c"));
  }

  @Test
  void send_rightAfterAWriteCompleted_isWrittenWithoutWaiting() {
    socket.send(EngineMessage.text("a"));
    writers.runAll();
    core.completeWrite();

    socket.send(EngineMessage.text("b"));

    assertThat(writers.queuedCount()).isEqualTo(1);
    writers.runAll();
    assertThat(core.writes().get(2)).isEqualTo(messages("b"));
    assertThat(socket.queuedBytes()).isPositive(); // leaves the queue once written
    core.completeWrite();
    assertThat(socket.queuedBytes()).isZero();
  }

  @Test
  void sends_fromATaskRunAroundWritesAfterTask_areWrittenOnItsThreadOnceItEnds_withoutAHandOver() {
    List<Integer> writesDuringTheTask = new java.util.ArrayList<>();
    WritesAfterTask.around(() -> {
      socket.send(EngineMessage.text("a"));
      socket.send(EngineMessage.text("b"));
      writesDuringTheTask.add(core.writes().size());
    }).run();

    assertThat(writesDuringTheTask).containsExactly(1); // only the handshake: nothing written under the task's locks
    assertThat(writers.queuedCount()).isZero();
    assertThat(core.writes()).hasSize(2);
    assertThat(core.writes().get(1)).isEqualTo(messages("a", "b"));
  }

  @Test
  void send_fromATaskRunAroundWritesAfterTask_toASocketWithAWriteInFlight_isHandedOverAsUsual() {
    socket.send(EngineMessage.text("a"));
    writers.runAll();

    WritesAfterTask.around(() -> socket.send(EngineMessage.text("b"))).run();

    // a socket with a backlog keeps its writer on the engine's writers
    assertThat(writers.queuedCount()).isEqualTo(1);
    writers.runAll();
    assertThat(core.writes()).hasSize(2); // "a" still in flight
    core.completeWrite();
    assertThat(core.writes().get(2)).isEqualTo(messages("b"));
  }

  @Test
  void send_fromAnotherThread_whileATaskHoldsBackItsWrite_isHandedOverAsUsual() {
    WritesAfterTask.around(() -> {
      socket.send(EngineMessage.text("a"));
      Thread other = Thread.ofPlatform().start(() -> socket.send(EngineMessage.text("b")));
      try {
        other.join();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      // why it matters: a socket whose write waits for another thread's task must not wait on it
      // for what others send (a heartbeat's ping), however long that task's other writes take
      assertThat(writers.queuedCount()).isEqualTo(1);
    }).run();

    assertThat(core.writes().get(1)).isEqualTo(messages("a", "b")); // the task's write took both
    writers.runAll(); // the handed-over run finds the write in flight
    core.completeWrite();
    assertThat(core.writes()).hasSize(2);
  }

  @Test
  void send_afterATaskRunAroundWritesAfterTask_isHandedOverAsBefore() {
    WritesAfterTask.around(() -> { }).run();

    socket.send(EngineMessage.text("a"));

    assertThat(writers.queuedCount()).isEqualTo(1);
    writers.runAll();
    assertThat(core.writes().get(1)).isEqualTo(messages("a"));
  }

  @Test
  void reply_fromAListenerCall_isWrittenOnThatThread_withoutAHandOver() {
    socket.onMessage(message -> socket.send(EngineMessage.text("re:" + message.text())));

    ws.onFrame(new Frame(OpCode.TEXT).setPayload(StandardCharsets.UTF_8.encode("4ping")), Callback.NOOP);

    // the listener runs on the engine's own (real) listener thread; only its write is looked at
    await().atMost(Duration.ofSeconds(60)).until(() -> core.writes().size() == 2);
    assertThat(core.writes().get(1)).isEqualTo(messages("re:ping"));
    assertThat(writers.queuedCount()).isZero();
  }

  @Test
  void message_readOnAVirtualThread_runsItsListenerOnThatThread_andTheReplyIsWrittenThere() throws Exception {
    List<Thread> listenerThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
    socket.onMessage(message -> {
      listenerThreads.add(Thread.currentThread());
      socket.send(EngineMessage.text("re:" + message.text()));
    });

    Thread reader = Thread.ofVirtual().start(() ->
        ws.onFrame(new Frame(OpCode.TEXT).setPayload(StandardCharsets.UTF_8.encode("4ping")), Callback.NOOP));
    reader.join();

    // joined: the listener ran and the reply was written before onFrame returned
    assertThat(listenerThreads).containsExactly(reader);
    assertThat(core.writes()).hasSize(2);
    assertThat(core.writes().get(1)).isEqualTo(messages("re:ping"));
    assertThat(writers.queuedCount()).isZero();
  }
}
