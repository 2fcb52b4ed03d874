package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The heartbeat on a clock and timer the test moves (pingInterval 25 s, pingTimeout 20 s). */
class HeartbeatDeadlineTest {
  private final ManualTimer timer = new ManualTimer();
  private final AtomicInteger pings = new AtomicInteger();
  private final AtomicInteger timeouts = new AtomicInteger();
  private final Heartbeat heartbeat = new Heartbeat(timer, timer::nanoTime, Duration.ofSeconds(25), Duration.ofSeconds(20),
      pings::incrementAndGet, timeouts::incrementAndGet);

  @BeforeEach
  void start() {
    heartbeat.start();
  }

  @Test
  void noPong_closesPingTimeoutAfterThePing() {
    timer.advance(25_000);
    assertThat(pings).hasValue(1);

    timer.advance(19_999);
    assertThat(timeouts).hasValue(0);
    assertThat(heartbeat.expired()).isFalse();
    timer.advance(1);

    assertThat(timeouts).hasValue(1);
    assertThat(heartbeat.expired()).isTrue();
  }

  @Test
  void itsPong_plansTheNextPingFromThePong() {
    timer.advance(25_000);
    timer.advance(5_000);
    heartbeat.onPong();

    timer.advance(24_999);
    assertThat(pings).hasValue(1);
    timer.advance(1);
    assertThat(pings).hasValue(2);
    assertThat(timeouts).hasValue(0);
  }

  @Test
  void anotherPingsPong_whileItsOwnIsLate_keepsTheSessionForPingTimeoutFromThatPong() {
    timer.advance(25_000); // the heartbeat's ping, behind probes the client has yet to read
    timer.advance(15_000);
    heartbeat.onOtherPong(); // a probe written before it is answered: the client reads

    timer.advance(5_000); // the heartbeat's own 20 s are over
    assertThat(timeouts).hasValue(0);
    assertThat(heartbeat.expired()).isFalse();
    timer.advance(14_999);
    assertThat(timeouts).hasValue(0);
    timer.advance(1);

    assertThat(timeouts).as("20 s after the last pong of any ping").hasValue(1);
    assertThat(heartbeat.expired()).isTrue();
    assertThat(pings).as("no second heartbeat ping before the first was answered").hasValue(1);
  }

  @Test
  void anotherPingsPong_longBefore_doesNotDelayTheTimeout() {
    timer.advance(1_000);
    heartbeat.onOtherPong();
    timer.advance(24_000);

    timer.advance(20_000);

    assertThat(timeouts).hasValue(1);
  }

  @Test
  void stopped_neverTimesOut() {
    timer.advance(25_000);
    heartbeat.stop();

    timer.advance(60_000);

    assertThat(timeouts).hasValue(0);
    assertThat(heartbeat.expired()).isFalse();
  }
}
