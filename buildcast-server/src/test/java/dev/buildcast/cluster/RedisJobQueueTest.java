package dev.buildcast.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.job.JobQueue;
import dev.buildcast.job.JobRecord;
import dev.buildcast.job.JobState;
import java.time.Instant;
import java.util.Map;
import dev.buildcast.job.JobQueueContract;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The queue contract, and what only a shared queue can show: several nodes on one Redis. */
class RedisJobQueueTest extends JobQueueContract {

  @RegisterExtension static final RedisTestEngines engines = new RedisTestEngines();

  @BeforeEach
  void emptyRedis() {
    engines.flushAll();
  }

  @Override
  protected JobQueue newQueue(int slots) {
    return node("n1", slots);
  }

  /** The queue of node {@code nodeId}, on a connection of its own as a separate server would have. */
  private RedisJobQueue node(String nodeId, int slots) {
    return new RedisJobQueue(engines.open(), nodeId, slots);
  }

  private static List<String> ids(int count) {
    return IntStream.rangeClosed(1, count).mapToObj(i -> "job-%03d".formatted(i)).toList();
  }

  @Test
  void claim_twoNodesTakingTurns_getTheIdsInQueueOrder_eachUpToItsOwnSlots() {
    RedisJobQueue n1 = node("n1", 2);
    RedisJobQueue n2 = node("n2", 1);
    for (String id : ids(5)) n1.enqueue(id);
    assertThat(n1.claim()).contains("job-001");
    assertThat(n2.claim()).contains("job-002");
    assertThat(n2.claim()).isEmpty();
    assertThat(n1.claim()).contains("job-003");
    assertThat(n1.claim()).isEmpty();
    n2.release("job-002");
    assertThat(n2.claim()).contains("job-004");
    n1.release("job-001");
    assertThat(n1.claim()).contains("job-005");
  }

  @Test
  void claim_twoNodesRacing_claimEveryIdExactlyOnce_inQueueOrder_neverAboveTheirSlots() throws Exception {
    RedisJobQueue n1 = node("n1", 2);
    RedisJobQueue n2 = node("n2", 3);
    List<String> queued = ids(60);
    for (String id : queued) n1.enqueue(id);
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<List<String>> byN1 = threads.submit(() -> claimAll(n1, 2, go));
      Future<List<String>> byN2 = threads.submit(() -> claimAll(n2, 3, go));
      go.countDown();
      List<String> first = byN1.get();
      List<String> second = byN2.get();
      List<String> all = new ArrayList<>(first);
      all.addAll(second);
      assertThat(all).hasSize(queued.size()).containsExactlyInAnyOrderElementsOf(queued);
      // why per node: each node's claims are one after the other, so the queue's order shows in each one's list
      assertThat(first).isSorted();
      assertThat(second).isSorted();
    } finally {
      threads.shutdownNow();
    }
  }

  /** Claims until refused, checks the node never held more than its slots, releases all, again, until nothing waits. */
  private static List<String> claimAll(RedisJobQueue queue, int slots, CountDownLatch go) throws InterruptedException {
    go.await();
    List<String> claimed = new ArrayList<>();
    while (true) {
      List<String> held = new ArrayList<>();
      for (Optional<String> id = queue.claim(); id.isPresent(); id = queue.claim()) {
        held.add(id.get());
        assertThat(held).as("ids node holds at once").hasSizeLessThanOrEqualTo(slots);
      }
      if (held.isEmpty()) return claimed;
      claimed.addAll(held);
      held.forEach(queue::release);
    }
  }

  @Test
  void remove_racingAClaimOnAnotherNode_eachIdGoesToExactlyOneOfThem() throws Exception {
    RedisJobQueue n1 = node("n1", 1000);
    RedisJobQueue n2 = node("n2", 1);
    List<String> queued = ids(200);
    for (String id : queued) n2.enqueue(id);
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<List<String>> claimed = threads.submit(() -> {
        go.await();
        List<String> got = new ArrayList<>();
        for (Optional<String> id = n1.claim(); id.isPresent(); id = n1.claim()) got.add(id.get());
        return got;
      });
      Collection<String> removed = new ConcurrentLinkedQueue<>();
      Future<?> remover = threads.submit(() -> {
        go.await();
        for (String id : queued.reversed()) if (n2.remove(id)) removed.add(id);
        return null;
      });
      go.countDown();
      remover.get();
      List<String> claimedIds = claimed.get();
      Set<String> got = new HashSet<>(claimedIds);
      assertThat(got).hasSameSizeAs(claimedIds);
      assertThat(got).doesNotContainAnyElementsOf(removed);
      assertThat(got.size() + removed.size()).isEqualTo(queued.size());
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void claim_afterTheNodeRestarts_stillCountsTheSlotsItHeld() {
    JobQueue before = node("n1", 1);
    before.enqueue("a");
    before.enqueue("b");
    assertThat(before.claim()).contains("a");
    JobQueue after = node("n1", 1);
    assertThat(after.claim()).isEmpty();
    after.release("a");
    assertThat(after.claim()).contains("b");
  }

  @Test
  void releaseClaimsOfEarlierRun_afterARestart_freesEverySlot_andQueuesAgainFirstWhatNeverStarted() {
    RedisEngine admin = engines.open();
    RedisJobStore store = new RedisJobStore(admin);
    for (String id : List.of("a", "b", "c")) {
      store.save(new JobRecord(id, "hash", "docs", Map.of(), null, JobState.QUEUED, 0, null, null, Instant.EPOCH, null, null, List.of()));
    }
    RedisJobQueue before = node("n1", 2);
    before.enqueue("a");
    before.enqueue("b");
    before.enqueue("c");
    assertThat(before.claim()).contains("a");
    assertThat(before.claim()).contains("b");
    admin.call("test", r -> r.hset(RedisJobStore.jobKey("a"), "state", "running"));

    RedisJobQueue after = node("n1", 2);
    assertThat(after.releaseClaimsOfEarlierRun()).as("b never started").isEqualTo(1);

    assertThat(admin.<Long>call("test", r -> r.exists(RedisJobQueue.claimedKey("n1")))).isZero();
    assertThat(after.position("b")).hasValue(1);
    assertThat(after.claim()).contains("b");
    assertThat(after.claim()).as("a no longer holds a slot").contains("c");
    assertThat(after.releaseClaimsOfEarlierRun()).as("c never started either").isEqualTo(2);
    assertThat(after.position("b")).hasValue(1);
    assertThat(after.position("c")).hasValue(2);
  }

  @Test
  void releaseClaimsOfEarlierRun_ofANodeThatHoldsNothing_changesNothing() {
    RedisJobQueue queue = node("n1", 1);
    queue.enqueue("a");
    assertThat(queue.releaseClaimsOfEarlierRun()).isZero();
    assertThat(queue.position("a")).hasValue(1);
  }

  @Test
  void enqueue_countsTheSlotsOfEveryNode_andRefusesAnIdAlreadyQueuedOrClaimed() {
    RedisJobQueue n1 = node("n1", 1);
    RedisJobQueue n2 = node("n2", 2);
    assertThat(n1.enqueue("a")).isZero();
    assertThat(n1.enqueue("b")).isZero();
    assertThat(n1.enqueue("c")).isZero();
    assertThat(n1.enqueue("d")).isEqualTo(1);
    assertThat(n2.claim()).contains("a");
    assertThat(n2.enqueue("e")).isEqualTo(2);
    assertThatThrownBy(() -> n1.enqueue("a")).isInstanceOf(IllegalStateException.class).hasMessageContaining("already queued");
    assertThatThrownBy(() -> n1.enqueue("b")).isInstanceOf(IllegalStateException.class);
    assertThat(n1.position("e")).hasValue(4);
  }

  @Test
  void create_withABadNodeIdOrNoSlots_isRefusedNamingWhatIsWrong() {
    RedisEngine engine = engines.open();
    assertThatThrownBy(() -> new RedisJobQueue(engine, "n1", 0)).hasMessageContaining("maxConcurrentJobs");
    assertThatThrownBy(() -> new RedisJobQueue(engine, "n1:x", 1)).hasMessageContaining("node id");
  }

  @Test
  void claim_whileTheSubmitterAnnouncesThePlace_takesNeitherTheJobNorAnyQueuedBehindIt() {
    // why it matters: a node that claims a job takes its log over, and the submitter's "queued" line
    // written afterwards took it back and cut the runner off (seen in ClusterQueueIT: the job failed)
    RedisJobQueue n1 = node("n1", 1);
    RedisJobQueue n2 = node("n2", 2);
    List<String> seenDuringTheAnnouncement = new ArrayList<>();
    int ahead = n1.enqueue("a", place -> {
      n2.enqueue("b");
      n2.claim().ifPresent(seenDuringTheAnnouncement::add);
      n1.claim().ifPresent(seenDuringTheAnnouncement::add);
      seenDuringTheAnnouncement.add("place " + place);
    });
    assertThat(ahead).isZero();
    assertThat(seenDuringTheAnnouncement).containsExactly("place 0");
    assertThat(n2.claim()).contains("a");
    assertThat(n2.claim()).contains("b");
  }

  @Test
  void enqueue_announcementFails_theJobStaysQueuedAndClaimable() {
    RedisJobQueue n1 = node("n1", 1);
    RedisJobQueue n2 = node("n2", 1);
    assertThatThrownBy(() -> n1.enqueue("a", place -> {
      throw new IllegalStateException("the log refused the line");
    })).hasMessage("the log refused the line");
    assertThat(n2.claim()).contains("a");
  }

  @Test
  void claim_holdOfASubmitterThatNeverEndsIt_passesWithItsTimeToLive() {
    // a submitter that died while it announced: its hold lasts its time to live (the lease), no longer
    RedisJobQueue n1 = new RedisJobQueue(engines.open(), "n1", 1, java.time.Duration.ofMillis(50));
    RedisJobQueue n2 = node("n2", 1);
    List<String> claimedMeanwhile = new ArrayList<>();
    n1.enqueue("a", place -> org.awaitility.Awaitility.await().until(() -> {
      n2.claim().ifPresent(claimedMeanwhile::add);
      return !claimedMeanwhile.isEmpty();
    }));
    assertThat(claimedMeanwhile).containsExactly("a");
  }

  @Test
  void enqueue_onceAnnounced_leavesNoHoldBehind() {
    RedisJobQueue n1 = node("n1", 1);
    RedisEngine reader = engines.open();
    java.util.function.LongSupplier holds = () -> reader.call("reading", r -> r.exists(RedisJobQueue.holdKey("a")));
    n1.enqueue("a", place -> assertThat(holds.getAsLong()).isEqualTo(1L));
    assertThat(holds.getAsLong()).isZero();
  }

  @Test
  void enqueue_onAFullNode_wakesTheOtherNodes_whenTheJobCanBeClaimed() throws Exception {
    RedisJobQueue full = node("n1", 1);
    RedisJobQueue idle = node("n2", 1);
    full.enqueue("running-on-n1");
    assertThat(full.claim()).contains("running-on-n1");
    java.util.concurrent.BlockingQueue<Optional<String>> claimedAtWakeUp = new java.util.concurrent.LinkedBlockingQueue<>();
    RedisQueueWakeups wakeups = engines.closedAfterTheTest(new RedisQueueWakeups(engines.open()));
    wakeups.whenJobsWait(() -> claimedAtWakeUp.add(idle.claim()));

    full.enqueue("a", place -> assertThat(claimedAtWakeUp).as("no wake-up while the place is announced").isEmpty());

    assertThat(claimedAtWakeUp.poll(60, java.util.concurrent.TimeUnit.SECONDS)).as("what n2 claimed when woken").contains("a");
  }
}
