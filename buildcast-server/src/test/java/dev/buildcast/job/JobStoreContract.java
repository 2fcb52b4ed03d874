package dev.buildcast.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every {@link JobStore} adapter must do; each adapter's test extends this. */
public abstract class JobStoreContract {

  protected static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");

  /** A new, empty store. */
  protected abstract JobStore newStore();

  protected static JobRecord queued(String id) {
    return new JobRecord(id, "hash", "docs", Map.of("k", "v"), null, JobState.QUEUED, 0, null, null, AT, null, null, List.of(), null);
  }

  @Test
  void save_thenFind_returnsTheRecordAtVersionZero() {
    JobStore store = newStore();
    JobRecord job = queued(SecureTokens.newId());
    store.save(job);
    assertThat(store.find(job.id())).contains(job);
    assertThat(store.find(job.id()).orElseThrow().version()).isZero();
  }

  @Test
  void update_atTheStoredVersion_storesTheChangeAtTheNextVersion() {
    JobStore store = newStore();
    JobRecord job = queued(SecureTokens.newId());
    store.save(job);
    JobRecord running = job.running(AT, "node-a", AT.plusSeconds(30));
    Optional<JobRecord> stored = store.update(0, running);
    assertThat(stored).contains(running.withVersion(1));
    assertThat(store.find(job.id())).contains(running.withVersion(1));
    assertThat(stored.get().owner()).isEqualTo("node-a");
    assertThat(stored.get().leaseUntil()).isEqualTo(AT.plusSeconds(30));
  }

  @Test
  void update_atAStaleVersion_isRefusedAndChangesNothing() {
    JobStore store = newStore();
    JobRecord job = queued(SecureTokens.newId());
    store.save(job);
    JobRecord first = store.update(0, job.cancelling()).orElseThrow();
    assertThat(store.update(0, job.withPercentage(50))).isEmpty();
    assertThat(store.find(job.id())).contains(first);
  }

  @Test
  void update_ofAnUnknownJob_isRefusedAndStoresNothing() {
    JobStore store = newStore();
    JobRecord job = queued(SecureTokens.newId());
    assertThat(store.update(0, job)).isEmpty();
    assertThat(store.find(job.id())).isEmpty();
  }

  @Test
  void update_manyWritersFromOneVersion_exactlyOneWins() throws Exception {
    JobStore store = newStore();
    JobRecord job = queued(SecureTokens.newId());
    store.save(job);
    int writers = 16;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(writers);
    try {
      List<Future<Optional<JobRecord>>> results = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        int percentage = i;
        results.add(threads.submit(() -> {
          go.await();
          return store.update(0, job.withPercentage(percentage));
        }));
      }
      go.countDown();
      List<JobRecord> winners = new ArrayList<>();
      for (Future<Optional<JobRecord>> r : results) r.get().ifPresent(winners::add);
      assertThat(winners).hasSize(1);
      assertThat(store.find(job.id())).contains(winners.getFirst());
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void all_listsEveryStoredRecord_andDeleteRemovesOne() {
    JobStore store = newStore();
    JobRecord a = queued(SecureTokens.newId());
    JobRecord b = queued(SecureTokens.newId());
    store.save(a);
    store.save(b);
    assertThat(store.all()).containsExactlyInAnyOrder(a, b);
    store.delete(a.id());
    store.delete(a.id());
    assertThat(store.all()).containsExactly(b);
    assertThat(store.find(a.id())).isEmpty();
  }

  @Test
  void withExpiredLeases_listsTheRunningJobsWhoseLeasePassed_notRenewedNorEndedNorQueuedOnes() {
    JobStore store = newStore();
    JobRecord passed = queued(SecureTokens.newId());
    JobRecord renewed = queued(SecureTokens.newId());
    JobRecord ended = queued(SecureTokens.newId());
    JobRecord waiting = queued(SecureTokens.newId());
    for (JobRecord job : List.of(passed, renewed, ended, waiting)) store.save(job);
    Instant leaseEnd = AT.plusSeconds(10);
    JobRecord passedRunning = store.update(0, passed.running(AT, "n1", leaseEnd)).orElseThrow();
    JobRecord renewedRunning = store.update(0, renewed.running(AT, "n1", leaseEnd)).orElseThrow();
    store.update(renewedRunning.version(), renewedRunning.withLease(AT.plusSeconds(40))).orElseThrow();
    JobRecord endedRunning = store.update(0, ended.running(AT, "n2", leaseEnd)).orElseThrow();
    store.update(endedRunning.version(), endedRunning.finished(JobState.SUCCEEDED, 0, null, AT.plusSeconds(5), List.of())).orElseThrow();

    assertThat(store.withExpiredLeases(leaseEnd.minusMillis(1))).isEmpty();
    assertThat(store.withExpiredLeases(leaseEnd)).extracting(JobRecord::id).containsExactly(passed.id());
    assertThat(store.withExpiredLeases(AT.plusSeconds(40))).extracting(JobRecord::id).containsExactlyInAnyOrder(passed.id(), renewed.id());
    assertThat(store.withExpiredLeases(leaseEnd).getFirst()).isEqualTo(passedRunning);

    store.delete(passed.id());
    assertThat(store.withExpiredLeases(AT.plusSeconds(40))).extracting(JobRecord::id).containsExactly(renewed.id());
  }
}
