package dev.buildcast.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConnectTimeoutTest extends FakeEngineFixture {

  @BeforeEach
  void setUp() {
    start(SocketIoConfig.defaults().withConnectTimeout(Duration.ofSeconds(1)));
  }

  @Test
  void noConnectWithinTimeout_closesConnection() {
    FakeEngineSocket c = engine.connect();
    await().atMost(Duration.ofSeconds(60)).until(() -> !c.isOpen());
    assertThat(c.closedWith).isEqualTo("connect timeout");
  }

  @Test
  void connectWithinTimeout_connectionStays() {
    FakeEngineSocket c = connected("/");
    FakeEngineSocket idle = engine.connect();
    await().atMost(Duration.ofSeconds(60)).until(() -> !idle.isOpen());
    assertThat(c.isOpen()).isTrue();
  }
}
