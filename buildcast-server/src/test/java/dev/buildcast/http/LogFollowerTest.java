package dev.buildcast.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.log.LogBatch;
import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LogFollowerTest {

  private static LogBatch batch(long seq) {
    return new LogBatch(seq - 1, seq, LogFilter.ALL, List.of(new LogLine(seq, 0, LogLevel.DETAIL, "line " + seq)));
  }

  @Test
  void offer_handoffFull_refusesWithoutBlocking() {
    LogFollower follower = new LogFollower();
    for (int i = 1; i <= LogFollower.CAPACITY; i++) assertThat(follower.offer(batch(i))).isTrue();
    assertThat(follower.offer(batch(LogFollower.CAPACITY + 1))).isFalse();
  }

  @Test
  void whenWritable_full_firesOnceTheWriterTakesABatch() throws Exception {
    LogFollower follower = new LogFollower();
    for (int i = 1; i <= LogFollower.CAPACITY; i++) follower.offer(batch(i));
    AtomicInteger fired = new AtomicInteger();
    follower.whenWritable(fired::incrementAndGet);
    assertThat(fired).hasValue(0);
    assertThat(follower.next()).hasValueSatisfying(b -> assertThat(b.firstSeq()).isEqualTo(1));
    assertThat(fired).hasValue(1);
    follower.next();
    assertThat(fired).hasValue(1);
  }

  @Test
  void whenWritable_roomLeft_firesAtOnce() {
    LogFollower follower = new LogFollower();
    AtomicInteger fired = new AtomicInteger();
    follower.whenWritable(fired::incrementAndGet);
    assertThat(fired).hasValue(1);
  }

  @Test
  void next_afterCaughtUpToEnd_givesTheRestThenEmpty() throws Exception {
    LogFollower follower = new LogFollower();
    follower.offer(batch(1));
    follower.offer(batch(2));
    follower.caughtUpToEnd();
    assertThat(follower.next()).isPresent();
    assertThat(follower.next()).isPresent();
    assertThat(follower.next()).isEmpty();
  }

  @Test
  void next_waiting_wokenByAnOfferOrByStop() throws Exception {
    LogFollower follower = new LogFollower();
    CompletableFuture<Long> taken = CompletableFuture.supplyAsync(() -> {
      try {
        return follower.next().map(LogBatch::firstSeq).orElse(-1L);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    follower.offer(batch(7));
    assertThat(taken.get(60, TimeUnit.SECONDS)).isEqualTo(7);

    CompletableFuture<Boolean> ended = CompletableFuture.supplyAsync(() -> {
      try {
        return follower.next().isEmpty();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    follower.stop();
    assertThat(ended.get(60, TimeUnit.SECONDS)).isTrue();
    // dropped, not refused: the broadcaster must not wait for a writer that is gone
    assertThat(follower.offer(batch(8))).isTrue();
    assertThat(follower.next()).isEmpty();
  }

  @Test
  void next_readFailed_throwsOnceTheHandoffIsDrained() throws Exception {
    LogFollower follower = new LogFollower();
    follower.offer(batch(1));
    follower.failed(new IOException("disk gone"));
    assertThat(follower.next()).isPresent();
    assertThatThrownBy(follower::next).isInstanceOf(LogFollower.LogReadFailedException.class).hasRootCauseMessage("disk gone");
  }
}
