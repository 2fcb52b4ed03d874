package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The session id tag: a load balancer routes each request naming a session by the tag in front of
 * its id, so every id this engine hands out must carry it, and an id of another engine (another
 * tag, or none) must be unknown here, answered as any unknown id.
 */
class SessionIdTagTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TAGGED = "n2\\.[A-Za-z0-9_-]{24}";
  private EngineFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  private void startTagged(String tag) throws Exception {
    fx = new EngineFixture(EngineFixture.config().withSessionIdTag(tag));
  }

  private static void assertUnknownSession(HttpResponse<String> r) {
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(r.body()).isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
  }

  @Test
  void handshake_pollingWithTag_sidIsTagDotAndTheUsualRandomPart() throws Exception {
    startTagged("n2");

    HttpResponse<String> r = fx.get("EIO=4&transport=polling");

    JsonNode open = JSON.readTree(r.body().substring(1));
    assertThat(open.get("sid").asText()).matches(TAGGED);
    assertThat(fx.nextSocket().id()).isEqualTo(open.get("sid").asText());
  }

  @Test
  void handshake_directWebSocketWithTag_sidIsTagged() throws Exception {
    startTagged("n2");

    WsPeer peer = fx.connectWs("EIO=4&transport=websocket");

    String sid = JSON.readTree(peer.nextText().substring(1)).get("sid").asText();
    assertThat(sid).matches(TAGGED);
    assertThat(fx.nextSocket().id()).isEqualTo(sid);
  }

  @Test
  void handshake_withoutTag_sidIsTheRandomPartAlone() throws Exception {
    fx = new EngineFixture();

    assertThat(fx.handshake()).matches("[A-Za-z0-9_-]{24}");
    assertThat(fx.engine.config().sessionIdTag()).isEmpty();
  }

  @Test
  void pollingAndUpgrade_taggedSid_workAsUntagged() throws Exception {
    startTagged("n2");
    String sid = fx.handshake();
    EngineSocket socket = fx.nextSocket();
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    socket.onMessage(m -> received.add(m.text()));

    assertThat(fx.post("EIO=4&transport=polling&sid=" + sid, "4over polling").statusCode()).isEqualTo(200);
    assertThat(received.poll(60, TimeUnit.SECONDS)).isEqualTo("over polling");
    WsPeer ws = fx.connectWs("EIO=4&transport=websocket&sid=" + sid);
    ws.send("2probe");
    assertThat(ws.nextText()).isEqualTo("3probe");
    ws.send("5");
    await().atMost(Duration.ofSeconds(60)).until(() -> socket.transport().equals("websocket"));
    socket.send(EngineMessage.text("over ws"));

    assertThat(ws.nextText()).isEqualTo("4over ws");
  }

  @Test
  void request_sidOfAnotherTagOrNoTag_isAnUnknownSession() throws Exception {
    startTagged("n2");
    String sid = fx.handshake();
    EngineSocket socket = fx.nextSocket();
    String random = sid.substring("n2.".length());

    assertUnknownSession(fx.get("EIO=4&transport=polling&sid=n3." + random));
    assertUnknownSession(fx.get("EIO=4&transport=polling&sid=" + random));
    assertUnknownSession(fx.post("EIO=4&transport=polling&sid=n3." + random, "4x"));
    assertUnknownSession(fx.get("EIO=4&transport=polling&sid=n2.AAAAAAAAAAAAAAAAAAAAAAAA"));
    assertThatThrownBy(() -> fx.connectWs("EIO=4&transport=websocket&sid=n3." + random)).isInstanceOf(ExecutionException.class);
    // the real session was not disturbed by requests naming look-alikes
    assertThat(socket.isOpen()).isTrue();
    assertThat(fx.engine.sessionCount()).isEqualTo(1);
  }

  @Test
  void request_untaggedSidOnEngineWithoutTag_taggedLookAlikeIsUnknown() throws Exception {
    fx = new EngineFixture();
    String sid = fx.handshake();

    assertUnknownSession(fx.get("EIO=4&transport=polling&sid=n2." + sid));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", "n2.", "a.b", "a_b", "n 2", "nœud", "n2/", "123456789012345678901234567890123"})
  void withSessionIdTag_invalid_failsNamingTheRule(String tag) {
    assertThatThrownBy(() -> EngineConfig.defaults().withSessionIdTag(tag))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("session id tag must be 1 to 32 letters, digits or '-', got '" + tag + "'");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"n1", "N", "7", "eu-west-1-node-03", "12345678901234567890123456789012"})
  void withSessionIdTag_valid_isKept(String tag) {
    assertThat(EngineConfig.defaults().withSessionIdTag(tag).sessionIdTag()).contains(tag);
    assertThat(EngineConfig.defaults().withSessionIdTag(tag).withPath("/x/").sessionIdTag()).contains(tag);
  }

  @Test
  void defaults_haveNoTag() {
    assertThat(EngineConfig.defaults().sessionIdTag()).isEqualTo(Optional.empty());
  }
}
