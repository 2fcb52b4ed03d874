package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A WebSocket session sends a client only what it keeps up with (see {@link ClientPace}): probe
 * pings follow the data, and once one has gone unanswered for {@link ClientPace#MAX_LAG} messages
 * wait for the client's pong, while the heartbeat's ping and control packets still go. The
 * writers, the socket's write completions and the clock are all stepped by hand.
 */
class PacedWriteTest {
  private static final int CHUNK = 16 * 1024;
  private final SteppedWebSocketSession fx = new SteppedWebSocketSession(0);

  @AfterEach
  void close() {
    fx.close();
  }

  private void advance(Duration d) {
    fx.nanos.addAndGet(d.toNanos());
  }

  private void receive(String text) {
    fx.ws.onFrame(new Frame(OpCode.TEXT).setPayload(StandardCharsets.UTF_8.encode(text)), Callback.NOOP);
  }

  /** Sends {@code n} messages of {@link #CHUNK} characters, each starting with its label. */
  private void sendChunks(String label, int n) {
    for (int i = 0; i < n; i++) {
      String head = label + i + ":";
      assertThat(fx.session.send(EngineMessage.text(head + "x".repeat(CHUNK - head.length())))).isTrue();
    }
  }

  /** The writes after the handshake, each packet shortened to its label ("4a0") or kept whole. */
  private List<List<String>> writesSinceHandshake() {
    return writesSince(1);
  }

  /** The writes from the {@code first}-th on (0 is the handshake), shortened the same way. */
  private List<List<String>> writesSince(int first) {
    List<List<String>> out = new ArrayList<>();
    for (List<String> write : fx.core.writes().subList(first, fx.core.writes().size())) {
      out.add(write.stream().map(p -> p.indexOf(':') > 0 ? p.substring(0, p.indexOf(':')) : p).toList());
    }
    return out;
  }

  /** Writes what is handed to the writer and completes every write, as a client that reads. */
  private void writeAll() {
    fx.writers.runAll();
    for (int i = 0; i < 100; i++) fx.core.completeWrite();
  }

  @Test
  void afterEnoughData_aProbePingFollowsIt() {
    sendChunks("a", 4);

    writeAll();

    assertThat(writesSinceHandshake()).containsExactly(List.of("4a0", "4a1", "4a2", "4a3", "2"));
  }

  @Test
  void aClientThatAnswers_isNeverHeldBack() {
    sendChunks("a", 4);
    writeAll();
    advance(Duration.ofMillis(50));
    receive("3");
    advance(ClientPace.MAX_LAG);

    sendChunks("b", 1);
    writeAll();

    assertThat(writesSinceHandshake()).last().isEqualTo(List.of("4b0"));
  }

  @Test
  void aClientBehindByMaxLag_isSentNoMoreMessages_untilItsPongComes() {
    sendChunks("a", 4);
    writeAll();
    advance(ClientPace.MAX_LAG);

    sendChunks("b", 2);
    writeAll();

    assertThat(writesSinceHandshake()).hasSize(1);
    assertThat(fx.session.queuedBytes()).isEqualTo(2L * CHUNK);

    receive("3");

    assertThat(fx.writers.queuedCount()).as("the pong hands the writer over again").isEqualTo(1);
    writeAll();
    assertThat(writesSinceHandshake()).last().isEqualTo(List.of("4b0", "4b1"));
    assertThat(fx.session.queuedBytes()).isZero();
  }

  /** The client answers a probe after {@link ClientPace#SLOW_ROUND_TRIP}: it is slow. */
  private void slowAnswerToAProbe() {
    sendChunks("s", 4);
    writeAll();
    advance(ClientPace.SLOW_ROUND_TRIP);
    receive("3");
  }

  @Test
  void aBurstToAFastClient_isWrittenWhole() {
    int chunks = (int) (2 * ClientPace.MAX_UNANSWERED_BYTES / CHUNK);
    sendChunks("a", chunks);

    writeAll();

    assertThat(fx.session.queuedBytes()).isZero();
    List<String> packets = writesSinceHandshake().stream().flatMap(List::stream).toList();
    assertThat(packets).hasSize(chunks + 1);
    assertThat(packets.get(WebSocketTransport.MAX_BYTES_PER_WRITE / CHUNK)).as("one probe, after the first write").isEqualTo("2");
  }

  @Test
  void aBurstToASlowClient_isWrittenUpToTheWindow_andItsPongLetsAsMuchMoreGo() {
    slowAnswerToAProbe();
    int before = fx.core.writes().size();
    int window = (int) (ClientPace.MAX_UNANSWERED_BYTES / CHUNK);
    int perWrite = WebSocketTransport.MAX_BYTES_PER_WRITE / CHUNK;
    sendChunks("a", window + perWrite + 3);

    writeAll();

    List<List<String>> writes = writesSince(before);
    assertThat(writes).hasSize(window / perWrite);
    assertThat(writes).as("a slow client is probed after each write").allSatisfy(w -> assertThat(w).hasSize(perWrite + 1).endsWith("2"));
    assertThat(fx.session.queuedBytes()).isEqualTo((perWrite + 3L) * CHUNK);

    advance(ClientPace.SLOW_ROUND_TRIP); // still slow
    receive("3"); // the first write's probe: its bytes are read
    writeAll();

    writes = writesSince(before);
    assertThat(writes).hasSize(window / perWrite + 1);
    assertThat(writes.get(writes.size() - 1)).hasSize(perWrite + 1).endsWith("2");
    assertThat(fx.session.queuedBytes()).isEqualTo(3L * CHUNK);
  }

  @Test
  void aFastClientFoundSlow_pastTheBound_isProbedAtItsNextWrite_andLetGoByThePong() {
    sendChunks("a", 4);
    writeAll();
    int pastTheBound = (int) (ClientPace.MAX_UNANSWERED_BYTES / CHUNK) + 8;
    sendChunks("b", pastTheBound); // one probe out: no other follows it, and no bound yet
    writeAll();
    assertThat(fx.session.queuedBytes()).isZero();
    advance(ClientPace.SLOW_ROUND_TRIP);
    receive("3"); // slow now, and more than the bound is unanswered

    sendChunks("c", 1);
    writeAll();

    assertThat(writesSinceHandshake()).last().isEqualTo(List.of("2"));
    receive("3");
    writeAll();
    assertThat(writesSinceHandshake()).last().isEqualTo(List.of("4c0"));
  }

  @Test
  void heartbeatPing_goesAheadOfHeldMessages() {
    sendChunks("a", 4);
    writeAll();
    advance(ClientPace.MAX_LAG);
    sendChunks("b", 1);
    writeAll();

    fx.session.sendPing(); // as the heartbeat's timer does
    writeAll();

    assertThat(writesSinceHandshake()).last().isEqualTo(List.of("2"));
    receive("3"); // the probe's: the heartbeat's ping is now the oldest out, and young
    writeAll();
    assertThat(writesSinceHandshake()).last().isEqualTo(List.of("4b0"));
  }

  @Test
  void aProbesPong_keepsTheSessionPastItsHeartbeatDeadline_forPingTimeoutFromThatPong() {
    Duration interval = EngineConfig.defaults().pingInterval();
    Duration timeout = EngineConfig.defaults().pingTimeout();
    sendChunks("a", 4);
    writeAll(); // a probe follows the data
    advance(interval.plus(timeout).minusSeconds(1));
    receive("3"); // the probe's pong, a second before the heartbeat's deadline: the client reads

    advance(Duration.ofSeconds(2));
    assertThat(fx.session.checkAlive()).isTrue();

    advance(timeout);
    assertThat(fx.session.checkAlive()).isFalse();
  }

  @Test
  void controlPacketsAheadOfHeldMessages_stillGo() {
    sendChunks("a", 4);
    writeAll();
    advance(ClientPace.MAX_LAG);

    receive("2x"); // the client's own ping: its pong is queued ahead of any message
    writeAll();

    assertThat(writesSinceHandshake()).last().isEqualTo(List.of("3x"));
  }

  @Test
  void gracefulClose_whileMessagesAreHeld_waitsForThemToBeWritten() {
    sendChunks("a", 4);
    writeAll();
    advance(ClientPace.MAX_LAG);
    sendChunks("b", 1);
    writeAll();

    fx.session.close("bye");
    writeAll();
    assertThat(fx.core.close()).as("closed with a message still held").isEmpty();

    receive("3");
    writeAll();

    assertThat(writesSinceHandshake()).last().isEqualTo(List.of("4b0"));
    assertThat(fx.core.close()).hasValueSatisfying(c -> assertThat(c.reason()).isEqualTo("bye"));
  }
}
