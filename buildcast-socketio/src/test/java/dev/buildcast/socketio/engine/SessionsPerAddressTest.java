package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionsPerAddressTest {

  private EngineFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  @Test
  void handshake_pastTheLimitForOneAddress_isRefusedWith429() throws Exception {
    fx = new EngineFixture(EngineFixture.config().withMaxSessionsPerAddress(2));
    fx.handshake();
    fx.handshake();
    HttpResponse<String> refused = fx.get("EIO=4&transport=polling");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.body()).contains("Too many connections from this address");
  }

  @Test
  void handshake_afterASessionClosed_isAdmittedAgain() throws Exception {
    fx = new EngineFixture(EngineFixture.config().withMaxSessionsPerAddress(1));
    fx.handshake();
    EngineSocket first = fx.nextSocket();
    assertThat(fx.get("EIO=4&transport=polling").statusCode()).isEqualTo(429);
    first.close("done");
    // the client's next poll collects the close packet; then the session is gone
    assertThat(fx.get("EIO=4&transport=polling&sid=" + first.id()).body()).isEqualTo("1");
    await().atMost(Duration.ofSeconds(60)).until(() -> fx.engine.sessionCount() == 0);
    assertThat(fx.get("EIO=4&transport=polling").statusCode()).isEqualTo(200);
  }

  @Test
  void webSocketHandshake_pastTheLimit_isRefusedBeforeTheUpgrade() throws Exception {
    fx = new EngineFixture(EngineFixture.config().withMaxSessionsPerAddress(1));
    fx.handshake();
    HttpResponse<String> refused = fx.get("EIO=4&transport=websocket");
    assertThat(refused.statusCode()).isEqualTo(429);
  }

  @Test
  void handshake_withoutALimit_admitsMany() throws Exception {
    fx = new EngineFixture(EngineFixture.config());
    for (int i = 0; i < 20; i++) fx.handshake();
    assertThat(fx.engine.sessionCount()).isEqualTo(20);
  }
}
