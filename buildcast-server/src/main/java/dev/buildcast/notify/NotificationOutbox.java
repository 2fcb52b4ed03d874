package dev.buildcast.notify;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deliveries of job-ended notifications, kept in a {@link NotificationStore} from the submit
 * that asks for them until each is delivered or given up, so that a restart sends what is left.
 *
 * <p>A delivery is recorded when its job is submitted (waiting), recorded as due when the job ends
 * (before the first attempt), recorded again after each failed attempt with the attempt count and
 * the time of the next one, and removed when the receiver took it or it is given up. An attempt
 * cut off by a stop or crash was never recorded as failed, so it is made again after the restart:
 * at least once on the wire, with the same delivery id every time.
 *
 * <p>Concurrency: attempts and their outcomes run on {@code workers} (a job's end is attempted on
 * the thread that reports it); waits run on {@code timer}; a channel completes an attempt on its
 * own thread and hands the outcome back to the workers. Each delivery has at most one attempt or wait under way at a time
 * (a retry is scheduled only from the outcome of the attempt before it), and {@link #transitions}
 * makes a job's end turn each waiting delivery into a due one exactly once, whoever notices it.
 */
final class NotificationOutbox {

  private static final Logger log = LoggerFactory.getLogger(NotificationOutbox.class);

  /** Where a delivery's job stands, as the outbox needs to know at start-up. */
  enum JobPhase { UNFINISHED, ENDED, GONE }

  private final NotificationStore store;
  private final Map<DeliveryKind, DeliveryChannel> channels;
  private final JobMessages messages;
  private final Clock clock;
  private final RetryTimer timer;
  private final Executor workers;
  private final Object transitions = new Object();
  private volatile boolean stopping;

  NotificationOutbox(NotificationStore store, Map<DeliveryKind, DeliveryChannel> channels, JobMessages messages, Clock clock,
      RetryTimer timer, Executor workers) {
    this.store = store;
    this.channels = Map.copyOf(channels);
    this.messages = messages;
    this.clock = clock;
    this.timer = timer;
    this.workers = workers;
  }

  /** Records one waiting delivery per target of the job; nothing is sent before the job ends. */
  void record(String jobId, NotifyTargets targets) {
    targets.webhook().ifPresent(url -> store.save(PendingDelivery.awaitingJob(jobId, DeliveryKind.WEBHOOK, url.toString(), clock.instant())));
    targets.email().ifPresent(address -> store.save(PendingDelivery.awaitingJob(jobId, DeliveryKind.EMAIL, address, clock.instant())));
  }

  /** The job ended: each of its waiting deliveries is recorded as due, then attempted. A repeat call does nothing. */
  void jobEnded(String jobId) {
    List<PendingDelivery> due = new ArrayList<>();
    synchronized (transitions) {
      for (PendingDelivery waiting : store.forJob(jobId)) {
        if (waiting.jobEnded()) continue;
        PendingDelivery d = waiting.dueAt(clock.instant());
        // why the store decides: in a cluster every node hears the end, and only the one whose mark landed sends
        if (store.markDue(d)) due.add(d);
      }
    }
    // why on this thread, not handed over: a job failed by a graceful stop is notified before the workers stop
    due.forEach(this::attempt);
  }

  /**
   * At start-up, before new jobs come in: every due delivery left by the previous process is
   * attempted at its next-attempt time (an attempt that was under way is made again); a waiting one
   * whose job ended meanwhile becomes due; one whose job is gone is dropped.
   */
  void resume(Function<String, JobPhase> phaseOf) {
    pickUp(phaseOf, "kept over the restart");
  }

  /**
   * Now and then, with a store shared by several processes ({@link NotificationStore#isShared}):
   * the same as {@link #resume}, for what other processes left. The due deliveries of a process
   * that died are taken over ({@link NotificationStore#takeOverDue}), and the waiting ones of jobs
   * that ended unheard (by a process that died before it marked them) become due, each once.
   */
  void sweep(Function<String, JobPhase> phaseOf) {
    pickUp(phaseOf, "taken over from stopped nodes or ended unheard");
  }

  private void pickUp(Function<String, JobPhase> phaseOf, String how) {
    int due = 0;
    int waiting = 0;
    for (PendingDelivery d : store.takeOverDue()) {
      due++;
      try {
        dispatch(d);
      } catch (RuntimeException e) {
        log.error("{} - picking up {} delivery {} failed; it stays recorded: {}", d.jobId(), d.kind().wireName(), d.id(), e.toString());
      }
    }
    for (PendingDelivery d : store.all()) {
      if (d.jobEnded()) continue;
      try {
        switch (phaseOf.apply(d.jobId())) {
          case UNFINISHED -> waiting++;
          case ENDED -> {
            due++;
            jobEnded(d.jobId());
          }
          case GONE -> finish(d, "given up", "its job no longer exists");
        }
      } catch (RuntimeException e) {
        // why go on: one delivery that cannot be picked up must not keep the server from starting
        log.error("{} - picking up {} delivery {} failed; it stays recorded: {}", d.jobId(), d.kind().wireName(), d.id(), e.toString());
      }
    }
    if (due > 0 || (waiting > 0 && !store.isShared())) {
      log.info("notifications {}: {} delivery(ies) due, {} waiting for their job to end", how, due, waiting);
    }
  }

  /** Deliveries not settled yet: waiting for their job, or being attempted. */
  int pendingCount() {
    return store.all().size();
  }

  /** From now on a failed attempt is not recorded (the stop cut it off) and nothing new is scheduled. */
  void stop() {
    stopping = true;
  }

  private void dispatch(PendingDelivery d) {
    Duration wait = Duration.between(clock.instant(), d.nextAttemptAt());
    try {
      if (wait.isNegative() || wait.isZero()) {
        workers.execute(() -> attempt(d));
      } else {
        timer.schedule(() -> handOver(d), wait);
      }
    } catch (RejectedExecutionException stopped) {
      log.info("{} - {} delivery {} stays recorded: the server is stopping; it is sent after the restart", d.jobId(), d.kind().wireName(), d.id());
    }
  }

  private void handOver(PendingDelivery d) {
    try {
      workers.execute(() -> attempt(d));
    } catch (RejectedExecutionException stopped) {
      log.info("{} - {} delivery {} stays recorded: the server is stopping; it is sent after the restart", d.jobId(), d.kind().wireName(), d.id());
    }
  }

  private void attempt(PendingDelivery d) {
    DeliveryChannel channel = channels.get(d.kind());
    if (channel == null) {
      finish(d, "given up", "notify." + d.kind().wireName() + " is not configured (any more)");
      return;
    }
    Optional<JobEnded> message;
    try {
      message = messages.compose(d.jobId());
    } catch (RuntimeException e) {
      log.warn("{} - composing the {} notification failed", d.jobId(), d.kind().wireName(), e);
      settle(d, channel, AttemptResult.failed("composing the message failed: " + e));
      return;
    }
    if (message.isEmpty()) {
      finish(d, "given up", "its job no longer exists");
      return;
    }
    CompletableFuture<AttemptResult> result;
    try {
      result = channel.attempt(d, message.get());
    } catch (RuntimeException e) {
      result = CompletableFuture.completedFuture(AttemptResult.failed(e.toString()));
    }
    // why on the workers: settling writes to the store, which must not hold up the channel's own (I/O) threads;
    // a stop that refuses the hand-over leaves the delivery recorded, to be made again after the restart
    result.whenCompleteAsync((r, error) -> settle(d, channel, r != null ? r : AttemptResult.failed(String.valueOf(error))), workers);
  }

  private void settle(PendingDelivery d, DeliveryChannel channel, AttemptResult result) {
    int attempts = d.failedAttempts() + 1;
    switch (result.outcome()) {
      case DELIVERED -> {
        log.info("{} - {} delivered to {} ({})", d.jobId(), d.kind().wireName(), shown(d), result.detail());
        finish(d, null, null);
      }
      case REFUSED -> finish(d, "given up after " + attempts + " attempt(s)", result.detail());
      case FAILED -> {
        if (stopping) {
          log.info("{} - {} to {} cut off by the stop ({}); sent again after the restart", d.jobId(), d.kind().wireName(), shown(d), result.detail());
        } else if (!channel.retries().allowsAnotherAfter(attempts)) {
          finish(d, "given up after " + attempts + " attempt(s)", result.detail());
        } else {
          retryLater(d, channel.retries().delayAfter(attempts), result.detail());
        }
      }
    }
  }

  private void retryLater(PendingDelivery d, Duration wait, String why) {
    PendingDelivery next = d.failed(why, clock.instant().plus(wait));
    try {
      store.save(next);
    } catch (RuntimeException e) {
      // why go on: this process still retries it; only a restart would make the attempt again too early
      log.error("{} - recording the failed {} attempt failed: {}", d.jobId(), d.kind().wireName(), e.toString());
    }
    log.info("{} - {} to {} failed ({}); retrying in {} ms", d.jobId(), d.kind().wireName(), shown(d), why, wait.toMillis());
    dispatch(next);
  }

  /** Removes a settled delivery; {@code how} and {@code why} say why when it was not delivered. */
  private void finish(PendingDelivery d, String how, String why) {
    if (how != null) log.warn("{} - {} to {} {}: {}", d.jobId(), d.kind().wireName(), shownInFull(d), how, why);
    try {
      store.remove(d);
      if (store.forJob(d.jobId()).isEmpty()) messages.forget(d.jobId());
    } catch (RuntimeException e) {
      log.error("{} - removing the settled {} delivery {} failed; it may be sent again after a restart: {}", d.jobId(), d.kind().wireName(),
          d.id(), e.toString());
    }
  }

  /** The webhook's host; never an email address (the log is not the place for it). */
  private static String shown(PendingDelivery d) {
    if (d.kind() == DeliveryKind.EMAIL) return "the job's address";
    try {
      String host = java.net.URI.create(d.target()).getHost();
      return host == null ? "the webhook" : host;
    } catch (IllegalArgumentException e) {
      return "the webhook";
    }
  }

  private static String shownInFull(PendingDelivery d) {
    return d.kind() == DeliveryKind.EMAIL ? "the job's address" : d.target();
  }
}
