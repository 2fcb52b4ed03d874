package dev.buildcast.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import dev.buildcast.testing.ManualClock;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final RateLimiter limiter = new RateLimiter("jobs started", 3, Duration.ofMinutes(1), clock);

  @Test
  void acquire_upToTheLimit_isAllowed() {
    limiter.acquire("10.0.0.1");
    limiter.acquire("10.0.0.1");
    limiter.acquire("10.0.0.1");
  }

  @Test
  void acquire_pastTheLimit_failsWithLimitExceededAndTheWait() {
    for (int i = 0; i < 3; i++) {
      limiter.acquire("10.0.0.1");
      clock.advance(Duration.ofSeconds(10));
    }
    assertThatThrownBy(() -> limiter.acquire("10.0.0.1"))
        .isInstanceOfSatisfying(LimitExceededException.class, e -> {
          assertThat(e.code()).isEqualTo("limit_exceeded");
          assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(30));
          assertThat(e.getMessage()).isEqualTo("Too many jobs started from your address: at most 3 per minute. Try again in 30 s.");
        });
  }

  @Test
  void acquire_afterTheOldestLeftTheWindow_isAllowedAgain() {
    for (int i = 0; i < 3; i++) limiter.acquire("10.0.0.1");
    clock.advance(Duration.ofSeconds(59));
    assertThatThrownBy(() -> limiter.acquire("10.0.0.1")).isInstanceOf(LimitExceededException.class);
    clock.advance(Duration.ofSeconds(1));
    limiter.acquire("10.0.0.1");
  }

  @Test
  void acquire_refused_isNotCounted() {
    for (int i = 0; i < 3; i++) limiter.acquire("10.0.0.1");
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> limiter.acquire("10.0.0.1")).isInstanceOf(LimitExceededException.class);
    }
    clock.advance(Duration.ofMinutes(1));
    for (int i = 0; i < 3; i++) limiter.acquire("10.0.0.1");
  }

  @Test
  void acquire_otherAddresses_areCountedApart() {
    for (int i = 0; i < 3; i++) limiter.acquire("10.0.0.1");
    limiter.acquire("10.0.0.2");
    assertThat(limiter.trackedKeys()).isEqualTo(2);
  }

  @Test
  void acquire_manyIdleAddresses_areForgotten() {
    RateLimiter many = new RateLimiter("uploads", 1, Duration.ofMinutes(1), clock);
    for (int i = 0; i <= 10_001; i++) many.acquire("a" + i);
    clock.advance(Duration.ofMinutes(2));
    many.acquire("fresh");
    assertThat(many.trackedKeys()).isEqualTo(1);
  }
}
