package dev.buildcast.cluster;

import dev.buildcast.EngineUnavailableException;
import dev.buildcast.job.JobRecord;
import dev.buildcast.job.StatusBus;
import dev.buildcast.storage.JobRecordJson;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link StatusBus} of one node of a cluster: {@link #publish} sends the record's JSON to the
 * Redis channel {@code bc:status}, and every node's bus (this one too) tells its subscribers what
 * arrives there. Redis relays a channel's messages in the order it received them, and one node
 * publishes over one connection, so the changes of a job reach every subscriber in the order they
 * were published.
 *
 * <p>What is lost: a channel keeps nothing. While this node's subscription connection is down
 * (Redis restarting, a network cut) records published anywhere are not delivered here, and are not
 * delivered later; the client subscribes again by itself once Redis is back. The store holds the
 * truth: a subscriber that must not miss a change re-reads the records it cares about from the
 * {@code JobStore} after such an outage. {@link #publish} throws {@link EngineUnavailableException}
 * when Redis cannot be reached; the record is then told to nobody, this node included.
 *
 * <p>Threading: safe for concurrent use. Subscribers are told on one thread this bus owns
 * ({@code buildcast-status-bus}), one record at a time, in arrival order; a slow subscriber delays
 * the others (as with the single-node bus) but never Redis's I/O thread.
 */
public final class RedisStatusBus implements StatusBus, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RedisStatusBus.class);

  static final String CHANNEL = "bc:status";

  private final RedisEngine redis;
  private final List<Consumer<JobRecord>> subscribers = new CopyOnWriteArrayList<>();
  private final ExecutorService delivery =
      Executors.newSingleThreadExecutor(task -> Thread.ofPlatform().name("buildcast-status-bus").daemon().unstarted(task));
  private final StatefulRedisPubSubConnection<String, String> subscription;

  /** Subscribes to the channel before it returns, so every record published afterwards arrives. */
  public RedisStatusBus(RedisEngine redis) {
    this.redis = redis;
    this.subscription = redis.connectPubSub("subscribing to job status changes");
    subscription.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(String channel, String message) {
        if (CHANNEL.equals(channel)) hand(message);
      }
    });
    try {
      redis.run("subscribing to job status changes", () -> subscription.sync().subscribe(CHANNEL));
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public void publish(JobRecord record) {
    String json = new String(JobRecordJson.write(record), StandardCharsets.UTF_8);
    redis.call("publishing the status of job " + record.id(), r -> r.publish(CHANNEL, json));
  }

  @Override
  public Subscription subscribe(Consumer<JobRecord> subscriber) {
    // why a wrapper: the same listener may subscribe twice, and each subscription ends on its own
    Consumer<JobRecord> entry = subscriber::accept;
    subscribers.add(entry);
    return () -> subscribers.remove(entry);
  }

  private void hand(String message) {
    try {
      delivery.execute(() -> tell(message));
    } catch (RejectedExecutionException e) {
      // closed: nobody to tell
    }
  }

  private void tell(String message) {
    JobRecord record;
    try {
      record = JobRecordJson.read(message.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      log.warn("a message on {} is not a job record, skipped: {}", CHANNEL, e.getMessage());
      return;
    }
    for (Consumer<JobRecord> subscriber : subscribers) {
      try {
        subscriber.accept(record);
      } catch (RuntimeException e) {
        log.warn("{} - status subscriber failed", record.id(), e);
      }
    }
  }

  /** Stops listening and telling; the {@link RedisEngine} stays open (its owner closes it). */
  @Override
  public void close() {
    subscription.close();
    delivery.shutdownNow();
  }
}
