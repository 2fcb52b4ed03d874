package dev.buildcast.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.job.SecureTokens;
import dev.buildcast.protocol.JobStatusPayload;
import dev.buildcast.testing.ManualClock;
import dev.buildcast.testing.MemoryNotificationStore;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The outbox against an in-memory store, a manual clock and a manual timer: a "restart" is a new
 * outbox over the same store while the old one's timer is never run again (as after SIGKILL).
 * Issue 15: pending deliveries survive a restart and are delivered once per delivery id.
 */
class NotificationOutboxTest {

  private static final Instant START = Instant.parse("2026-12-02T23:00:00Z");
  private static final RetryPolicy WEBHOOK_RETRIES = new RetryPolicy(4, Duration.ofSeconds(2));

  private final ManualClock clock = new ManualClock(START);
  private final MemoryNotificationStore store = new MemoryNotificationStore();
  private final String job = SecureTokens.newId();
  private final FakeMessages messages = new FakeMessages();

  /** What a receiver saw: the delivery id, when, and with which answer. */
  record Received(String deliveryId, Instant at, AttemptResult.Outcome answer) {}

  /** A channel that answers from a script (then DELIVERED), or holds an attempt open ("in flight"). */
  final class ScriptedChannel implements DeliveryChannel {
    final List<Received> received = new ArrayList<>();
    final Queue<Object> script = new ArrayDeque<>();
    final RetryPolicy policy;
    final List<PendingDelivery> storedAtAttempt = new ArrayList<>();
    /** The delivery id of every attempt begun, also one held in flight. */
    final List<String> attempted = new ArrayList<>();

    ScriptedChannel(RetryPolicy policy, Object... answers) {
      this.policy = policy;
      script.addAll(List.of(answers));
    }

    @Override
    public CompletableFuture<AttemptResult> attempt(PendingDelivery delivery, JobEnded message) {
      storedAtAttempt.addAll(store.forJob(delivery.jobId()));
      attempted.add(delivery.id());
      Object next = script.isEmpty() ? AttemptResult.Outcome.DELIVERED : script.poll();
      if (next.equals("hold")) return new CompletableFuture<>();
      AttemptResult.Outcome answer = (AttemptResult.Outcome) next;
      received.add(new Received(delivery.id(), clock.instant(), answer));
      return CompletableFuture.completedFuture(new AttemptResult(answer, answer.name()));
    }

    @Override
    public RetryPolicy retries() {
      return policy;
    }

    Map<String, Long> successesPerId() {
      return received.stream().filter(r -> r.answer() == AttemptResult.Outcome.DELIVERED)
          .collect(Collectors.groupingBy(Received::deliveryId, Collectors.counting()));
    }

    List<Instant> times() {
      return received.stream().map(Received::at).toList();
    }
  }

  static final class FakeMessages implements JobMessages {
    final Set<String> gone = new HashSet<>();
    final List<String> forgotten = new ArrayList<>();

    @Override
    public Optional<JobEnded> compose(String jobId) {
      if (gone.contains(jobId)) return Optional.empty();
      JobStatusPayload status = new JobStatusPayload(jobId, "docs", "failed", 100, 3, "exit code 3", START, START, START, List.of(), Map.of(), null, "n1");
      return Optional.of(new JobEnded(status, new JobLinks("p", "s", "l", List.of()), Duration.ofSeconds(1), List.of()));
    }

    @Override
    public void forget(String jobId) {
      forgotten.add(jobId);
    }
  }

  private NotificationOutbox outbox(ManualTimer timer, DeliveryChannel webhook, DeliveryChannel email) {
    Map<DeliveryKind, DeliveryChannel> channels = new EnumMap<>(DeliveryKind.class);
    if (webhook != null) channels.put(DeliveryKind.WEBHOOK, webhook);
    if (email != null) channels.put(DeliveryKind.EMAIL, email);
    return new NotificationOutbox(store, channels, messages, clock, timer, Runnable::run);
  }

  private static NotifyTargets hook() {
    return new NotifyTargets(Optional.empty(), Optional.of(URI.create("https://hooks.example.com/h")));
  }

  private static NotifyTargets mail() {
    return new NotifyTargets(Optional.of("dev@example.com"), Optional.empty());
  }

  private Function<String, NotificationOutbox.JobPhase> phase(NotificationOutbox.JobPhase phase) {
    return id -> phase;
  }

  @Test
  void jobEnded_deliveryRecordedDueBeforeTheFirstAttempt_thenRemovedWhenDelivered() {
    ScriptedChannel webhook = new ScriptedChannel(WEBHOOK_RETRIES);
    NotificationOutbox outbox = outbox(new ManualTimer(clock), webhook, null);
    outbox.record(job, hook());
    PendingDelivery waiting = store.forJob(job).getFirst();
    assertThat(waiting.jobEnded()).isFalse();

    outbox.jobEnded(job);

    assertThat(webhook.storedAtAttempt).singleElement().satisfies(d -> {
      assertThat(d.id()).isEqualTo(waiting.id());
      assertThat(d.jobEnded()).isTrue();
      assertThat(d.failedAttempts()).isZero();
    });
    assertThat(webhook.successesPerId()).containsExactly(Map.entry(waiting.id(), 1L));
    assertThat(store.all()).isEmpty();
    assertThat(messages.forgotten).containsExactly(job);
  }

  @Test
  void receiverFails_retriedOnTheDoublingScheduleRecordingEachFailure_thenGivenUp() {
    var fail = AttemptResult.Outcome.FAILED;
    ScriptedChannel webhook = new ScriptedChannel(WEBHOOK_RETRIES, fail, fail, fail, fail);
    ManualTimer timer = new ManualTimer(clock);
    NotificationOutbox outbox = outbox(timer, webhook, null);
    outbox.record(job, hook());
    outbox.jobEnded(job);

    assertThat(store.all()).singleElement().satisfies(d -> {
      assertThat(d.failedAttempts()).isEqualTo(1);
      assertThat(d.nextAttemptAt()).isEqualTo(START.plusSeconds(2));
      assertThat(d.lastFailure()).isEqualTo("FAILED");
    });
    timer.advance(Duration.ofMillis(1_999));
    assertThat(webhook.received).hasSize(1);
    timer.advance(Duration.ofMillis(1));
    timer.advance(Duration.ofSeconds(4));
    timer.advance(Duration.ofSeconds(8));

    assertThat(webhook.times()).containsExactly(START, START.plusSeconds(2), START.plusSeconds(6), START.plusSeconds(14));
    assertThat(webhook.received).extracting(Received::deliveryId).containsOnly(webhook.received.getFirst().deliveryId());
    assertThat(store.all()).isEmpty();
    assertThat(timer.waiting()).isZero();
  }

  @Test
  void killedWhileWaitingToRetry_restartSendsTheSameIdAtItsRecordedTime_deliveredOnce() {
    ScriptedChannel before = new ScriptedChannel(WEBHOOK_RETRIES, AttemptResult.Outcome.FAILED);
    NotificationOutbox first = outbox(new ManualTimer(clock), before, null);
    first.record(job, hook());
    first.jobEnded(job);
    String id = before.received.getFirst().deliveryId();
    // the first process dies here: its timer never runs again
    clock.advance(Duration.ofMillis(500));

    ScriptedChannel after = new ScriptedChannel(WEBHOOK_RETRIES);
    ManualTimer timer = new ManualTimer(clock);
    outbox(timer, after, null).resume(phase(NotificationOutbox.JobPhase.ENDED));
    assertThat(after.received).isEmpty();
    assertThat(timer.nextDueAt()).contains(START.plusSeconds(2));
    timer.advance(Duration.ofMillis(1_500));

    assertThat(after.received).singleElement().satisfies(r -> {
      assertThat(r.deliveryId()).isEqualTo(id);
      assertThat(r.at()).isEqualTo(START.plusSeconds(2));
    });
    assertThat(after.successesPerId()).containsExactly(Map.entry(id, 1L));
    assertThat(store.all()).isEmpty();
  }

  @Test
  void killedDuringAnAttempt_restartMakesThatAttemptAgainAtOnceWithTheSameId() {
    ScriptedChannel before = new ScriptedChannel(WEBHOOK_RETRIES, "hold");
    NotificationOutbox first = outbox(new ManualTimer(clock), before, null);
    first.record(job, hook());
    first.jobEnded(job);
    String id = store.forJob(job).getFirst().id();
    clock.advance(Duration.ofMinutes(3));

    ScriptedChannel after = new ScriptedChannel(WEBHOOK_RETRIES);
    outbox(new ManualTimer(clock), after, null).resume(phase(NotificationOutbox.JobPhase.ENDED));

    assertThat(after.received).singleElement().satisfies(r -> assertThat(r.deliveryId()).isEqualTo(id));
    assertThat(after.storedAtAttempt).singleElement().satisfies(d -> assertThat(d.failedAttempts()).isZero());
    assertThat(store.all()).isEmpty();
  }

  @Test
  void pendingMail_killedBeforeItWasSent_sentAfterTheRestart() {
    ScriptedChannel before = new ScriptedChannel(RetryPolicy.once(), "hold");
    NotificationOutbox first = outbox(new ManualTimer(clock), null, before);
    first.record(job, mail());
    first.jobEnded(job);
    String id = store.forJob(job).getFirst().id();

    ScriptedChannel after = new ScriptedChannel(RetryPolicy.once());
    outbox(new ManualTimer(clock), null, after).resume(phase(NotificationOutbox.JobPhase.ENDED));

    assertThat(after.successesPerId()).containsExactly(Map.entry(id, 1L));
    assertThat(store.all()).isEmpty();
  }

  @Test
  void mailFails_givenUpAfterOneAttemptAsBefore() {
    ScriptedChannel email = new ScriptedChannel(RetryPolicy.once(), AttemptResult.Outcome.FAILED);
    ManualTimer timer = new ManualTimer(clock);
    NotificationOutbox outbox = outbox(timer, null, email);
    outbox.record(job, mail());
    outbox.jobEnded(job);

    assertThat(email.received).hasSize(1);
    assertThat(store.all()).isEmpty();
    assertThat(timer.waiting()).isZero();
  }

  @Test
  void restartBeforeTheJobEnded_nothingSentUntilItEnds_thenBothTargetsOnce() {
    NotificationOutbox first = outbox(new ManualTimer(clock), new ScriptedChannel(WEBHOOK_RETRIES), new ScriptedChannel(RetryPolicy.once()));
    first.record(job, new NotifyTargets(Optional.of("dev@example.com"), Optional.of(URI.create("https://hooks.example.com/h"))));

    ScriptedChannel webhook = new ScriptedChannel(WEBHOOK_RETRIES);
    ScriptedChannel email = new ScriptedChannel(RetryPolicy.once());
    NotificationOutbox second = outbox(new ManualTimer(clock), webhook, email);
    second.resume(phase(NotificationOutbox.JobPhase.UNFINISHED));
    assertThat(webhook.received).isEmpty();
    assertThat(store.all()).hasSize(2);

    second.jobEnded(job);
    second.jobEnded(job);

    assertThat(webhook.received).hasSize(1);
    assertThat(email.received).hasSize(1);
    assertThat(webhook.received.getFirst().deliveryId()).isNotEqualTo(email.received.getFirst().deliveryId());
    assertThat(store.all()).isEmpty();
  }

  @Test
  void jobEndedWhileTheServerWasDown_resumeSendsIt() {
    outbox(new ManualTimer(clock), null, null).record(job, hook());

    ScriptedChannel webhook = new ScriptedChannel(WEBHOOK_RETRIES);
    outbox(new ManualTimer(clock), webhook, null).resume(phase(NotificationOutbox.JobPhase.ENDED));

    assertThat(webhook.received).hasSize(1);
    assertThat(store.all()).isEmpty();
  }

  @Test
  void jobGoneOrKindNoLongerConfigured_droppedWithoutAttempt() {
    ScriptedChannel webhook = new ScriptedChannel(WEBHOOK_RETRIES);
    NotificationOutbox first = outbox(new ManualTimer(clock), webhook, null);
    first.record(job, new NotifyTargets(Optional.of("dev@example.com"), Optional.empty()));
    String other = SecureTokens.newId();
    first.record(other, hook());

    NotificationOutbox second = outbox(new ManualTimer(clock), webhook, null);
    second.resume(id -> id.equals(job) ? NotificationOutbox.JobPhase.ENDED : NotificationOutbox.JobPhase.GONE);

    assertThat(webhook.received).isEmpty();
    assertThat(store.all()).isEmpty();
  }

  @Test
  void resume_oneDeliveryCannotBePickedUp_theOthersAreAndItStaysRecorded() {
    NotificationOutbox first = outbox(new ManualTimer(clock), null, null);
    String broken = SecureTokens.newId();
    first.record(broken, hook());
    first.record(job, hook());

    ScriptedChannel webhook = new ScriptedChannel(WEBHOOK_RETRIES);
    outbox(new ManualTimer(clock), webhook, null).resume(id -> {
      if (id.equals(broken)) throw new IllegalStateException("job record unreadable");
      return NotificationOutbox.JobPhase.ENDED;
    });

    assertThat(webhook.received).hasSize(1);
    assertThat(store.all()).singleElement().satisfies(d -> assertThat(d.jobId()).isEqualTo(broken));
  }

  @Test
  void refusedAddress_givenUpAtOnceWithoutRetry() {
    ScriptedChannel webhook = new ScriptedChannel(WEBHOOK_RETRIES, AttemptResult.Outcome.REFUSED);
    ManualTimer timer = new ManualTimer(clock);
    NotificationOutbox outbox = outbox(timer, webhook, null);
    outbox.record(job, hook());
    outbox.jobEnded(job);

    assertThat(webhook.received).hasSize(1);
    assertThat(store.all()).isEmpty();
    assertThat(timer.waiting()).isZero();
  }

  @Test
  void attemptFailsDuringTheStop_notCountedAndKeptForTheNextStart() {
    ScriptedChannel webhook = new ScriptedChannel(WEBHOOK_RETRIES, AttemptResult.Outcome.FAILED);
    ManualTimer timer = new ManualTimer(clock);
    NotificationOutbox outbox = outbox(timer, webhook, null);
    outbox.record(job, hook());
    outbox.stop();
    outbox.jobEnded(job);

    assertThat(store.all()).singleElement().satisfies(d -> {
      assertThat(d.jobEnded()).isTrue();
      assertThat(d.failedAttempts()).isZero();
    });
    assertThat(timer.waiting()).isZero();
  }

  /**
   * A store shared by two "nodes" as the cluster's is: {@code markDue} makes a delivery due only
   * while it is still waiting, and {@code takeOverDue} hands out only what {@code orphans} names.
   */
  private static final class SharedStore implements NotificationStore {
    final MemoryNotificationStore records = new MemoryNotificationStore();
    final Set<String> orphans = new HashSet<>();

    @Override
    public void save(PendingDelivery delivery) {
      records.save(delivery);
    }

    @Override
    public synchronized boolean markDue(PendingDelivery due) {
      boolean waiting = records.all().stream().anyMatch(d -> d.id().equals(due.id()) && !d.jobEnded());
      if (waiting) records.save(due);
      return waiting;
    }

    @Override
    public synchronized List<PendingDelivery> takeOverDue() {
      return records.all().stream().filter(d -> d.jobEnded() && orphans.remove(d.id())).toList();
    }

    @Override
    public boolean isShared() {
      return true;
    }

    @Override
    public List<PendingDelivery> forJob(String jobId) {
      return records.forJob(jobId);
    }

    @Override
    public List<PendingDelivery> all() {
      return records.all();
    }

    @Override
    public void remove(PendingDelivery delivery) {
      records.remove(delivery);
    }
  }

  @Test
  void jobEnded_heardByTwoNodesOfOneSharedStore_onlyTheNodeWhoseMarkLandedSends() {
    SharedStore shared = new SharedStore();
    ScriptedChannel onN1 = new ScriptedChannel(WEBHOOK_RETRIES, "hold");
    ScriptedChannel onN2 = new ScriptedChannel(WEBHOOK_RETRIES);
    NotificationOutbox n1 = new NotificationOutbox(shared, Map.of(DeliveryKind.WEBHOOK, onN1), messages, clock, new ManualTimer(clock), Runnable::run);
    NotificationOutbox n2 = new NotificationOutbox(shared, Map.of(DeliveryKind.WEBHOOK, onN2), messages, clock, new ManualTimer(clock), Runnable::run);
    n1.record(job, hook());

    n1.jobEnded(job);
    n2.jobEnded(job);
    n2.sweep(phase(NotificationOutbox.JobPhase.ENDED));

    assertThat(onN1.attempted).as("n1 attempts it (held in flight)").hasSize(1);
    assertThat(onN2.attempted).as("n2 sends nothing while n1 is its sender").isEmpty();
    assertThat(shared.all()).singleElement().satisfies(d -> assertThat(d.jobEnded()).isTrue());
  }

  @Test
  void sweep_dueDeliveryOfADeadNode_takenOverAndSentAtItsNextAttemptWithTheSameId() {
    SharedStore shared = new SharedStore();
    ManualTimer timer = new ManualTimer(clock);
    ScriptedChannel onN2 = new ScriptedChannel(WEBHOOK_RETRIES);
    NotificationOutbox n2 = new NotificationOutbox(shared, Map.of(DeliveryKind.WEBHOOK, onN2), messages, clock, timer, Runnable::run);
    // what a node that died between two attempts left: due, one failure, the next attempt 2 s ahead
    PendingDelivery left = new PendingDelivery(java.util.UUID.randomUUID().toString(), job, DeliveryKind.WEBHOOK, "https://hooks.example.com/h",
        true, 1, START.plusSeconds(2), "HTTP 500");
    shared.save(left);

    n2.sweep(phase(NotificationOutbox.JobPhase.ENDED));
    assertThat(onN2.received).as("its sender still lives").isEmpty();

    shared.orphans.add(left.id());
    n2.sweep(phase(NotificationOutbox.JobPhase.ENDED));
    assertThat(onN2.received).as("not before its next attempt").isEmpty();
    timer.advance(Duration.ofMillis(1_999));
    assertThat(onN2.received).isEmpty();
    timer.advance(Duration.ofMillis(1));

    assertThat(onN2.successesPerId()).containsExactly(Map.entry(left.id(), 1L));
    assertThat(shared.all()).isEmpty();
  }
}
