package dev.buildcast.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.job.JobRecord;
import dev.buildcast.job.JobState;
import dev.buildcast.job.LeaseTrust;
import dev.buildcast.testing.ManualRepeater;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reaper with the queue and the node leases on one Redis: a node that stops renewing is freed
 * by another, a live one never is.
 */
class RedisQueueReaperTest {

  @RegisterExtension static final RedisTestEngines engines = new RedisTestEngines();
  private static final Duration LONG_LEASE = Duration.ofSeconds(600);
  /** why this short: the test waits for Redis to expire it (waiting on the key, never a fixed time). */
  private static final Duration SHORT_LEASE = Duration.ofSeconds(1);
  private static final Instant AT = Instant.parse("2026-12-03T08:00:00Z");

  private RedisEngine admin;
  private RedisJobStore store;
  private final ManualRepeater repeater = new ManualRepeater();

  @BeforeEach
  void emptyRedis() {
    engines.flushAll();
    admin = engines.open();
    store = new RedisJobStore(admin);
  }

  /** A node as the wiring starts it: its liveness first, then its queue. */
  private RedisJobQueue liveNode(String nodeId, int slots, Duration lease) {
    engines.closedAfterTheTest(new RedisNodeLease(engines.open(), nodeId, lease, repeater)).start();
    return new RedisJobQueue(engines.open(), nodeId, slots);
  }

  private RedisQueueReaper reaper() {
    return engines.closedAfterTheTest(new RedisQueueReaper(engines.open(), LONG_LEASE, repeater, LeaseTrust.ALWAYS));
  }

  private int saved;

  /** A job record; each one queued a second after the one before. */
  private void job(String id, JobState state) {
    Instant queuedAt = AT.plusSeconds(saved++);
    store.save(new JobRecord(id, "hash", "docs", Map.of(), null, state, 0, null, null, queuedAt, state == JobState.QUEUED ? null : queuedAt,
        null, List.of(), null));
  }

  private void queued(RedisJobQueue queue, String... ids) {
    for (String id : ids) {
      job(id, JobState.QUEUED);
      queue.enqueue(id);
    }
  }

  private void started(String id) {
    admin.call("test", r -> r.hset(RedisJobStore.jobKey(id), "state", "running"));
  }

  private void awaitExpired(String nodeId) {
    Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> admin.call("test", r -> r.exists(NodeKeys.liveness(nodeId))) == 0);
  }

  private List<String> waiting() {
    return admin.call("test", r -> r.lrange(RedisJobQueue.QUEUE, 0, -1));
  }

  private boolean exists(String key) {
    return admin.call("test", r -> r.exists(key)) == 1;
  }

  @Test
  void reap_aNodeThatStoppedRenewing_freesItsSlotsAndClaims_andQueuesAgainWhatNeverStarted() throws Exception {
    RedisJobQueue dying = liveNode("n1", 2, SHORT_LEASE);
    RedisJobQueue survivor = liveNode("n2", 1, LONG_LEASE);
    queued(dying, "a", "b", "c");
    assertThat(dying.claim()).contains("a");
    assertThat(dying.claim()).contains("b");
    started("a");
    // n1 "dies": its renewals stop (the repeater never runs), and Redis expires its key after the lease
    awaitExpired("n1");

    RedisQueueReaper reaper = reaper();
    List<Long> counted = new ArrayList<>();
    reaper.countRequeuedWith(counted::add);
    CountDownLatch woken = new CountDownLatch(1);
    engines.closedAfterTheTest(new RedisQueueWakeups(engines.open())).whenJobsWait(woken::countDown);
    assertThat(reaper.reapOnce()).containsExactly(new RedisQueueReaper.Reaped("n1", 1));
    assertThat(woken.await(60, java.util.concurrent.TimeUnit.SECONDS)).as("the nodes were woken for b").isTrue();
    assertThat(reaper.reapOnce()).isEmpty();
    assertThat(counted).as("jobs reaped, as the metric counts them: b went back to the queue, once").containsExactly(1L);

    assertThat(exists("bc:node:n1:jobs")).isFalse();
    assertThat(admin.<List<String>>call("test", r -> r.hkeys(RedisJobQueue.SLOTS))).containsExactly("n2");
    assertThat(waiting()).as("b was claimed but never started: first in line again").containsExactly("b", "c");
    assertThat(survivor.enqueue("d")).as("jobs ahead count only n2's one slot now").isEqualTo(2);
    assertThat(survivor.claim()).contains("b");
    // a is running on the dead node: its record's lease is JobService's to fail; no set holds it any more
    assertThat(admin.<java.util.Set<String>>call("test", r -> r.smembers("bc:node:n2:jobs"))).containsExactly("b");
  }

  @Test
  void reap_aLiveNodeThatRenewsLate_keepsEverything() {
    RedisJobQueue late = liveNode("n1", 2, LONG_LEASE);
    queued(late, "a", "b");
    assertThat(late.claim()).contains("a");
    RedisQueueReaper reaper = reaper();
    // no renewal has run since the start: the key lives on its first lease, and that is enough
    assertThat(reaper.reapOnce()).isEmpty();
    repeater.runDue(); // the late renewal, and a scheduled reaping
    assertThat(reaper.reapOnce()).isEmpty();
    assertThat(admin.<java.util.Set<String>>call("test", r -> r.smembers("bc:node:n1:jobs"))).containsExactly("a");
    assertThat(admin.<Map<String, String>>call("test", r -> r.hgetall(RedisJobQueue.SLOTS))).containsEntry("n1", "2");
    assertThat(waiting()).containsExactly("b");
  }

  @Test
  void reap_bySeveralNodesAtOnce_freesTheDeadNodeOnce_andItsIdsGoBackInTheirFirstOrder() throws Exception {
    RedisJobQueue dying = liveNode("n1", 3, SHORT_LEASE);
    queued(dying, "z", "y", "x");
    dying.claim();
    dying.claim();
    awaitExpired("n1");
    List<RedisQueueReaper> reapers = List.of(reaper(), reaper(), reaper());
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(reapers.size());
    try {
      List<Future<List<RedisQueueReaper.Reaped>>> runs = new ArrayList<>();
      for (RedisQueueReaper reaper : reapers) {
        runs.add(threads.submit(() -> {
          go.await();
          return reaper.reapOnce();
        }));
      }
      go.countDown();
      List<RedisQueueReaper.Reaped> all = new ArrayList<>();
      for (Future<List<RedisQueueReaper.Reaped>> run : runs) all.addAll(run.get());
      assertThat(all).containsExactly(new RedisQueueReaper.Reaped("n1", 2));
    } finally {
      threads.shutdownNow();
    }
    assertThat(waiting()).containsExactly("z", "y", "x");
    assertThat(exists("bc:node:n1:jobs")).isFalse();
  }

  @Test
  void reap_aNodeThatStoppedCleanly_freesItAtOnce() {
    RedisNodeLease lease = engines.closedAfterTheTest(new RedisNodeLease(engines.open(), "n1", LONG_LEASE, repeater));
    lease.start();
    RedisJobQueue leaving = new RedisJobQueue(engines.open(), "n1", 4);
    queued(leaving, "a");
    assertThat(leaving.enqueue("b")).isZero();
    lease.close();
    assertThat(reaper().reapOnce()).extracting(RedisQueueReaper.Reaped::nodeId).containsExactly("n1");
    RedisJobQueue other = liveNode("n2", 1, LONG_LEASE);
    job("c", JobState.QUEUED);
    assertThat(other.enqueue("c")).as("n1's four slots are no longer counted").isEqualTo(2);
  }

  @Test
  void start_reapsOnTheSchedule() {
    RedisNodeLease lease = engines.closedAfterTheTest(new RedisNodeLease(engines.open(), "n1", LONG_LEASE, repeater));
    lease.start();
    new RedisJobQueue(engines.open(), "n1", 1);
    lease.close();
    RedisQueueReaper reaper = reaper();
    reaper.start();
    assertThat(repeater.intervals()).containsExactly(LONG_LEASE);
    repeater.runDue();
    assertThat(admin.<List<String>>call("test", r -> r.hkeys(RedisJobQueue.SLOTS))).isEmpty();
    reaper.close();
    assertThat(repeater.intervals()).isEmpty();
  }

  @Test
  void scheduledRun_whileRedisWasUnreachableLessThanALeaseAgo_reapsNothing_thenReapsOnceTrusted() {
    RedisNodeLease lease = engines.closedAfterTheTest(new RedisNodeLease(engines.open(), "n1", LONG_LEASE, repeater));
    lease.start();
    new RedisJobQueue(engines.open(), "n1", 1);
    lease.close(); // its key is gone, as after an outage longer than the lease
    java.util.concurrent.atomic.AtomicBoolean trusted = new java.util.concurrent.atomic.AtomicBoolean();
    RedisQueueReaper reaper = engines.closedAfterTheTest(new RedisQueueReaper(engines.open(), LONG_LEASE, repeater, trusted::get));
    reaper.start();

    repeater.runDue();
    assertThat(admin.<List<String>>call("test", r -> r.hkeys(RedisJobQueue.SLOTS))).containsExactly("n1");
    trusted.set(true);
    repeater.runDue();
    assertThat(admin.<List<String>>call("test", r -> r.hkeys(RedisJobQueue.SLOTS))).isEmpty();
  }
}
