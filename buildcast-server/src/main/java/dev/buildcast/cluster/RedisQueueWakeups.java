package dev.buildcast.cluster;

import dev.buildcast.EngineUnavailableException;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes this node when a job became claimable anywhere in the cluster, so a node with a free slot
 * takes a job queued on a full node at once instead of at its next look (every fifth of the
 * lease). {@link RedisJobQueue#enqueue} publishes the job's id on the channel {@code
 * bc:queue:wake} in the same script that ends its hold (so the wake-up never comes before the job
 * can be claimed), and {@link RedisQueueReaper} publishes when it put a dead node's ids back.
 *
 * <p>Why not the status bus: a job's {@code queued} record is published before the job is in the
 * queue (its watchers must hear {@code queued} before the claimer's {@code running}), so a node
 * woken by it would look too early.
 *
 * <p>A channel keeps nothing: a wake-up published while this node's subscription is down is lost,
 * and the periodic look finds the job instead. Wake-ups that arrive while the action runs are
 * folded into one more run.
 *
 * <p>Threading: the action runs on one thread this class owns ({@code buildcast-queue-wake}), never
 * on Redis's I/O thread.
 */
public final class RedisQueueWakeups implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RedisQueueWakeups.class);

  static final String CHANNEL = "bc:queue:wake";

  private final StatefulRedisPubSubConnection<String, String> subscription;
  private final ExecutorService delivery =
      Executors.newSingleThreadExecutor(task -> Thread.ofPlatform().name("buildcast-queue-wake").daemon().unstarted(task));
  /** Whether a run of the action is queued and has not started yet. */
  private final AtomicBoolean due = new AtomicBoolean();
  private volatile Runnable action = () -> {};

  /**
   * Subscribes before it returns.
   *
   * @throws EngineUnavailableException when Redis cannot be reached
   */
  public RedisQueueWakeups(RedisEngine redis) {
    this.subscription = redis.connectPubSub("subscribing to the queue's wake-ups");
    subscription.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(String channel, String message) {
        if (CHANNEL.equals(channel)) wake();
      }
    });
    try {
      redis.run("subscribing to the queue's wake-ups", () -> subscription.sync().subscribe(CHANNEL));
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** What to run at a wake-up (this node looks for jobs it can claim); must not block for long. */
  public void whenJobsWait(Runnable action) {
    this.action = Objects.requireNonNull(action, "action");
  }

  private void wake() {
    if (!due.compareAndSet(false, true)) return;
    try {
      delivery.execute(() -> {
        due.set(false);
        try {
          action.run();
        } catch (RuntimeException e) {
          log.warn("looking for jobs after a wake-up from the cluster's queue failed: {}", e.getMessage());
        }
      });
    } catch (RejectedExecutionException e) {
      // closed: nobody to wake
    }
  }

  /** Stops listening; the {@link RedisEngine} stays open (its owner closes it). */
  @Override
  public void close() {
    subscription.close();
    delivery.shutdownNow();
  }
}
