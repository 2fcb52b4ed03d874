package dev.buildcast.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.job.JobRecord;
import dev.buildcast.job.JobState;
import dev.buildcast.job.SecureTokens;
import dev.buildcast.notify.DeliveryKind;
import dev.buildcast.notify.NotificationStore;
import dev.buildcast.notify.NotificationStoreContract;
import dev.buildcast.notify.PendingDelivery;
import dev.buildcast.testing.ManualRepeater;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The cluster's notification store: the contract against a real redis-server, and what only a
 * store shared by several nodes must do: one node sends each delivery, and a live node takes over
 * the deliveries of one that died.
 */
class RedisNotificationStoreTest extends NotificationStoreContract {

  @RegisterExtension static final RedisTestEngines engines = new RedisTestEngines();

  private static final Duration LEASE = Duration.ofMinutes(1);
  private final ManualRepeater repeater = new ManualRepeater();

  @Override
  protected NotificationStore newStore(Path dir) {
    engines.flushAll();
    return node("n1");
  }

  @Override
  protected NotificationStore reopen(NotificationStore before, Path dir) {
    return restarted("n1");
  }

  /**
   * The node started again after a crash, once its earlier life's liveness key expired (why deleted
   * here, not waited for: the key lives a whole lease, and a new life waits for it to go).
   */
  private RedisNotificationStore restarted(String nodeId) {
    engines.open().call("ending the earlier life of node " + nodeId, r -> r.del(NodeKeys.liveness(nodeId)));
    return node(nodeId);
  }

  /** A store of a node alive in the cluster (its liveness key written), on a connection of its own. */
  private RedisNotificationStore node(String nodeId) {
    RedisNodeLease lease = engines.closedAfterTheTest(new RedisNodeLease(engines.open(), nodeId, LEASE, repeater));
    lease.start();
    return new RedisNotificationStore(engines.open(), lease);
  }

  private static PendingDelivery waiting(String jobId) {
    return new PendingDelivery(UUID.randomUUID().toString(), jobId, DeliveryKind.WEBHOOK, "https://hooks.example.com/h", false, 0, AT, "");
  }

  private static PendingDelivery due(PendingDelivery waiting) {
    return new PendingDelivery(waiting.id(), waiting.jobId(), waiting.kind(), waiting.target(), true, 0, AT.plusSeconds(1), "");
  }

  @Test
  void markDue_twoNodesHearTheSameEnd_exactlyOneMakesItDue() {
    RedisNotificationStore n2 = node("n2");
    PendingDelivery d = waiting(SecureTokens.newId());
    store.save(d);

    boolean first = store.markDue(due(d));
    boolean second = n2.markDue(due(d));
    boolean again = store.markDue(due(d));

    assertThat(List.of(first, second, again)).containsExactly(true, false, false);
    assertThat(n2.forJob(d.jobId())).containsExactly(due(d));
  }

  @Test
  void markDue_deliveryGone_isNotMadeDueNorRecorded() {
    PendingDelivery d = waiting(SecureTokens.newId());
    assertThat(store.markDue(due(d))).isFalse();
    assertThat(store.all()).isEmpty();
  }

  @Test
  void takeOverDue_senderAlive_nobodyTakesIt() {
    RedisNotificationStore n2 = node("n2");
    PendingDelivery d = waiting(SecureTokens.newId());
    store.save(d);
    store.markDue(due(d));

    assertThat(n2.takeOverDue()).isEmpty();
    assertThat(store.takeOverDue()).as("its own sender").isEmpty();
  }

  @Test
  void takeOverDue_senderDied_exactlyOneLiveNodeTakesItWithTheSameId() {
    RedisNotificationStore n2 = node("n2");
    RedisNotificationStore n3 = node("n3");
    PendingDelivery d = waiting(SecureTokens.newId());
    store.save(d);
    store.markDue(due(d));
    PendingDelivery retried = new PendingDelivery(d.id(), d.jobId(), d.kind(), d.target(), true, 1, AT.plusSeconds(9), "HTTP 500");
    store.save(retried);
    engines.open().call("test", r -> r.del(NodeKeys.liveness("n1")));

    List<PendingDelivery> byN2 = n2.takeOverDue();
    List<PendingDelivery> byN3 = n3.takeOverDue();

    assertThat(byN2).containsExactly(retried);
    assertThat(byN3).as("taken already by a live node").isEmpty();
    assertThat(n2.takeOverDue()).as("n2 sends it now").isEmpty();
  }

  @Test
  void takeOverDue_senderNodeRestartedSince_theNewLifeTakesIt() {
    PendingDelivery d = waiting(SecureTokens.newId());
    store.save(d);
    store.markDue(due(d));
    // why the same id: the liveness key exists again, but with the new life's token
    RedisNotificationStore restarted = restarted("n1");

    assertThat(restarted.takeOverDue()).containsExactly(due(d));
    assertThat(store.takeOverDue()).as("the old life lost it").isEmpty();
  }

  @Test
  void takeOverDue_waitingDeliveries_neverTaken() {
    store.save(waiting(SecureTokens.newId()));
    assertThat(node("n2").takeOverDue()).isEmpty();
  }

  @Test
  void delete_theJob_removesItsDeliveriesAndItsPlaceInTheIndex() {
    RedisJobStore jobs = new RedisJobStore(engines.open());
    String jobId = SecureTokens.newId();
    jobs.save(new JobRecord(jobId, "hash", "docs", Map.of(), null, JobState.SUCCEEDED, 0, null, null, AT, AT, AT, List.of(), null, 0, null,
        null));
    PendingDelivery d = waiting(jobId);
    store.save(d);
    store.markDue(due(d));

    jobs.delete(jobId);

    assertThat(store.all()).isEmpty();
    RedisEngine admin = engines.open();
    assertThat(admin.<List<String>>call("test", r -> r.keys("bc:{" + jobId + "}:*"))).isEmpty();
    assertThat(admin.<Boolean>call("test", r -> r.sismember(RedisNotificationStore.JOBS_WITH_DELIVERIES, jobId))).isFalse();
  }

  @Test
  void forJob_unreadableRecord_setAsideAndTheRestRead() {
    PendingDelivery good = waiting(SecureTokens.newId());
    store.save(good);
    String bad = UUID.randomUUID().toString();
    RedisEngine admin = engines.open();
    admin.call("test", r -> r.hset(RedisNotificationStore.notifyKey(good.jobId()), Map.of("d:" + bad, "{\"format\":7}", "s:" + bad, "due")));

    assertThat(store.forJob(good.jobId())).containsExactly(good);
    assertThat(admin.<Map<String, String>>call("test", r -> r.hgetall(RedisNotificationStore.notifyKey(good.jobId()))))
        .containsKey("bad:" + bad).doesNotContainKey("d:" + bad).doesNotContainKey("s:" + bad);
  }
}
