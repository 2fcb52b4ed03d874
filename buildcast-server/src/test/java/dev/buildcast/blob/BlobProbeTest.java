package dev.buildcast.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.testing.ManualClock;
import dev.buildcast.testing.MemoryBlobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class BlobProbeTest {

  private static final Duration EVERY = Duration.ofSeconds(5);
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-03T14:00:00Z"));
  private final MemoryBlobStore store = new MemoryBlobStore(clock);
  private final BlobProbe probe = new BlobProbe(store, clock, EVERY);

  @Test
  void isUp_manyHealthChecksWithinTheInterval_askTheStoreOnce() {
    for (int i = 0; i < 10; i++) assertThat(probe.isUp()).isTrue();
    assertThat(store.checks()).isEqualTo(1);
    clock.advance(EVERY.minusMillis(1));
    assertThat(probe.isUp()).isTrue();
    assertThat(store.checks()).isEqualTo(1);
    clock.advance(Duration.ofMillis(1));
    assertThat(probe.isUp()).isTrue();
    assertThat(store.checks()).isEqualTo(2);
  }

  @Test
  void isUp_storeGoesDownAndComesBack_isSeenAtTheNextAskEachTime() {
    assertThat(probe.isUp()).isTrue();
    store.makeUnusable(true);
    assertThat(probe.isUp()).as("the answer of the last ask stands until the interval passed").isTrue();
    clock.advance(EVERY);
    assertThat(probe.isUp()).isFalse();
    store.makeUnusable(false);
    assertThat(probe.isUp()).isFalse();
    clock.advance(EVERY);
    assertThat(probe.isUp()).isTrue();
    assertThat(store.checks()).isEqualTo(3);
  }

  @Test
  void isUp_whileAnotherCheckWaitsForASlowStore_answersTheLastAnswerAtOnce() throws Exception {
    CountDownLatch asking = new CountDownLatch(1);
    CountDownLatch answer = new CountDownLatch(1);
    // why a proxy: only checkUsable is called; it waits for the test, then fails as a store that timed out
    BlobStore slowStore = (BlobStore) java.lang.reflect.Proxy.newProxyInstance(BlobStore.class.getClassLoader(),
        new Class<?>[] {BlobStore.class}, (proxy, method, args) -> {
          if (!method.getName().equals("checkUsable")) throw new UnsupportedOperationException(method.getName());
          asking.countDown();
          answer.await();
          throw new BlobStoreUnavailableException("", "timed out", null);
        });
    BlobProbe slow = new BlobProbe(slowStore, clock, EVERY);
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      Future<Boolean> first = thread.submit(slow::isUp);
      asking.await();
      assertThat(slow.isUp()).as("not known to be down yet, and not waiting for the slow ask").isTrue();
      answer.countDown();
      assertThat(first.get()).isFalse();
      assertThat(slow.isUp()).isFalse();
    } finally {
      thread.shutdownNow();
    }
  }

  @Test
  void create_withoutAPositiveInterval_isRefused() {
    assertThatThrownBy(() -> new BlobProbe(store, clock, Duration.ZERO)).hasMessageContaining("interval");
  }
}
