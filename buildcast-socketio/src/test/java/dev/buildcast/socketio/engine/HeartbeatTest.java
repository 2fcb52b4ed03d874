package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HeartbeatTest {
  private EngineFixture fx;

  /** Short timeout for the tests that wait for it; a generous one where the test must answer in time. */
  private void start(long pingTimeoutMillis) throws Exception {
    fx = new EngineFixture(EngineFixture.config()
        .withPingInterval(Duration.ofMillis(100))
        .withPingTimeout(Duration.ofMillis(pingTimeoutMillis)));
  }

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  @Test
  void polling_noPong_closedWithPingTimeout() throws Exception {
    start(100);
    String sid = fx.handshake();
    EngineSocket socket = fx.nextSocket();
    CompletableFuture<String> reason = fx.closeReason(socket);

    assertThat(reason.get(60, TimeUnit.SECONDS)).isEqualTo("ping timeout");
    assertThat(fx.get("EIO=4&transport=polling&sid=" + sid).statusCode()).isEqualTo(400);
    assertThat(fx.engine.sessionCount()).isZero();
  }

  @Test
  void polling_pongs_keepSessionOpenAcrossSeveralPings() throws Exception {
    start(20_000);
    String sid = fx.handshake();
    EngineSocket socket = fx.nextSocket();
    for (int i = 0; i < 4; i++) {
      assertThat(fx.get("EIO=4&transport=polling&sid=" + sid).body()).isEqualTo("2");
      assertThat(fx.post("EIO=4&transport=polling&sid=" + sid, "3").statusCode()).isEqualTo(200);
    }
    assertThat(socket.isOpen()).isTrue();
  }

  @Test
  void websocket_noPong_closedWithPingTimeout() throws Exception {
    start(100);
    WsPeer peer = fx.connectWs("EIO=4&transport=websocket");
    peer.next(); // open packet
    EngineSocket socket = fx.nextSocket();
    CompletableFuture<String> reason = fx.closeReason(socket);

    assertThat(peer.next()).isEqualTo("2");
    assertThat(reason.get(60, TimeUnit.SECONDS)).isEqualTo("ping timeout");
    assertThat(peer.awaitClose()).isTrue();
  }

  @Test
  void websocket_pongs_keepSessionOpen() throws Exception {
    start(20_000);
    WsPeer peer = fx.connectWs("EIO=4&transport=websocket");
    peer.next();
    EngineSocket socket = fx.nextSocket();
    for (int i = 0; i < 4; i++) {
      assertThat(peer.next()).isEqualTo("2");
      peer.send("3");
    }
    assertThat(socket.isOpen()).isTrue();
  }
}
