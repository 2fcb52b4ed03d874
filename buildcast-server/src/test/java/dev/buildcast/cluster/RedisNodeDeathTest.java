package dev.buildcast.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.buildcast.generator.Generator;
import dev.buildcast.generator.GeneratorRegistry;
import dev.buildcast.generator.InputKind;
import dev.buildcast.generator.JobContext;
import dev.buildcast.generator.ParamSpec;
import dev.buildcast.job.JobFiles;
import dev.buildcast.job.JobRequest;
import dev.buildcast.job.JobService;
import dev.buildcast.job.JobServiceOptions;
import dev.buildcast.job.JobSettings;
import dev.buildcast.job.JobState;
import dev.buildcast.job.LocalStatusBus;
import dev.buildcast.testing.ManualClock;
import dev.buildcast.testing.ManualRepeater;
import dev.buildcast.testing.MemoryBlobStore;
import dev.buildcast.testing.MemoryLogStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that dies with jobs running, as the cluster sees it: the jobs' leases (JobService) and
 * the node's liveness (reaper) together leave nothing claimed or counted for it.
 */
class RedisNodeDeathTest {

  @RegisterExtension static final RedisTestEngines engines = new RedisTestEngines();
  private static final Duration JOB_LEASE = Duration.ofSeconds(30);
  /** why this short: the test waits until Redis expired the dead node's key (on the key, never a fixed time). */
  private static final Duration SHORT_NODE_LEASE = Duration.ofSeconds(1);
  private static final Duration LONG_NODE_LEASE = Duration.ofSeconds(600);

  @TempDir Path data;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-03T10:00:00Z"));
  private final MemoryLogStore logs = new MemoryLogStore();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<JobService> services = new ArrayList<>();
  private RedisEngine admin;

  @BeforeEach
  void emptyRedis() {
    engines.flushAll();
    admin = engines.open();
  }

  @AfterEach
  void stop() {
    release.countDown();
    services.forEach(JobService::close);
    timer.shutdownNow();
  }

  /** One node as the wiring starts it: liveness, queue (earlier claims released), service, recovery. */
  private JobService node(String nodeId, int slots, Duration nodeLease, ManualRepeater repeater) {
    engines.closedAfterTheTest(new RedisNodeLease(engines.open(), nodeId, nodeLease, repeater)).start();
    RedisEngine engine = engines.open();
    RedisJobQueue queue = new RedisJobQueue(engine, nodeId, slots);
    queue.releaseClaimsOfEarlierRun();
    JobFiles files = new JobFiles(data, new MemoryBlobStore());
    JobService jobs = new JobService(JobServiceOptions.builder().store(new RedisJobStore(engine)).logs(logs)
        .generators(new GeneratorRegistry(List.of(new Blocking()))).queue(queue).files(files)
        .settings(new JobSettings(Map.of(), Duration.ofMinutes(10), List.of(), timer)).clock(clock).repeater(repeater)
        .bus(new LocalStatusBus()).nodeId(nodeId).lease(JOB_LEASE).build());
    services.add(jobs);
    jobs.recover();
    return jobs;
  }

  @Test
  void aNodeDiesRunningTwoJobs_afterTheLeaseAnotherNodeFailsTheJobsAndFreesItsSlotsAndClaims() {
    ManualRepeater deadRepeater = new ManualRepeater();
    JobService dying = node("n1", 2, SHORT_NODE_LEASE, deadRepeater);
    String first = dying.submit(new JobRequest("blocking", Map.of(), Optional.empty())).jobId();
    String second = dying.submit(new JobRequest("blocking", Map.of(), Optional.empty())).jobId();
    await().atMost(Duration.ofSeconds(60)).until(() -> dying.status(first).state() == JobState.RUNNING
        && dying.status(second).state() == JobState.RUNNING);
    assertThat(admin.<java.util.Set<String>>call("test", r -> r.smembers("bc:node:n1:jobs"))).containsExactlyInAnyOrder(first, second);

    // n1 "dies": its repeater never runs again, so neither its job leases nor its liveness are renewed
    ManualRepeater liveRepeater = new ManualRepeater();
    JobService survivor = node("n2", 1, LONG_NODE_LEASE, liveRepeater);
    RedisQueueReaper reaper = engines.closedAfterTheTest(new RedisQueueReaper(engines.open(), JOB_LEASE, liveRepeater, dev.buildcast.job.LeaseTrust.ALWAYS));
    reaper.start();
    await().atMost(Duration.ofSeconds(120)).until(() -> admin.<Long>call("test", r -> r.exists("bc:node:n1")) == 0);
    clock.advance(JOB_LEASE.plusSeconds(1));
    liveRepeater.runDue(); // n2's renewals, its look for passed job leases, and its reaper

    assertThat(survivor.status(first).state()).isEqualTo(JobState.FAILED);
    assertThat(survivor.status(second).state()).isEqualTo(JobState.FAILED);
    assertThat(survivor.status(first).reason()).isEqualTo("its server stopped renewing it");
    assertThat(admin.<Long>call("test", r -> r.exists("bc:node:n1:jobs"))).isZero();
    assertThat(admin.<List<String>>call("test", r -> r.hkeys(RedisJobQueue.SLOTS))).containsExactly("n2");
    String next = survivor.submit(new JobRequest("blocking", Map.of(), Optional.empty())).jobId();
    await().atMost(Duration.ofSeconds(60)).until(() -> survivor.status(next).state() == JobState.RUNNING);
    assertThat(logs.texts(next)).first().isEqualTo("Job queued for generator blocking.");
  }

  /** Runs until the test ends. */
  private final class Blocking implements Generator {
    @Override public String name() { return "blocking"; }
    @Override public String description() { return ""; }
    @Override public InputKind input() { return InputKind.NONE; }
    @Override public List<ParamSpec> params() { return List.of(); }

    @Override
    public int run(JobContext job) throws InterruptedException {
      release.await();
      return 0;
    }
  }
}
