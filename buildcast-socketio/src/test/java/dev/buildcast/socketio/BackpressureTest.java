package dev.buildcast.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackpressureTest extends FakeEngineFixture {
  private final List<SocketIoSocket> sockets = new ArrayList<>();
  private final List<String> reasons = new ArrayList<>();

  private List<FakeEngineSocket> startWith(SlowClientPolicy policy, int clients) {
    start(SocketIoConfig.defaults().withSlowClientPolicy(policy));
    io.namespace("/").onConnect(s -> {
      sockets.add(s);
      s.onDisconnect(reasons::add);
    });
    List<FakeEngineSocket> list = new ArrayList<>();
    for (int i = 0; i < clients; i++) list.add(connected("/"));
    return list;
  }

  @Test
  void emit_queueFullWithDisconnectPolicy_closesClientWithSlowClientReason() {
    FakeEngineSocket c = startWith(SlowClientPolicy.DISCONNECT, 1).get(0);
    c.limitQueue(0);
    assertThat(sockets.get(0).emit("x")).isFalse();
    assertThat(c.isOpen()).isFalse();
    assertThat(reasons).containsExactly(SlowClientPolicy.SLOW_CLIENT_REASON);
  }

  @Test
  void emit_queueFullWithDropPolicy_keepsClient() {
    FakeEngineSocket c = startWith(SlowClientPolicy.DROP, 1).get(0);
    c.limitQueue(0);
    assertThat(sockets.get(0).emit("x")).isFalse();
    assertThat(c.isOpen()).isTrue();
  }

  @Test
  void send_encodedPacketQueueFull_onlyReports() {
    FakeEngineSocket c = startWith(SlowClientPolicy.DISCONNECT, 1).get(0);
    c.limitQueue(0);
    assertThat(sockets.get(0).send(io.namespace("/").encode("x"))).isFalse();
    assertThat(c.isOpen()).isTrue();
  }

  @Test
  void disconnect_queueFull_stillSendsTheDisconnectPacket() {
    FakeEngineSocket c = startWith(SlowClientPolicy.DROP, 1).get(0);
    c.clearSent();
    c.limitQueue(0);
    sockets.get(0).disconnect();
    assertThat(c.texts()).containsExactly("1");
    assertThat(c.isOpen()).isTrue();
  }

  @Test
  void disconnectClosingConnection_queueFull_sendsDisconnectThenCloses() {
    FakeEngineSocket c = startWith(SlowClientPolicy.DROP, 1).get(0);
    c.clearSent();
    c.limitQueue(0);
    sockets.get(0).disconnect(true);
    assertThat(c.texts()).containsExactly("1");
    assertThat(c.isOpen()).isFalse();
  }

  @Test
  void send_binaryPacketPartlyFits_queuesNothing() {
    FakeEngineSocket c = startWith(SlowClientPolicy.DROP, 1).get(0);
    c.clearSent();
    c.limitQueue(1);
    assertThat(sockets.get(0).send(io.namespace("/").encode("x", new byte[] {1}))).isFalse();
    assertThat(c.sent).isEmpty();
  }

  @Test
  void broadcast_oneSlowClient_othersStillReceiveAndCountIsOne() {
    List<FakeEngineSocket> cs = startWith(SlowClientPolicy.DISCONNECT, 3);
    cs.forEach(FakeEngineSocket::clearSent);
    cs.get(1).limitQueue(0);
    assertThat(io.namespace("/").emit("tick")).isEqualTo(1);
    assertThat(cs.get(0).texts()).hasSize(1);
    assertThat(cs.get(2).texts()).hasSize(1);
    assertThat(cs.get(1).isOpen()).isFalse();
    assertThat(cs.get(1).aborted).as("the full queue is dropped, not flushed to a client that cannot keep up").isTrue();
  }

  @Test
  void connect_answerDoesNotFit_closesClientAndLeavesNoSocket() {
    startWith(SlowClientPolicy.DROP, 0);
    NamespaceGroup jobs = io.namespace(java.util.regex.Pattern.compile("^/job-[0-9]{8}$"));
    FakeEngineSocket c = engine.connect();
    c.limitQueue(0);
    c.receive("0/job-00000001,");
    assertThat(c.isOpen()).isFalse();
    assertThat(c.closedWith).isEqualTo(SlowClientPolicy.SLOW_CLIENT_REASON);
    assertThat(c.aborted).as("the full queue is dropped, not flushed to a client that cannot keep up").isTrue();
    assertThat(jobs.size()).isZero();
    assertThat(sockets).isEmpty();
  }

  @Test
  void drain_afterRefusal_notifiesDrainListeners() {
    FakeEngineSocket c = startWith(SlowClientPolicy.DROP, 1).get(0);
    AtomicInteger drained = new AtomicInteger();
    sockets.get(0).onDrain(drained::incrementAndGet);
    c.limitQueue(0);
    sockets.get(0).emit("x");
    c.drain();
    assertThat(drained).hasValue(1);
    assertThat(sockets.get(0).emit("x")).isTrue();
  }

  @Test
  void emitWithAck_queueFull_futureFailsAndNoAckIsLeft() {
    FakeEngineSocket c = startWith(SlowClientPolicy.DROP, 1).get(0);
    c.limitQueue(0);
    var f = sockets.get(0).emitWithAck(java.time.Duration.ofSeconds(10), "x");
    assertThat(f).isCompletedExceptionally();
    assertThat(sockets.get(0).pendingAcks()).isZero();
  }
}
