package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HandshakeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private EngineFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = new EngineFixture(EngineConfig.defaults().withPath(EngineFixture.PATH)); // why: these tests pin the defaults
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  @Test
  void handshake_pollingGet_returnsOpenPacketWithConfiguredFields() throws Exception {
    HttpResponse<String> r = fx.get("EIO=4&transport=polling");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; charset=UTF-8");
    assertThat(r.body()).startsWith("0");
    JsonNode open = JSON.readTree(r.body().substring(1));
    assertThat(open.get("sid").asText()).matches("[A-Za-z0-9_-]{24}");
    assertThat(open.get("upgrades").toString()).isEqualTo("[\"websocket\"]");
    assertThat(open.get("pingInterval").asLong()).isEqualTo(25_000);
    assertThat(open.get("pingTimeout").asLong()).isEqualTo(20_000);
    assertThat(open.get("maxPayload").asLong()).isEqualTo(1_000_000);
  }

  @Test
  void handshake_pollingGet_firesConnectionWithRequestDetails() throws Exception {
    String sid = fx.handshake();
    EngineSocket socket = fx.nextSocket();

    assertThat(socket.id()).isEqualTo(sid);
    assertThat(socket.transport()).isEqualTo("polling");
    assertThat(socket.query()).containsEntry("EIO", "4").containsEntry("transport", "polling");
    assertThat(socket.headers()).containsKey("host");
    assertThat(socket.remoteAddress()).isNotNull();
    assertThat(socket.isOpen()).isTrue();
    assertThat(fx.engine.sessionCount()).isEqualTo(1);
  }

  @Test
  void handshake_directWebSocket_sendsOpenPacketWithoutUpgrades() throws Exception {
    WsPeer peer = fx.connectWs("EIO=4&transport=websocket");

    String open = peer.nextText();
    assertThat(open).startsWith("0");
    JsonNode json = JSON.readTree(open.substring(1));
    assertThat(json.get("upgrades").size()).isZero();
    assertThat(json.get("maxPayload").asLong()).isEqualTo(1_000_000);
    EngineSocket socket = fx.nextSocket();
    assertThat(socket.id()).isEqualTo(json.get("sid").asText());
    assertThat(socket.transport()).isEqualTo("websocket");
  }

  @Test
  void handshake_manySessions_idsAreDistinct() throws Exception {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 200; i++) ids.add(fx.handshake());
    assertThat(ids).hasSize(200);
  }

  @Test
  void request_otherPath_goesToNextHandler() throws Exception {
    // the fixture has no next handler, so Jetty answers 404
    var r = fx.http.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + fx.port + "/other")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(404);
  }
}
