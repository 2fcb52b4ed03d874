package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BackpressureTest {
  private EngineFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = new EngineFixture(EngineFixture.config().withQueueLimits(100_000, 4, Long.MAX_VALUE));
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  @Test
  void send_queueFullByCount_refusedAllOrNothing() throws Exception {
    fx.handshake();
    EngineSocket socket = fx.nextSocket();

    assertThat(socket.send(List.of(EngineMessage.text("a"), EngineMessage.text("b"), EngineMessage.text("c")))).isTrue();
    assertThat(socket.send(List.of(EngineMessage.text("d"), EngineMessage.text("e")))).isFalse();
    assertThat(socket.queuedBytes()).isEqualTo(3);
    assertThat(socket.send(EngineMessage.text("d"))).isTrue();
    assertThat(socket.send(EngineMessage.text("e"))).isFalse();
  }

  @Test
  void send_queueFullByBytes_refused() throws Exception {
    fx.handshake();
    EngineSocket socket = fx.nextSocket();

    assertThat(socket.send(EngineMessage.text("x".repeat(90_000)))).isTrue();
    assertThat(socket.send(EngineMessage.text("y".repeat(10_001)))).isFalse();
    assertThat(socket.send(EngineMessage.text("y".repeat(10_000)))).isTrue();
  }

  @Test
  void polling_refusedThenPolled_drainFiresAndSendWorksAgain() throws Exception {
    String sid = fx.handshake();
    EngineSocket socket = fx.nextSocket();
    CountDownLatch drained = new CountDownLatch(1);
    socket.onDrain(drained::countDown);
    for (int i = 0; i < 4; i++) socket.send(EngineMessage.text("m" + i));
    assertThat(socket.send(EngineMessage.text("refused"))).isFalse();

    assertThat(fx.get("EIO=4&transport=polling&sid=" + sid).body()).startsWith("4m0");

    assertThat(drained.await(60, TimeUnit.SECONDS)).isTrue();
    assertThat(socket.send(EngineMessage.text("accepted"))).isTrue();
  }

  @Test
  void websocket_refusedThenWritten_drainFires() throws Exception {
    // a client that stops reading: writes back up until the bounded queue refuses
    WsPeer peer = fx.connectWs("EIO=4&transport=websocket", new WsPeer(true));
    EngineSocket socket = fx.nextSocket();
    CountDownLatch drained = new CountDownLatch(1);
    socket.onDrain(drained::countDown);
    EngineMessage chunk = EngineMessage.text("z".repeat(16 * 1024));
    EngineSocket fat = socket;
    int accepted = 0;
    while (fat.send(chunk)) {
      accepted++;
      if (accepted > 100_000) throw new AssertionError("queue never filled");
    }
    assertThat(drained.getCount()).isEqualTo(1);

    peer.resume();

    assertThat(drained.await(60, TimeUnit.SECONDS)).isTrue();
    peer.nextText(); // open packet
    for (int i = 0; i < accepted; i++) assertThat(peer.nextText()).hasSize(16 * 1024 + 1);
  }

  @Test
  void send_afterClose_refused() throws Exception {
    fx.handshake();
    EngineSocket socket = fx.nextSocket();
    socket.close("done");
    assertThat(socket.send(EngineMessage.text("late"))).isFalse();
    assertThat(socket.isOpen()).isFalse();
  }
}
