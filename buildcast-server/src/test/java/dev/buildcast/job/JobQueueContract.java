package dev.buildcast.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** What every {@link JobQueue} adapter must do; each adapter's test extends this. */
public abstract class JobQueueContract {

  /** A new, empty queue with {@code slots} slots. */
  protected abstract JobQueue newQueue(int slots);

  @Test
  void claim_severalWaiting_givesThemInTheOrderTheyWereQueued() {
    JobQueue queue = newQueue(3);
    queue.enqueue("a");
    queue.enqueue("b");
    queue.enqueue("c");
    assertThat(queue.claim()).contains("a");
    assertThat(queue.claim()).contains("b");
    assertThat(queue.claim()).contains("c");
    assertThat(queue.claim()).isEmpty();
  }

  @Test
  void claim_allSlotsTaken_givesNothingUntilOneIsReleased() {
    JobQueue queue = newQueue(1);
    queue.enqueue("a");
    queue.enqueue("b");
    assertThat(queue.claim()).contains("a");
    assertThat(queue.claim()).isEmpty();
    queue.release("a");
    assertThat(queue.claim()).contains("b");
  }

  @Test
  void enqueue_countsTheJobsAheadForASlot() {
    JobQueue queue = newQueue(1);
    assertThat(queue.enqueue("a")).isZero();
    assertThat(queue.enqueue("b")).isEqualTo(1);
    queue.claim();
    assertThat(queue.enqueue("c")).isEqualTo(2);
  }

  @Test
  void enqueue_announcesThePlaceItReturns_andNothingForAnIdAlreadyQueued() {
    JobQueue queue = newQueue(1);
    java.util.List<Integer> announced = new java.util.ArrayList<>();
    assertThat(queue.enqueue("a", announced::add)).isZero();
    assertThat(queue.enqueue("b", announced::add)).isEqualTo(1);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> queue.enqueue("a", announced::add))
        .isInstanceOf(IllegalStateException.class);
    assertThat(announced).containsExactly(0, 1);
    assertThat(queue.claim()).contains("a");
  }

  @Test
  void remove_waitingId_isNeverClaimed_andAClaimedOneIsNotRemoved() {
    JobQueue queue = newQueue(1);
    queue.enqueue("a");
    queue.enqueue("b");
    queue.enqueue("c");
    assertThat(queue.claim()).contains("a");
    assertThat(queue.remove("b")).isTrue();
    assertThat(queue.remove("a")).isFalse();
    assertThat(queue.remove("zzz")).isFalse();
    queue.release("a");
    assertThat(queue.claim()).contains("c");
  }

  @Test
  void position_saysWhereAWaitingIdStands() {
    JobQueue queue = newQueue(1);
    queue.enqueue("a");
    queue.enqueue("b");
    assertThat(queue.position("a")).isEqualTo(OptionalInt.of(1));
    assertThat(queue.position("b")).isEqualTo(OptionalInt.of(2));
    queue.claim();
    assertThat(queue.position("a")).isEmpty();
    assertThat(queue.position("b")).isEqualTo(OptionalInt.of(1));
  }
}
