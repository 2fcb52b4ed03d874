package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UpgradeTest {
  private EngineFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = new EngineFixture();
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  private CompletableFuture<HttpResponse<String>> pollAsync(String sid) {
    return fx.http.sendAsync(HttpRequest.newBuilder(fx.uri("EIO=4&transport=polling&sid=" + sid)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void upgrade_probeThenUpgrade_pendingPollGetsNoopAndTransportSwitches() throws Exception {
    String sid = fx.handshake();
    EngineSocket socket = fx.nextSocket();
    CompletableFuture<HttpResponse<String>> pending = pollAsync(sid);
    await().atMost(Duration.ofSeconds(60)).until(() -> ((EngineSession) socket).polling().hasPendingPoll());
    WsPeer ws = fx.connectWs("EIO=4&transport=websocket&sid=" + sid);

    ws.send("2probe");

    assertThat(ws.nextText()).isEqualTo("3probe");
    assertThat(pending.get(60, TimeUnit.SECONDS).body()).isEqualTo("6");
    ws.send("5");
    await().atMost(Duration.ofSeconds(60)).until(() -> socket.transport().equals("websocket"));
    socket.send(EngineMessage.text("over ws"));
    assertThat(ws.nextText()).isEqualTo("4over ws");
    // polling is over for this session
    assertThat(fx.get("EIO=4&transport=polling&sid=" + sid).statusCode()).isEqualTo(400);
  }

  @Test
  void upgrade_messagesQueuedDuringUpgrade_flowOverWebSocketAfterUpgrade() throws Exception {
    String sid = fx.handshake();
    EngineSocket socket = fx.nextSocket();
    WsPeer ws = fx.connectWs("EIO=4&transport=websocket&sid=" + sid);
    ws.send("2probe");
    assertThat(ws.nextText()).isEqualTo("3probe");

    socket.send(List.of(EngineMessage.text("a"), EngineMessage.text("b")));
    // a GET during the upgrade only gets a noop: the queued messages wait for the new transport
    assertThat(fx.get("EIO=4&transport=polling&sid=" + sid).body()).isEqualTo("6");
    ws.send("5");

    assertThat(ws.nextText()).isEqualTo("4a");
    assertThat(ws.nextText()).isEqualTo("4b");
  }

  @Test
  void upgrade_steadyStreamDuringUpgrade_noLossDuplicateOrReorder() throws Exception {
    String sid = fx.handshake();
    EngineSocket socket = fx.nextSocket();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger sent = new AtomicInteger();
    Thread sender = Thread.ofPlatform().start(() -> {
      while (!stop.get()) {
        if (socket.send(EngineMessage.text("m" + sent.get()))) sent.incrementAndGet();
        LockSupport.parkNanos(50_000); // a steady stream, not a burst
      }
    });
    List<String> received = new ArrayList<>();

    // long-polling until a good part of the stream went that way
    while (received.size() < 200) received.addAll(messages(fx.get("EIO=4&transport=polling&sid=" + sid).body()));
    // the client pauses polling while it probes: one GET is in flight and ends with the probe
    CompletableFuture<HttpResponse<String>> lastPoll = pollAsync(sid);
    WsPeer ws = fx.connectWs("EIO=4&transport=websocket&sid=" + sid);
    ws.send("2probe");
    assertThat(ws.nextText()).isEqualTo("3probe");
    received.addAll(messages(lastPoll.get(60, TimeUnit.SECONDS).body()));
    ws.send("5");
    int afterUpgrade = received.size() + 200;
    while (received.size() < afterUpgrade) received.add(ws.nextText().substring(1));
    stop.set(true);
    sender.join();
    int total = sent.get();
    while (received.size() < total) received.add(ws.nextText().substring(1));

    List<String> expected = new ArrayList<>();
    for (int i = 0; i < total; i++) expected.add("m" + i);
    assertThat(received).containsExactlyElementsOf(expected);
  }

  /** The message payloads of a polling response (noops and pings skipped). */
  private static List<String> messages(String body) {
    List<String> out = new ArrayList<>();
    for (String p : body.split("\u001e")) if (p.startsWith("4")) out.add(p.substring(1));
    return out;
  }

  @Test
  void upgrade_noUpgradePacketWithinTimeout_probeClosedAndPollingResumes() throws Exception {
    fx.close();
    fx = new EngineFixture(EngineFixture.config().withUpgradeTimeout(Duration.ofSeconds(3)));
    String sid = fx.handshake();
    EngineSocket socket = fx.nextSocket();
    WsPeer ws = fx.connectWs("EIO=4&transport=websocket&sid=" + sid);
    ws.send("2probe");
    assertThat(ws.nextText()).isEqualTo("3probe");

    assertThat(ws.awaitClose()).isTrue();
    assertThat(socket.isOpen()).isTrue();
    assertThat(socket.transport()).isEqualTo("polling");
    socket.send(EngineMessage.text("still polling"));
    assertThat(fx.get("EIO=4&transport=polling&sid=" + sid).body()).isEqualTo("4still polling");
  }

  @Test
  void upgrade_secondWebSocketForSameSession_closed() throws Exception {
    String sid = fx.handshake();
    EngineSocket socket = fx.nextSocket();
    WsPeer first = fx.connectWs("EIO=4&transport=websocket&sid=" + sid);
    first.send("2probe");
    assertThat(first.nextText()).isEqualTo("3probe");
    first.send("5");
    await().atMost(Duration.ofSeconds(60)).until(() -> socket.transport().equals("websocket"));

    WsPeer second = fx.connectWs("EIO=4&transport=websocket&sid=" + sid);

    assertThat(second.awaitClose()).isTrue();
    socket.send(EngineMessage.text("first still works"));
    assertThat(first.nextText()).isEqualTo("4first still works");
  }

  @Test
  void upgrade_unknownSid_refused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> fx.connectWs("EIO=4&transport=websocket&sid=nope"))
        .isInstanceOf(java.util.concurrent.ExecutionException.class);
  }
}
