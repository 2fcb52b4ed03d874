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

  /** A ping answered after {@code roundTrip}, before anything was sent. */
  private void answeredAfter(Duration roundTrip) {
    pace.pingSent(false);
    advance(roundTrip);
    pace.pongReceived();
  }

  @Test
  void aClientNotYetMeasured_orThatAnsweredQuickly_isNotBoundByBytes() {
    pace.sent(ClientPace.MAX_UNANSWERED_BYTES * 3);
    assertThat(pace.allowance()).isEqualTo(Long.MAX_VALUE);

    answeredAfter(ClientPace.SLOW_ROUND_TRIP.minusNanos(1));
    pace.sent(ClientPace.MAX_UNANSWERED_BYTES * 3);

    assertThat(pace.allowance()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void aSlowClient_getsTheWholeWindow_onceEverythingIsAnswered_howeverLongAgo() {
    answeredAfter(ClientPace.SLOW_ROUND_TRIP);
    advance(Duration.ofMinutes(5));

    assertThat(pace.allowance()).isEqualTo(ClientPace.MAX_UNANSWERED_BYTES);
  }

  @Test
  void aSlowClient_usesUpItsAllowance_withBytesSentAfterTheLastAnsweredPing_andItsPongGivesThemBack() {
    answeredAfter(ClientPace.SLOW_ROUND_TRIP);
    long unanswered = ClientPace.MAX_UNANSWERED_BYTES - ClientPace.MIN_ALLOWANCE;
    pace.sent(unanswered - 10);
    pace.pingSent(false);
    assertThat(pace.allowance()).isEqualTo(ClientPace.MIN_ALLOWANCE + 10);
    pace.sent(10);
    assertThat(pace.allowance()).isEqualTo(ClientPace.MIN_ALLOWANCE);
    pace.sent(1);
    assertThat(pace.allowance()).as("less than is worth a write").isZero();

    advance(ClientPace.SLOW_ROUND_TRIP);
    pace.pongReceived();

    assertThat(pace.allowance()).as("the 11 bytes after the ping are still unanswered").isEqualTo(ClientPace.MAX_UNANSWERED_BYTES - 11);
  }

  @Test
  void aSlowClientThatAnswersQuicklyAgain_isNoLongerBoundByBytes() {
    answeredAfter(ClientPace.SLOW_ROUND_TRIP);
    pace.sent(ClientPace.MAX_UNANSWERED_BYTES);
    assertThat(pace.allowance()).isZero();

    answeredAfter(Duration.ofMillis(10));
    pace.sent(ClientPace.MAX_UNANSWERED_BYTES * 3);

    assertThat(pace.allowance()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void aSlowClientSentMoreThanTheWindow_isAllowedNothing_notLessThanNothing() {
    answeredAfter(ClientPace.SLOW_ROUND_TRIP);
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
  void probe_isNotDueWhileAnotherIsUnanswered_heartbeatsAside() {
    pace.sent(ClientPace.PROBE_EVERY_BYTES);
    pace.pingSent(false);
    pace.pingSent(true);
    pace.sent(ClientPace.PROBE_EVERY_BYTES * 10);
    assertThat(pace.probeDue()).isFalse();

    pace.pongReceived();

    assertThat(pace.probeDue()).as("only the heartbeat's ping is out").isTrue();
  }

  @Test
  void aSlowClient_isProbedAfterEachWrite_howeverManyAreOut() {
    answeredAfter(ClientPace.SLOW_ROUND_TRIP);
    pace.sent(ClientPace.PROBE_EVERY_BYTES);
    pace.pingSent(false);
    pace.sent(ClientPace.PROBE_EVERY_BYTES);

    assertThat(pace.probeDue()).isTrue();
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

  @Test
  void summary_tellsADeadClientFromASlowOne_byItsPongsAndTheBytesItHasNotRead() {
    assertThat(pace.toString()).isEqualTo("pings unanswered 0, last round trip 0 ms, last pong never, bytes written 0 (0 after the last answered ping)");

    answeredAfter(Duration.ofMillis(300));
    pace.sent(5_000);
    pace.pingSent(true);
    advance(Duration.ofSeconds(21));

    assertThat(pace.toString()).isEqualTo(
        "pings unanswered 1 (oldest 21000 ms old), last round trip 300 ms, last pong 21000 ms ago, bytes written 5000 (5000 after the last answered ping)");
  }
}
