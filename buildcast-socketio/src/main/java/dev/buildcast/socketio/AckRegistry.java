package dev.buildcast.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The acknowledgements one socket awaits from its client: ack id → future, each with a timeout.
 * Thread-safe; each entry is completed exactly once (by the ACK, the timeout or the disconnect),
 * whichever removes it first. ACKs with unknown or already-expired ids are ignored.
 */
final class AckRegistry {
  private static final class Pending {
    final CompletableFuture<List<JsonNode>> future;
    volatile ScheduledFuture<?> timer;

    Pending(CompletableFuture<List<JsonNode>> future) {
      this.future = future;
    }

    void cancelTimer() {
      ScheduledFuture<?> t = timer;
      if (t != null) t.cancel(false);
    }
  }

  private final Timers timers;
  private final AtomicLong nextId = new AtomicLong();
  private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();

  AckRegistry(Timers timers) {
    this.timers = timers;
  }

  /** Reserves an id for a future; it fails with {@link TimeoutException} after {@code timeout}. */
  long register(CompletableFuture<List<JsonNode>> future, Duration timeout) {
    long id = nextId.getAndIncrement();
    Pending entry = new Pending(future);
    // the entry is visible before its timer exists, so a very short timeout cannot miss it
    pending.put(id, entry);
    entry.timer =
        timers.schedule(
            timeout,
            () -> {
              Pending p = pending.remove(id);
              if (p != null) {
                timers.callback(
                    () -> p.future.completeExceptionally(new TimeoutException("no ack within " + timeout)));
              }
            });
    if (pending.get(id) != entry) entry.cancelTimer(); // answered before the timer was set
    return id;
  }

  /** Drops an id whose packet could not be sent. */
  void forget(long id) {
    Pending p = pending.remove(id);
    if (p != null) p.cancelTimer();
  }

  /** Completes the future of an ACK; runs continuations on the calling (session) thread. */
  void complete(long id, List<JsonNode> args) {
    Pending p = pending.remove(id);
    if (p == null) return; // late or unknown: ignored, as the spec's reference does
    p.cancelTimer();
    p.future.complete(args);
  }

  /** Fails every awaited acknowledgement (the socket disconnected). */
  void failAll(Throwable cause) {
    for (Long id : List.copyOf(pending.keySet())) {
      Pending p = pending.remove(id);
      if (p != null) {
        p.cancelTimer();
        p.future.completeExceptionally(cause);
      }
    }
  }

  int size() {
    return pending.size();
  }
}
