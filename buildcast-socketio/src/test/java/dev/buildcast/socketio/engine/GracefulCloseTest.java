package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A close asked for by the application delivers what was queued before it, whatever the transport
 * is doing at that moment, and never keeps a session (or its queue) alive for long when the
 * client does not come for it.
 */
class GracefulCloseTest {
  private EngineFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  @Test
  void polling_closedBetweenPolls_nextPollsGetQueuedPacketsThenCloseAlone() throws Exception {
    fx = new EngineFixture();
    String sid = fx.handshake();
    EngineSocket socket = fx.nextSocket();
    socket.send(List.of(EngineMessage.text("last words")));
    socket.close("done");

    assertThat(socket.isOpen()).as("closed for the application at once").isFalse();
    assertThat(socket.send(EngineMessage.text("too late"))).isFalse();
    assertThat(fx.closeReason(socket).get()).isEqualTo("done");
    assertThat(fx.get("EIO=4&transport=polling&sid=" + sid).body()).isEqualTo("4last words");
    // alone: the JS client would act on a close before the packets sharing its payload
    assertThat(fx.get("EIO=4&transport=polling&sid=" + sid).body()).isEqualTo("1");
    assertThat(fx.engine.sessionCount()).isZero();
    assertThat(fx.get("EIO=4&transport=polling&sid=" + sid).statusCode()).isEqualTo(400);
  }

  @Test
  void polling_closedWhileAPollWaits_pollGetsCloseAtOnce() throws Exception {
    fx = new EngineFixture();
    String sid = fx.handshake();
    EngineSocket socket = fx.nextSocket();
    var pending = fx.http.sendAsync(
        java.net.http.HttpRequest.newBuilder(fx.uri("EIO=4&transport=polling&sid=" + sid)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(60)).until(() -> ((EngineSession) socket).polling().hasPendingPoll());

    socket.close("done");

    assertThat(pending.get().body()).isEqualTo("1");
    assertThat(fx.engine.sessionCount()).isZero();
  }

  @Test
  void polling_clientNeverPollsAgain_sessionGoneAfterPingTimeout() throws Exception {
    fx = new EngineFixture(EngineFixture.config().withPingTimeout(Duration.ofSeconds(3)));
    fx.handshake();
    EngineSocket socket = fx.nextSocket();
    socket.send(EngineMessage.text("never read"));
    socket.close("done");

    assertThat(fx.engine.sessionCount()).as("waits for the client's next poll").isEqualTo(1);
    await().atMost(Duration.ofSeconds(60)).until(() -> fx.engine.sessionCount() == 0);
  }

  @Test
  void upgrade_closedAfterProbe_queuedPacketsAndCloseGoOverTheNewWebSocket() throws Exception {
    fx = new EngineFixture();
    String sid = fx.handshake();
    EngineSocket socket = fx.nextSocket();
    WsPeer ws = fx.connectWs("EIO=4&transport=websocket&sid=" + sid);
    ws.send("2probe");
    assertThat(ws.nextText()).isEqualTo("3probe");

    socket.send(EngineMessage.text("bye"));
    socket.close("done");
    assertThat(fx.closeReason(socket).get()).isEqualTo("done");
    // the client finishes its upgrade as it would: the close waited for it
    ws.send("5");

    assertThat(ws.nextText()).isEqualTo("4bye");
    assertThat(ws.awaitClose()).isTrue();
    assertThat(fx.engine.sessionCount()).isZero();
  }

  @Test
  void websocket_clientStoppedReading_closeGivesUpAfterPingTimeout() throws Exception {
    fx = new EngineFixture(EngineFixture.config().withPingTimeout(Duration.ofSeconds(3)));
    WsPeer ws = fx.connectWs("EIO=4&transport=websocket", new WsPeer(true));
    EngineSocket socket = fx.nextSocket();
    assertThat(ws.session).isNotNull();
    // more than the socket buffers hold, so the writes stall
    String big = "x".repeat(512 * 1024);
    for (int i = 0; i < 12; i++) assertThat(socket.send(EngineMessage.text(big))).isTrue();
    socket.close("done");

    assertThat(fx.engine.sessionCount()).isZero();
    assertThat(fx.openConnections()).isEqualTo(1);
    // cut off after the 3 s ping timeout, not left to Jetty's idle timeout (ping interval + ping
    // timeout + 5 s = 33 s here): the bound lies between the two
    await().atMost(Duration.ofSeconds(20)).until(() -> fx.openConnections() == 0);
  }
}
