package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebSocketTransportTest {
  private EngineFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = new EngineFixture();
    fx.engine.onConnection(s -> {
      s.onMessage(s::send); // echo
      fx.sockets.add(s);
    });
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  @Test
  void websocket_textMessage_echoedAsTextFrame() throws Exception {
    WsPeer peer = fx.connectWs("EIO=4&transport=websocket");
    peer.nextText();

    peer.send("4héllo €");

    assertThat(peer.nextText()).isEqualTo("4héllo €");
  }

  @Test
  void websocket_binaryMessage_echoedAsRawBinaryFrame() throws Exception {
    WsPeer peer = fx.connectWs("EIO=4&transport=websocket");
    peer.nextText();

    peer.sendBinary(new byte[] {1, 2, 3, 4});

    assertThat((byte[]) peer.next()).containsExactly(1, 2, 3, 4);
  }

  @Test
  void websocket_manyMessages_arriveInOrder() throws Exception {
    WsPeer peer = fx.connectWs("EIO=4&transport=websocket");
    peer.nextText();
    EngineSocket socket = fx.nextSocket();

    for (int i = 0; i < 1000; i++) assertThat(socket.send(EngineMessage.text("m" + i))).isTrue();

    for (int i = 0; i < 1000; i++) assertThat(peer.nextText()).isEqualTo("4m" + i);
    await().atMost(Duration.ofSeconds(60)).until(() -> socket.queuedBytes() == 0);
  }

  @Test
  void sharedMessage_sentToManySessions_encodedOnce() throws Exception {
    EngineMessage shared = EngineMessage.text("broadcast");
    WsPeer a = fx.connectWs("EIO=4&transport=websocket");
    WsPeer b = fx.connectWs("EIO=4&transport=websocket");
    a.nextText();
    b.nextText();
    EngineSocket sa = fx.nextSocket();
    EngineSocket sb = fx.nextSocket();

    sa.send(shared);
    sb.send(shared);

    assertThat(a.nextText()).isEqualTo("4broadcast");
    assertThat(b.nextText()).isEqualTo("4broadcast");
    // the frame payload is built once and cached on the message
    assertThat(shared.webSocketPayload()).isSameAs(shared.webSocketPayload());
    assertThat(shared.pollingBytes()).isSameAs(shared.pollingBytes());
  }

  @Test
  void websocket_clientCloses_sessionClosedWithTransportClose() throws Exception {
    WsPeer peer = fx.connectWs("EIO=4&transport=websocket");
    peer.nextText();
    EngineSocket socket = fx.nextSocket();
    CompletableFuture<String> reason = new CompletableFuture<>();
    socket.onClose(reason::complete);

    peer.session.close();

    assertThat(reason.get(60, TimeUnit.SECONDS)).isEqualTo("transport close");
    await().atMost(Duration.ofSeconds(60)).until(() -> fx.engine.sessionCount() == 0);
  }

  @Test
  void websocket_closePacket_sessionClosedAndSocketClosed() throws Exception {
    WsPeer peer = fx.connectWs("EIO=4&transport=websocket");
    peer.nextText();
    EngineSocket socket = fx.nextSocket();

    peer.send("1");

    assertThat(peer.awaitClose()).isTrue();
    assertThat(socket.isOpen()).isFalse();
  }

  @Test
  void serverClose_graceful_queuedMessagesFlushedBeforeClose() throws Exception {
    WsPeer peer = fx.connectWs("EIO=4&transport=websocket");
    peer.nextText();
    EngineSocket socket = fx.nextSocket();

    socket.send(List.of(EngineMessage.text("last1"), EngineMessage.text("last2")));
    socket.close("bye");

    assertThat(peer.nextText()).isEqualTo("4last1");
    assertThat(peer.nextText()).isEqualTo("4last2");
    assertThat(peer.awaitClose()).isTrue();
  }
}
