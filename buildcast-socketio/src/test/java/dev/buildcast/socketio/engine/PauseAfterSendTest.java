package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EngineSocket#sendThenPause}: over a WebSocket, once its messages are written the session
 * writes nothing until the pause has passed on the engine's clock, then everything queued
 * meanwhile together. The writers, the socket's write completions and the clock are stepped by
 * hand.
 */
class PauseAfterSendTest {
  private static final Duration PAUSE = Duration.ofMillis(5);
  private final SteppedWebSocketSession fx = new SteppedWebSocketSession(-1_000_000_000L); // a nanoTime may be negative

  @AfterEach
  void close() {
    fx.close();
  }

  /** Writes what is handed to the writer and completes every write, as a client that reads. */
  private void writeAll() {
    fx.writers.runAll();
    for (int i = 0; i < 100; i++) fx.core.completeWrite();
  }

  private List<List<String>> writesSinceHandshake() {
    return fx.core.writes().subList(1, fx.core.writes().size());
  }

  private void advanceAndLookAgain(Duration d) {
    fx.nanos.addAndGet(d.toNanos());
    fx.ws.flush();
    writeAll();
  }

  @Test
  void messagesSentWithAPause_goAlone_andWhatFollowsWaitsForThePauseThenLeavesTogether() {
    assertThat(fx.session.sendThenPause(List.of(EngineMessage.text("0answer")), PAUSE)).isTrue();
    assertThat(fx.session.send(EngineMessage.text("2first"))).isTrue();
    assertThat(fx.session.send(EngineMessage.text("2second"))).isTrue();

    writeAll();
    assertThat(writesSinceHandshake()).containsExactly(List.of("40answer"));

    advanceAndLookAgain(PAUSE.minusNanos(1));
    assertThat(writesSinceHandshake()).hasSize(1);
    assertThat(fx.session.queuedBytes()).isPositive();

    advanceAndLookAgain(Duration.ofNanos(1));
    assertThat(writesSinceHandshake()).containsExactly(List.of("40answer"), List.of("42first", "42second"));
    assertThat(fx.session.queuedBytes()).isZero();
  }

  @Test
  void afterThePause_sendsLeaveAtOnceAgain() {
    fx.session.sendThenPause(List.of(EngineMessage.text("0answer")), PAUSE);
    writeAll();
    advanceAndLookAgain(PAUSE);

    fx.session.send(EngineMessage.text("2later"));
    writeAll();

    assertThat(writesSinceHandshake()).containsExactly(List.of("40answer"), List.of("42later"));
  }

  @Test
  void aPausedWriter_isWokenByTheEnginesTimer_withoutAnotherSend() {
    fx.session.sendThenPause(List.of(EngineMessage.text("0answer")), PAUSE);
    fx.session.send(EngineMessage.text("2next"));
    writeAll();
    fx.nanos.addAndGet(PAUSE.toNanos());

    // the timer's wake-up hands the writer over (real time: it fires PAUSE after the look above)
    await().atMost(Duration.ofSeconds(60)).until(() -> fx.writers.queuedCount() > 0);
    writeAll();

    assertThat(writesSinceHandshake()).containsExactly(List.of("40answer"), List.of("42next"));
  }
}
