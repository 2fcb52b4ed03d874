package dev.buildcast.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.EngineUnavailableException;
import dev.buildcast.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The start-up wait for Redis, on a clock the pauses advance: no real time passes. */
class EngineStartupWaitTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-03T17:00:00Z"));
  private final List<Duration> pauses = new ArrayList<>();
  private final EngineStartupWait wait = new EngineStartupWait(clock, d -> {
    pauses.add(d);
    clock.advance(d);
  }, Duration.ofSeconds(30));

  @Test
  void connect_engineReachableAtOnce_answersWithoutAPause() {
    assertThat(wait.connect(() -> "wired")).isEqualTo("wired");
    assertThat(pauses).isEmpty();
  }

  @Test
  void connect_engineUnreachableTwiceThenReachable_answersTheThirdAttempt_afterGrowingPauses() {
    AtomicInteger attempts = new AtomicInteger();
    String wired = wait.connect(() -> {
      if (attempts.incrementAndGet() < 3) throw new EngineUnavailableException("Redis at 127.0.0.1:1 could not be reached");
      return "wired";
    });

    assertThat(wired).isEqualTo("wired");
    assertThat(pauses).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void connect_engineNeverReachable_throwsTheLastFailure_onceTheWaitHasPassed_withPausesCappedAtTwoSeconds() {
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(() -> wait.connect(() -> {
      throw new EngineUnavailableException("attempt " + attempts.incrementAndGet());
    })).isInstanceOf(EngineUnavailableException.class).hasMessage("attempt " + attempts.get());

    assertThat(pauses.stream().reduce(Duration.ZERO, Duration::plus)).isEqualTo(Duration.ofSeconds(30));
    assertThat(pauses).allSatisfy(p -> assertThat(p).isLessThanOrEqualTo(Duration.ofSeconds(2)));
    assertThat(pauses.subList(0, 5)).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
        Duration.ofMillis(800), Duration.ofMillis(1600));
  }

  @Test
  void connect_otherFailure_isNotRetried() {
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(() -> wait.connect(() -> {
      attempts.incrementAndGet();
      throw new IllegalStateException("maxmemory-policy allkeys-lru");
    })).isInstanceOf(IllegalStateException.class);

    assertThat(attempts).hasValue(1);
    assertThat(pauses).isEmpty();
  }
}
