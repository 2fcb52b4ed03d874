package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EngineSocket#sendThenPause}: over a WebSocket, once its messages are written the session
 * writes nothing until the pause has passed on the engine's clock, then everything queued
 * meanwhile together. The writers, the socket's write completions and the clock are stepped by
 * hand.
 */
class PauseAfterSendTest {
  private static final Duration PAUSE = Duration.ofMillis(5);
  private final SteppedWriters writers = new SteppedWriters();
  private final RecordingCoreSession core = new RecordingCoreSession();
  private final AtomicLong nanos = new AtomicLong(-1_000_000_000L); // any start: a nanoTime may be negative
  private JettyEngineServer server;
  private WebSocketTransport ws;
  private EngineSession session;

  @BeforeEach
  void open() throws Exception {
    SteppedWebSocketSession opened = SteppedWebSocketSession.open(writers, core, nanos::get);
    server = opened.server();
    ws = opened.ws();
    session = opened.session();
  }

  @AfterEach
  void close() {
    server.close();
  }

  /** Writes what is handed to the writer and completes every write, as a client that reads. */
  private void writeAll() {
    writers.runAll();
    for (int i = 0; i < 100; i++) core.completeWrite();
  }

  private List<List<String>> writesSinceHandshake() {
    return core.writes().subList(1, core.writes().size());
  }

  private void advanceAndLookAgain(Duration d) {
    nanos.addAndGet(d.toNanos());
    ws.flush();
    writeAll();
  }

  @Test
  void messagesSentWithAPause_goAlone_andWhatFollowsWaitsForThePauseThenLeavesTogether() {
    assertThat(session.sendThenPause(List.of(EngineMessage.text("0answer")), PAUSE)).isTrue();
    assertThat(session.send(EngineMessage.text("2first"))).isTrue();
    assertThat(session.send(EngineMessage.text("2second"))).isTrue();

    writeAll();
    assertThat(writesSinceHandshake()).containsExactly(List.of("40answer"));

    advanceAndLookAgain(PAUSE.minusNanos(1));
    assertThat(writesSinceHandshake()).hasSize(1);
    assertThat(session.queuedBytes()).isPositive();

    advanceAndLookAgain(Duration.ofNanos(1));
    assertThat(writesSinceHandshake()).containsExactly(List.of("40answer"), List.of("42first", "42second"));
    assertThat(session.queuedBytes()).isZero();
  }

  @Test
  void afterThePause_sendsLeaveAtOnceAgain() {
    session.sendThenPause(List.of(EngineMessage.text("0answer")), PAUSE);
    writeAll();
    advanceAndLookAgain(PAUSE);

    session.send(EngineMessage.text("2later"));
    writeAll();

    assertThat(writesSinceHandshake()).containsExactly(List.of("40answer"), List.of("42later"));
  }

  @Test
  void aPausedWriter_isWokenByTheEnginesTimer_withoutAnotherSend() {
    session.sendThenPause(List.of(EngineMessage.text("0answer")), PAUSE);
    session.send(EngineMessage.text("2next"));
    writeAll();
    nanos.addAndGet(PAUSE.toNanos());

    // the timer's wake-up hands the writer over (real time: it fires PAUSE after the look above)
    await().atMost(Duration.ofSeconds(60)).until(() -> writers.queuedCount() > 0);
    writeAll();

    assertThat(writesSinceHandshake()).containsExactly(List.of("40answer"), List.of("42next"));
  }
}
