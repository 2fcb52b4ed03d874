package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;

class LatePollsTest {
  private static final Duration WINDOW = Duration.ofSeconds(20);
  private final AtomicLong clock = new AtomicLong(1_000);
  private final LatePolls polls = new LatePolls(WINDOW, 3, clock::get);

  @Test
  void take_expected_trueOnceThenFalse() {
    polls.expect("a");

    assertThat(polls.take("a")).isTrue();
    assertThat(polls.take("a")).isFalse();
  }

  @Test
  void take_neverExpected_false() {
    polls.expect("a");

    assertThat(polls.take("b")).isFalse();
    assertThat(polls.take("a")).isTrue();
  }

  @Test
  void take_justBeforeTheWindowEnds_true() {
    polls.expect("a");
    clock.addAndGet(WINDOW.toNanos() - 1);

    assertThat(polls.take("a")).isTrue();
  }

  @Test
  void take_afterTheWindow_falseAndForgotten() {
    polls.expect("a");
    clock.addAndGet(WINDOW.toNanos());

    assertThat(polls.take("a")).isFalse();
    assertThat(polls.size()).isZero();
  }

  @Test
  void expect_full_forgetsTheNewIdUntilOldOnesExpire() {
    polls.expect("a");
    clock.addAndGet(1);
    polls.expect("b");
    polls.expect("c");

    polls.expect("d");

    assertThat(polls.size()).isEqualTo(3);
    assertThat(polls.take("d")).isFalse();
    // "a" expires first; the next id takes its place
    clock.addAndGet(WINDOW.toNanos() - 1);
    polls.expect("e");
    assertThat(polls.size()).isEqualTo(3);
    assertThat(polls.take("a")).isFalse();
    assertThat(polls.take("e")).isTrue();
  }

  @Test
  void expect_afterOthersExpired_dropsThem() {
    polls.expect("a");
    polls.expect("b");
    clock.addAndGet(WINDOW.toNanos());

    polls.expect("c");

    assertThat(polls.size()).isEqualTo(1);
  }

  @Test
  void engineServer_answersLatePollsForItsPingTimeout_onItsOwnClock() {
    AtomicLong engineClock = new AtomicLong(5_000);
    JettyEngineServer server = new JettyEngineServer(new Server(), EngineConfig.defaults(), null, engineClock::get);
    try {
      LatePolls late = server.latePolls();
      late.expect("closed-in-time");
      late.expect("closed-too-long-ago");
      engineClock.addAndGet(EngineConfig.defaults().pingTimeout().toNanos() - 1);
      assertThat(late.take("closed-in-time")).isTrue();
      engineClock.addAndGet(1);
      assertThat(late.take("closed-too-long-ago")).isFalse();
    } finally {
      server.close();
    }
  }
}
