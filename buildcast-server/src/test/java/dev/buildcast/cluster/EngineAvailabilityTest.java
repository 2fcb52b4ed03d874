package dev.buildcast.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When passed leases may be judged again after an outage, on a clock the test steps. */
class EngineAvailabilityTest {

  private static final Duration LEASE = Duration.ofSeconds(10);
  private final AtomicLong nanos = new AtomicLong(1_000);
  private final EngineAvailability availability = new EngineAvailability(nanos::get);

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  void neverFailed_hasAnsweredForAnySpan() {
    availability.answered();
    assertThat(availability.hasAnsweredFor(LEASE)).isTrue();
    assertThat(availability.hasAnsweredFor(Duration.ofDays(365))).isTrue();
  }

  @Test
  void whileDown_hasNotAnswered_howeverLongItLasts() {
    availability.answered();
    availability.failed();
    advance(LEASE.multipliedBy(5));
    assertThat(availability.hasAnsweredFor(Duration.ZERO)).isFalse();
    assertThat(availability.hasAnsweredFor(LEASE)).isFalse();
  }

  @Test
  void backAfterAnOutage_answersForALeaseOnlyALeaseAfterItsFirstAnswer() {
    availability.failed();
    advance(Duration.ofSeconds(20)); // the outage
    availability.answered();
    assertThat(availability.hasAnsweredFor(Duration.ZERO)).isTrue();
    advance(LEASE.minusMillis(1));
    availability.answered();
    assertThat(availability.hasAnsweredFor(LEASE)).as("a later answer does not move the start").isFalse();
    advance(Duration.ofMillis(1));
    assertThat(availability.hasAnsweredFor(LEASE)).isTrue();
  }

  @Test
  void failureDuringTheWait_startsItOver() {
    availability.failed();
    availability.answered();
    advance(LEASE.dividedBy(2));
    availability.failed();
    advance(LEASE);
    assertThat(availability.hasAnsweredFor(LEASE)).isFalse();
    availability.answered();
    advance(LEASE.minusMillis(1));
    assertThat(availability.hasAnsweredFor(LEASE)).isFalse();
    advance(Duration.ofMillis(1));
    assertThat(availability.hasAnsweredFor(LEASE)).isTrue();
  }
}
