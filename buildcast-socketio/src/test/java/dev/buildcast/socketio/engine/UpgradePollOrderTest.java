package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A GET that a client sends after its WebSocket opened, and that the server handles before the
 * socket's "2probe" and "5" (Jetty reads the two connections on different threads), is held past
 * the probe and refused at the upgrade as a poll after it; a poll held from before the WebSocket
 * still ends at the probe. The engine's timer and clock are the test's.
 */
class UpgradePollOrderTest {
  private static final long HOLD_MILLIS = EngineSession.HOLD_POLL_DURING_UPGRADE.toMillis();
  private final ManualTimer timer = new ManualTimer();
  private EngineFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = new EngineFixture(EngineFixture.config(), timer);
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  private CompletableFuture<HttpResponse<String>> pollAsync(String sid) {
    return fx.http.sendAsync(HttpRequest.newBuilder(fx.uri("EIO=4&transport=polling&sid=" + sid)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void awaitHeld(EngineSession session) {
    await().atMost(Duration.ofSeconds(60)).until(session.polling()::hasPendingPoll);
  }

  /** A session probing its WebSocket, with the GET its client sent once that socket was open held. */
  private record Probing(EngineSession session, WsPeer ws, CompletableFuture<HttpResponse<String>> poll) {}

  /** The suite's U2 order: socket open, a GET handled before "2probe", then the probe and its pong. */
  private Probing probeWithAPollSentAfterTheSocketOpened() throws Exception {
    String sid = fx.handshake();
    EngineSession session = (EngineSession) fx.nextSocket();
    WsPeer ws = fx.connectWs("EIO=4&transport=websocket&sid=" + sid);
    CompletableFuture<HttpResponse<String>> poll = pollAsync(sid);
    awaitHeld(session);
    ws.send("2probe");
    assertThat(ws.nextText()).isEqualTo("3probe");
    return new Probing(session, ws, poll);
  }

  /** A GET held, then a WebSocket opens and probes: the probe ends the GET with a noop at once. */
  private void assertProbeEndsAPollHeldBeforeItsSocket(String sid, EngineSession session) throws Exception {
    CompletableFuture<HttpResponse<String>> poll = pollAsync(sid);
    awaitHeld(session);
    WsPeer ws = fx.connectWs("EIO=4&transport=websocket&sid=" + sid);
    ws.send("2probe");
    assertThat(ws.nextText()).isEqualTo("3probe");
    // the timer never moves: nothing but the probe can end this poll
    HttpResponse<String> ended = poll.get(60, TimeUnit.SECONDS);
    assertThat(ended.statusCode()).isEqualTo(200);
    assertThat(ended.body()).isEqualTo("6");
  }

  @Test
  void pollSentAfterWebSocketOpened_upgradeComesWithinHold_pollRefused() throws Exception {
    Probing p = probeWithAPollSentAfterTheSocketOpened();

    p.ws().send("5");

    assertThat(p.poll().get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(400);
    await().atMost(Duration.ofSeconds(60)).until(() -> p.session().transport().equals("websocket"));
    p.session().send(EngineMessage.text("over ws"));
    assertThat(p.ws().nextText()).isEqualTo("4over ws");
  }

  @Test
  void pollSentAfterWebSocketOpened_noUpgradeWithinHold_endsWithNoopAndUpgradeGoesOn() throws Exception {
    Probing p = probeWithAPollSentAfterTheSocketOpened();

    timer.advance(HOLD_MILLIS - 1);
    assertThat(p.session().polling().hasPendingPoll()).isTrue();
    timer.advance(1);

    HttpResponse<String> ended = p.poll().get(60, TimeUnit.SECONDS);
    assertThat(ended.statusCode()).isEqualTo(200);
    assertThat(ended.body()).isEqualTo("6");
    p.ws().send("5");
    await().atMost(Duration.ofSeconds(60)).until(() -> p.session().transport().equals("websocket"));
  }

  @Test
  void pollHandledAfterTheUpgradeWasAcceptedButBeforeTheSocketOpened_countsAsSentDuringIt() throws Exception {
    String sid = fx.handshake();
    EngineSession session = (EngineSession) fx.nextSocket();
    // what Jetty's negotiation does before the 101 leaves; the socket opens (and attaches) after
    session.onUpgradeRequested();
    CompletableFuture<HttpResponse<String>> poll = pollAsync(sid);
    awaitHeld(session);
    WsPeer ws = fx.connectWs("EIO=4&transport=websocket&sid=" + sid);
    ws.send("2probe");
    assertThat(ws.nextText()).isEqualTo("3probe");

    ws.send("5");

    assertThat(poll.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(400);
  }

  @Test
  void upgradeAcceptedButSocketNeverOpened_stopsCountingAfterTheUpgradeTimeout() throws Exception {
    String sid = fx.handshake();
    EngineSession session = (EngineSession) fx.nextSocket();
    session.onUpgradeRequested(); // accepted, then its client went away before the socket opened
    timer.advance(EngineFixture.config().upgradeTimeout().toMillis());

    assertProbeEndsAPollHeldBeforeItsSocket(sid, session);
  }

  @Test
  void pollHeldBeforeWebSocketRequested_endsWithNoopAtProbe() throws Exception {
    String sid = fx.handshake();
    EngineSession session = (EngineSession) fx.nextSocket();

    assertProbeEndsAPollHeldBeforeItsSocket(sid, session);
  }
}
