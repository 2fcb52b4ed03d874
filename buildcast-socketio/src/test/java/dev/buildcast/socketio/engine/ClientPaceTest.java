package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClientPaceTest {
  private final AtomicLong nanos = new AtomicLong(1_000);
  private final ClientPace pace = new ClientPace(nanos::get);

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  void noPingOut_allowsTheWholeWindow_howeverLongAgoAnythingWasSent() {
    advance(Duration.ofMinutes(5));

    assertThat(pace.allowance()).isEqualTo(ClientPace.MAX_UNANSWERED_BYTES);
  }

  @Test
  void bytesSentAfterTheLastAnsweredPing_useUpTheAllowance_andItsPongGivesThemBack() {
    long unanswered = ClientPace.MAX_UNANSWERED_BYTES - ClientPace.MIN_ALLOWANCE;
    pace.sent(unanswered - 10);
    pace.pingSent(false);
    assertThat(pace.allowance()).isEqualTo(ClientPace.MIN_ALLOWANCE + 10);
    pace.sent(10);
    assertThat(pace.allowance()).isEqualTo(ClientPace.MIN_ALLOWANCE);
    pace.sent(1);
    assertThat(pace.allowance()).as("less than is worth a write").isZero();

    pace.pongReceived();

    assertThat(pace.allowance()).as("the 11 bytes after the ping are still unanswered").isEqualTo(ClientPace.MAX_UNANSWERED_BYTES - 11);
  }

  @Test
  void moreSentThanTheWindow_allowsNothing_notLessThanNothing() {
    pace.sent(ClientPace.MAX_UNANSWERED_BYTES * 3);

    assertThat(pace.allowance()).isZero();
  }

  @Test
  void probe_isDueOnceEnoughBytesWereSentSinceTheLastPing() {
    pace.sent(ClientPace.PROBE_EVERY_BYTES - 1);
    assertThat(pace.probeDue()).isFalse();

    pace.sent(1);
    assertThat(pace.probeDue()).isTrue();

    pace.pingSent(false);
    assertThat(pace.probeDue()).isFalse();
  }

  @Test
  void heartbeatPing_alsoRestartsTheCountToTheNextProbe() {
    pace.sent(ClientPace.PROBE_EVERY_BYTES - 1);
    pace.pingSent(true);
    pace.sent(1);

    assertThat(pace.probeDue()).isFalse();
  }

  @Test
  void unansweredPing_makesTheClientBehindOnceItIsMaxLagOld() {
    pace.pingSent(false);

    advance(ClientPace.MAX_LAG.minusNanos(1));
    assertThat(pace.allowance()).isPositive();
    advance(Duration.ofNanos(1));
    assertThat(pace.allowance()).isZero();
  }

  @Test
  void pong_answersTheOldestPing_soTheClientIsBehindUntilTheYoungerOnesAreYoungEnough() {
    pace.pingSent(false);
    advance(Duration.ofSeconds(1));
    pace.pingSent(false);
    advance(Duration.ofMillis(1500));
    assertThat(pace.allowance()).isZero();

    pace.pongReceived();

    assertThat(pace.allowance()).as("the second ping is 1.5 s old").isPositive();
    advance(Duration.ofMillis(500));
    assertThat(pace.allowance()).isZero();
    pace.pongReceived();
    assertThat(pace.allowance()).isPositive();
  }

  @Test
  void pong_tellsWhetherItAnsweredTheHeartbeat_inTheOrderThePingsWent() {
    pace.pingSent(false);
    pace.pingSent(true);
    pace.pingSent(false);

    assertThat(pace.pongReceived()).isFalse();
    assertThat(pace.pongReceived()).isTrue();
    assertThat(pace.pongReceived()).isFalse();
  }

  @Test
  void pong_withNoPingOut_isTakenAsTheHeartbeats() {
    assertThat(pace.pongReceived()).isTrue();
    assertThat(pace.allowance()).isPositive();
  }

}
