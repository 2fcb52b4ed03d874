package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.ExtensionConfig;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.junit.jupiter.api.Test;

class DeflateTest {

  private static WsPeer connectOfferingDeflate(EngineFixture fx) throws Exception {
    ClientUpgradeRequest request = new ClientUpgradeRequest(fx.wsUri("EIO=4&transport=websocket"));
    request.addExtensions("permessage-deflate");
    WsPeer peer = new WsPeer();
    fx.wsClient.connect(peer, request).get(5, TimeUnit.SECONDS);
    return peer;
  }

  @Test
  void deflateOff_clientOffersIt_notNegotiated() throws Exception {
    try (EngineFixture fx = new EngineFixture()) {
      WsPeer peer = connectOfferingDeflate(fx);
      assertThat(peer.session.getUpgradeResponse().getExtensions()).isEmpty();
    }
  }

  @Test
  void deflateOn_clientOffersIt_negotiatedAndMessagesRoundTrip() throws Exception {
    try (EngineFixture fx = new EngineFixture(EngineFixture.config().withPerMessageDeflate(true, 1024))) {
      fx.engine.onConnection(s -> s.onMessage(s::send));
      WsPeer peer = connectOfferingDeflate(fx);
      assertThat(peer.session.getUpgradeResponse().getExtensions())
          .extracting(ExtensionConfig::getName).containsExactly("permessage-deflate");
      peer.nextText();
      String big = "4" + "log line ".repeat(2000);
      peer.send(big);
      assertThat(peer.nextText()).isEqualTo(big);
    }
  }
}
