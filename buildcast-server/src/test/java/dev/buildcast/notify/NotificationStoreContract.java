package dev.buildcast.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.job.SecureTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link NotificationStore} must do, whatever keeps the records. An adapter's test
 * extends this and supplies {@link #newStore} and {@link #reopen}.
 */
public abstract class NotificationStoreContract {

  protected static final Instant AT = Instant.parse("2026-12-02T22:00:00Z");

  @TempDir protected Path dir;
  protected NotificationStore store;

  /** A store keeping its records under {@code dir}. */
  protected abstract NotificationStore newStore(Path dir);

  /** The store a restart would see: what was saved before and not removed. */
  protected abstract NotificationStore reopen(NotificationStore before, Path dir);

  @BeforeEach
  void open() {
    store = newStore(dir);
  }

  private static PendingDelivery webhook(String jobId) {
    return PendingDelivery.awaitingJob(jobId, DeliveryKind.WEBHOOK, "https://hooks.example.com/h?x=1", AT);
  }

  private static PendingDelivery email(String jobId) {
    return PendingDelivery.awaitingJob(jobId, DeliveryKind.EMAIL, "dev@example.com", AT);
  }

  @Test
  void save_thenReopen_keepsEveryFieldOfEveryDelivery() {
    String job = SecureTokens.newId();
    PendingDelivery waiting = email(job);
    PendingDelivery retried = webhook(job).dueAt(AT.plusSeconds(5)).failed("HTTP 500", AT.plusSeconds(7));
    store.save(waiting);
    store.save(retried);

    NotificationStore after = reopen(store, dir);

    assertThat(after.all()).containsExactlyInAnyOrder(waiting, retried);
    assertThat(after.forJob(job)).containsExactlyInAnyOrder(waiting, retried);
  }

  @Test
  void save_sameIdAgain_replacesTheRecordNotAddsOne() {
    PendingDelivery first = webhook(SecureTokens.newId());
    store.save(first);
    PendingDelivery due = first.dueAt(AT.plusSeconds(1));
    store.save(due);
    PendingDelivery failedTwice = due.failed("HTTP 500", AT.plusSeconds(3)).failed("HTTP 502", AT.plusSeconds(7));
    store.save(failedTwice);

    assertThat(reopen(store, dir).all()).containsExactly(failedTwice);
    assertThat(failedTwice.failedAttempts()).isEqualTo(2);
    assertThat(failedTwice.id()).isEqualTo(first.id());
  }

  @Test
  void forJob_otherJobsDeliveries_notIncluded() {
    String a = SecureTokens.newId();
    String b = SecureTokens.newId();
    PendingDelivery ofA = webhook(a);
    store.save(ofA);
    store.save(webhook(b));
    store.save(email(b));

    assertThat(store.forJob(a)).containsExactly(ofA);
    assertThat(store.forJob(b)).hasSize(2);
    assertThat(store.forJob(SecureTokens.newId())).isEmpty();
    assertThat(store.forJob("../" + a)).isEmpty();
  }

  @Test
  void remove_oneDelivery_othersStayAndARepeatIsANoOp() {
    String job = SecureTokens.newId();
    PendingDelivery gone = webhook(job);
    PendingDelivery kept = email(job);
    store.save(gone);
    store.save(kept);

    store.remove(gone);
    store.remove(gone);
    store.remove(webhook(SecureTokens.newId()));

    assertThat(reopen(store, dir).all()).containsExactly(kept);
  }

  @Test
  void all_emptyStore_isEmpty() {
    assertThat(store.all()).isEmpty();
    assertThat(reopen(store, dir).all()).isEmpty();
  }

  @Test
  void save_manyThreadsManyDeliveries_noneLostNoneTorn() throws Exception {
    String job = SecureTokens.newId();
    ExecutorService threads = Executors.newFixedThreadPool(8);
    List<PendingDelivery> saved = new ArrayList<>();
    List<Future<?>> done = new ArrayList<>();
    try {
      for (int i = 0; i < 64; i++) {
        PendingDelivery d = webhook(job).dueAt(AT.plus(Duration.ofSeconds(i)));
        saved.add(d);
        done.add(threads.submit(() -> {
          store.save(d);
          store.save(d.failed("HTTP 500", AT.plusSeconds(100)));
        }));
      }
      for (Future<?> f : done) f.get();
    } finally {
      threads.shutdownNow();
    }
    List<PendingDelivery> after = reopen(store, dir).forJob(job);
    assertThat(after).hasSize(64).allSatisfy(d -> assertThat(d.failedAttempts()).isEqualTo(1));
    assertThat(after).extracting(PendingDelivery::id).containsExactlyInAnyOrderElementsOf(saved.stream().map(PendingDelivery::id).toList());
  }
}
