package dev.buildcast.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.buildcast.testing.MemoryBlobStore;
import dev.buildcast.generator.CommandGenerator;
import dev.buildcast.generator.Generator;
import dev.buildcast.generator.GeneratorRegistry;
import dev.buildcast.generator.InputKind;
import dev.buildcast.generator.JobContext;
import dev.buildcast.generator.ParamSpec;
import dev.buildcast.storage.file.FileJobStore;
import dev.buildcast.testing.ManualClock;
import dev.buildcast.testing.ManualRepeater;
import dev.buildcast.testing.MemoryLogStore;
import dev.buildcast.testing.UnreachableLogStore;
import dev.buildcast.log.LogStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Job control held in the store (issue 15): restarts, leases and cancels across two services on
 * one store, as two lives of a node or two nodes would be. Time is a {@link ManualClock} and the
 * lease work runs when a test runs the {@link ManualRepeater}.
 */
class JobControlTest {

  private static final Duration LEASE = Duration.ofSeconds(30);

  @TempDir Path data;
  private final MemoryLogStore logs = new MemoryLogStore();
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T10:00:00Z"));
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final List<JobService> services = new ArrayList<>();
  private final List<CountDownLatch> releases = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    releases.forEach(CountDownLatch::countDown);
    services.forEach(JobService::close);
    timer.shutdownNow();
  }

  /** A service of node {@code nodeId} on the shared data folder and logs, with its own queue, bus and repeater. */
  private JobService node(String nodeId, int slots, ManualRepeater repeater, Generator... generators) {
    return node(nodeId, slots, repeater, new LocalStatusBus(), generators);
  }

  private JobService node(String nodeId, int slots, ManualRepeater repeater, StatusBus bus, Generator... generators) {
    return node(nodeId, new LocalJobQueue(slots), repeater, bus, generators);
  }

  private JobService node(String nodeId, JobQueue queue, ManualRepeater repeater, StatusBus bus, Generator... generators) {
    return node(nodeId, queue, repeater, bus, LeaseTrust.ALWAYS, generators);
  }

  private JobService node(String nodeId, JobQueue queue, ManualRepeater repeater, StatusBus bus, LeaseTrust trust, Generator... generators) {
    return node(nodeId, queue, repeater, bus, trust, logs, generators);
  }

  private JobService node(String nodeId, JobQueue queue, ManualRepeater repeater, StatusBus bus, LeaseTrust trust, LogStore logStore,
      Generator... generators) {
    JobFiles files = new JobFiles(data, new MemoryBlobStore());
    JobService jobs = new JobService(JobServiceOptions.builder().store(new FileJobStore(files)).logs(logStore)
        .generators(new GeneratorRegistry(List.of(generators))).queue(queue).files(files)
        .settings(new JobSettings(Map.of(), Duration.ofMinutes(10), List.of(), timer)).clock(clock).repeater(repeater)
        .bus(bus).nodeId(nodeId).lease(LEASE).leaseTrust(trust).build());
    services.add(jobs);
    return jobs;
  }

  private static JobRequest request(String generator) {
    return new JobRequest(generator, Map.of(), Optional.empty());
  }

  private static void awaitState(JobService jobs, String jobId, JobState state) {
    await().atMost(Duration.ofSeconds(60)).until(() -> jobs.status(jobId).state() == state);
  }

  private static CommandGenerator bash(String name, String script) {
    return new CommandGenerator(CommandGenerator.Options.of(name, List.of("bash", "-c", script)));
  }

  @Test
  void submit_writesTheQueuedLineAsTheQueueAnnouncesIt_beforeAnyNodeCanClaimTheJob() {
    // why: in a cluster the node that claims a job takes its log over; a "queued" line the submitter
    // wrote after the job became claimable took the log back and cut the runner off (ClusterQueueIT)
    LocalJobQueue slots = new LocalJobQueue(1);
    Map<String, List<String>> logDuringAnnouncement = new java.util.concurrent.ConcurrentHashMap<>();
    JobQueue announcing = new JobQueue() {
      @Override
      public int enqueue(String jobId, java.util.function.IntConsumer announce) {
        return slots.enqueue(jobId, place -> {
          announce.accept(place);
          logDuringAnnouncement.put(jobId, List.copyOf(logs.texts(jobId)));
        });
      }

      @Override
      public Optional<String> claim() {
        return slots.claim();
      }

      @Override
      public void release(String jobId) {
        slots.release(jobId);
      }

      @Override
      public boolean remove(String jobId) {
        return slots.remove(jobId);
      }

      @Override
      public java.util.OptionalInt position(String jobId) {
        return slots.position(jobId);
      }
    };
    JobService jobs = node("node-a", announcing, new ManualRepeater(), new LocalStatusBus(), new Blocking("slow", id -> {}));
    String first = jobs.submit(request("slow")).jobId();
    String second = jobs.submit(request("slow")).jobId();
    assertThat(logDuringAnnouncement.get(first)).containsExactly("Job queued for generator slow.");
    assertThat(logDuringAnnouncement.get(second)).containsExactly("Job queued for generator slow: 1 job ahead of it.");
  }

  @Test
  void restart_withJobsQueued_runsThemAfterTheRestartInTheirOrder() {
    List<String> ran = new CopyOnWriteArrayList<>();
    Blocking first = new Blocking("slow", ran::add);
    JobService before = node("node-a", 1, new ManualRepeater(), first);
    String running = before.submit(request("slow")).jobId();
    awaitState(before, running, JobState.RUNNING);
    clock.advance(Duration.ofSeconds(1));
    String second = before.submit(request("slow")).jobId();
    clock.advance(Duration.ofSeconds(1));
    String third = before.submit(request("slow")).jobId();
    before.close(); // a graceful stop: the running job fails, the queued ones stay queued in the store

    assertThat(before.status(running).reason()).isEqualTo("server stopped");
    assertThat(before.status(second).state()).isEqualTo(JobState.QUEUED);
    Blocking free = new Blocking("slow", ran::add);
    free.release.countDown();
    JobService after = node("node-a", 1, new ManualRepeater(), free);
    assertThat(after.recover()).isEqualTo(new JobService.Recovered(0, 2));
    awaitState(after, third, JobState.SUCCEEDED);
    assertThat(after.status(second).state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(ran).containsExactly(running, second, third);
    assertThat(logs.texts(second)).containsExactly("Job queued for generator slow: 1 job ahead of it.",
        "The server restarted; the job is queued again.", "Job started: generator slow.", "Job finished with exit code 0.");
  }

  @Test
  void restart_onAQueueThatOutlivedTheNode_leavesTheJobsStillWaitingThereInTheirPlace() {
    // a cluster's queue is shared and outlives a node: what waited there before the restart still waits
    JobQueue shared = new LocalJobQueue(1);
    JobService before = node("node-a", shared, new ManualRepeater(), new LocalStatusBus(), new Blocking("slow", id -> {}));
    String running = before.submit(request("slow")).jobId();
    awaitState(before, running, JobState.RUNNING);
    clock.advance(Duration.ofSeconds(1));
    String waiting = before.submit(request("slow")).jobId();
    before.close();
    assertThat(shared.position(waiting)).hasValue(1);

    Blocking free = new Blocking("slow", id -> {});
    free.release.countDown();
    JobService after = node("node-a", shared, new ManualRepeater(), new LocalStatusBus(), free);
    assertThat(after.recover()).isEqualTo(new JobService.Recovered(0, 0));
    awaitState(after, waiting, JobState.SUCCEEDED);
    assertThat(logs.texts(waiting)).containsExactly("Job queued for generator slow: 1 job ahead of it.", "Job started: generator slow.",
        "Job finished with exit code 0.");
  }

  @Test
  void restart_withJobRunningOnThisNode_failsItSayingTheServerStoppedAndItsProcessTreeIsGone() {
    JobService before = node("node-a", 1, new ManualRepeater(), bash("tree", "sleep 300 & echo \"child $!\"; wait"));
    String id = before.submit(request("tree")).jobId();
    await().atMost(Duration.ofSeconds(60)).until(() -> logs.texts(id).stream().anyMatch(t -> t.startsWith("child ")));
    long child = Long.parseLong(logs.texts(id).stream().filter(t -> t.startsWith("child ")).findFirst().orElseThrow().substring(6));
    assertThat(ProcessHandle.of(child)).isPresent();

    before.close();
    JobService after = node("node-a", 1, new ManualRepeater(), bash("tree", "true"));
    assertThat(after.recover()).isEqualTo(new JobService.Recovered(0, 0));

    JobRecord failed = after.status(id);
    assertThat(failed.state()).isEqualTo(JobState.FAILED);
    assertThat(failed.reason()).isEqualTo("server stopped");
    assertThat(logs.texts(id)).last().asString().startsWith("The server stopped while this job was running");
    await().atMost(Duration.ofSeconds(60)).until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
  }

  @Test
  void restart_afterACrashWithItsGeneratorStillRunning_failsTheJobAndKillsTheLeftProcessTree() {
    // the crash: the first service is abandoned as a killed server would leave it, its process tree running
    JobService crashed = node("node-a", 1, new ManualRepeater(), bash("tree", "sleep 300 & echo \"child $!\"; wait"));
    String id = crashed.submit(request("tree")).jobId();
    await().atMost(Duration.ofSeconds(60)).until(() -> logs.texts(id).stream().anyMatch(t -> t.startsWith("child ")));
    long child = Long.parseLong(logs.texts(id).stream().filter(t -> t.startsWith("child ")).findFirst().orElseThrow().substring(6));

    JobService restarted = node("node-a", 1, new ManualRepeater(), bash("tree", "true"));
    assertThat(restarted.recover()).isEqualTo(new JobService.Recovered(1, 0));

    await().atMost(Duration.ofSeconds(60)).until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    assertThat(restarted.status(id).reason()).isEqualTo("server restarted");
    crashed.close(); // its run ends now that its process is gone; its own end is refused
    assertThat(restarted.status(id).reason()).isEqualTo("server restarted");
    assertThat(logs.texts(id)).last().asString().startsWith("The server restarted while this job was running");
    assertThat(data.resolve("jobs").resolve(id).resolve(dev.buildcast.generator.LeftoverProcesses.FILE)).doesNotExist();
  }

  @Test
  void restart_afterAnotherNodeFailedTheCrashedNodesJobByItsLease_stillKillsTheLeftProcessTree() {
    JobService crashed = node("node-a", 1, new ManualRepeater(), bash("tree", "sleep 300 & echo \"child $!\"; wait"));
    String id = crashed.submit(request("tree")).jobId();
    await().atMost(Duration.ofSeconds(60)).until(() -> logs.texts(id).stream().anyMatch(t -> t.startsWith("child ")));
    long child = Long.parseLong(logs.texts(id).stream().filter(t -> t.startsWith("child ")).findFirst().orElseThrow().substring(6));
    JobService peer = node("node-b", 1, new ManualRepeater(), bash("tree", "true"));
    clock.advance(LEASE.plusSeconds(1)); // node-a never renewed: its repeater never ran
    assertThat(peer.failExpiredLeases()).isEqualTo(1);
    assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive)).as("the crashed node's tree outlives the job").hasValue(true);

    JobService restarted = node("node-a", 1, new ManualRepeater(), bash("tree", "true"));
    assertThat(restarted.recover()).isEqualTo(new JobService.Recovered(0, 0));

    await().atMost(Duration.ofSeconds(60)).until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    assertThat(restarted.status(id).reason()).isEqualTo(JobService.LEASE_EXPIRED);
    assertThat(data.resolve("jobs").resolve(id).resolve(dev.buildcast.generator.LeftoverProcesses.FILE)).doesNotExist();
    crashed.close();
  }

  @Test
  void restart_afterACrashWithJobRunningHere_failsOnlyThisNodesJobs() {
    Blocking slow = new Blocking("slow", id -> {});
    JobService crashed = node("node-a", 1, new ManualRepeater(), slow);
    JobService peer = node("node-b", 1, new ManualRepeater(), new Blocking("slow", id -> {}));
    String mine = crashed.submit(request("slow")).jobId();
    String peers = peer.submit(request("slow")).jobId();
    awaitState(crashed, mine, JobState.RUNNING);
    awaitState(peer, peers, JobState.RUNNING);

    JobService restarted = node("node-a", 1, new ManualRepeater(), new Blocking("slow", id -> {}));
    assertThat(restarted.recover()).isEqualTo(new JobService.Recovered(1, 0));
    assertThat(restarted.status(mine).reason()).isEqualTo("server restarted");
    assertThat(logs.texts(mine)).last().asString().startsWith("The server restarted while this job was running");
    assertThat(restarted.status(peers).state()).isEqualTo(JobState.RUNNING);
  }

  @Test
  void lease_ownerStopsRenewing_isFailedOnceByWhoeverNotices_andTheOwnersLateWriteIsRefused() throws Exception {
    Blocking slow = new Blocking("slow", id -> {});
    JobService owner = node("node-a", 1, new ManualRepeater(), slow);
    String id = owner.submit(request("slow")).jobId();
    awaitState(owner, id, JobState.RUNNING);
    assertThat(owner.status(id).owner()).isEqualTo("node-a");
    assertThat(owner.status(id).leaseUntil()).isEqualTo(clock.instant().plus(LEASE));
    JobService b = node("node-b", 1, new ManualRepeater(), new Blocking("slow", x -> {}));
    JobService c = node("node-c", 1, new ManualRepeater(), new Blocking("slow", x -> {}));

    List<Integer> countedByB = new java.util.ArrayList<>();
    List<Integer> countedByC = new java.util.ArrayList<>();
    b.countLeaseFailuresWith(countedByB::add);
    c.countLeaseFailuresWith(countedByC::add);

    clock.advance(LEASE.minusSeconds(1));
    assertThat(b.failExpiredLeases()).isZero();
    clock.advance(Duration.ofSeconds(1)); // node-a never renewed: its repeater never ran
    assertThat(b.failExpiredLeases() + c.failExpiredLeases() + b.failExpiredLeases()).isEqualTo(1);
    assertThat(countedByB.stream().mapToInt(Integer::intValue).sum() + countedByC.stream().mapToInt(Integer::intValue).sum())
        .as("jobs reaped, as the metric counts them: the one failure, by whoever made it").isEqualTo(1);
    assertThat(countedByB).doesNotContain(0);

    JobRecord failed = b.status(id);
    assertThat(failed.state()).isEqualTo(JobState.FAILED);
    assertThat(failed.reason()).isEqualTo(JobService.LEASE_EXPIRED);
    slow.context.get().log().progress(40); // the old owner's late write
    assertThat(slow.interrupted.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue(); // its generator was stopped
    owner.close(); // waits for the owner's run to end, and its finish to be tried
    assertThat(owner.status(id)).isEqualTo(failed);
    assertThat(logs.texts(id)).filteredOn(t -> t.contains("stopped renewing")).hasSize(1);
    assertThat(logs.texts(id)).last().asString().contains("stopped renewing");
  }

  @Test
  void lease_failedWhileTheLogEngineIsUnreachable_getsItsLastLineSealAndNewsAtTheNextSweepAfterItIsBack() {
    Blocking slow = new Blocking("slow", id -> {});
    JobService owner = node("node-a", 1, new ManualRepeater(), slow);
    String id = owner.submit(request("slow")).jobId();
    awaitState(owner, id, JobState.RUNNING);
    UnreachableLogStore unreachable = new UnreachableLogStore(logs);
    LocalStatusBus bus = new LocalStatusBus();
    List<JobState> news = new CopyOnWriteArrayList<>();
    bus.subscribe(record -> {
      if (record.id().equals(id)) news.add(record.state());
    });
    JobService sweeper = node("node-b", new LocalJobQueue(1), new ManualRepeater(), bus, LeaseTrust.ALWAYS, unreachable,
        new Blocking("slow", x -> {}));
    clock.advance(LEASE.plusSeconds(1)); // node-a never renewed: its repeater never ran

    unreachable.opens.set(false);
    assertThat(sweeper.failExpiredLeases()).isEqualTo(1);
    assertThat(sweeper.status(id).state()).as("the store says so at once").isEqualTo(JobState.FAILED);
    assertThat(logs.texts(id)).noneMatch(t -> t.contains("stopped renewing"));
    assertThat(news).as("no final status before the last line").isEmpty();

    assertThat(sweeper.failExpiredLeases()).as("still out of reach: nothing failed twice").isZero();
    assertThat(news).isEmpty();

    unreachable.opens.set(true);
    assertThat(sweeper.failExpiredLeases()).isZero();
    assertThat(logs.texts(id)).filteredOn(t -> t.contains("stopped renewing")).hasSize(1);
    assertThat(logs.texts(id)).last().asString().contains("stopped renewing");
    try (var log = logs.open(id)) {
      assertThat(log.isSealed()).isTrue();
    }
    assertThat(news).containsExactly(JobState.FAILED);
    owner.close();
  }

  @Test
  void lease_failedWhenOnlyTheSealFails_getsTheSealLater_andItsLastLineOnce() {
    Blocking slow = new Blocking("slow", id -> {});
    JobService owner = node("node-a", 1, new ManualRepeater(), slow);
    String id = owner.submit(request("slow")).jobId();
    awaitState(owner, id, JobState.RUNNING);
    UnreachableLogStore unreachable = new UnreachableLogStore(logs);
    JobService sweeper = node("node-b", new LocalJobQueue(1), new ManualRepeater(), new LocalStatusBus(), LeaseTrust.ALWAYS, unreachable,
        new Blocking("slow", x -> {}));
    clock.advance(LEASE.plusSeconds(1));

    unreachable.seals.set(false);
    assertThat(sweeper.failExpiredLeases()).isEqualTo(1);
    assertThat(logs.texts(id)).last().asString().contains("stopped renewing");

    unreachable.seals.set(true);
    sweeper.failExpiredLeases();
    assertThat(logs.texts(id)).filteredOn(t -> t.contains("stopped renewing")).hasSize(1);
    try (var log = logs.open(id)) {
      assertThat(log.isSealed()).isTrue();
    }
    owner.close();
  }

  @Test
  void lease_passedWhileTheStoreWasUnreachable_isNotJudgedUntilTheTrustSaysSo_thenFailedOnce() {
    Blocking slow = new Blocking("slow", id -> {});
    JobService owner = node("node-a", 1, new ManualRepeater(), slow);
    String id = owner.submit(request("slow")).jobId();
    awaitState(owner, id, JobState.RUNNING);
    java.util.concurrent.atomic.AtomicBoolean trusted = new java.util.concurrent.atomic.AtomicBoolean();
    ManualRepeater sweeps = new ManualRepeater();
    JobService other = node("node-b", new LocalJobQueue(1), sweeps, new LocalStatusBus(), trusted::get, new Blocking("slow", x -> {}));

    clock.advance(LEASE.multipliedBy(3)); // nobody could renew: the store was out of reach
    assertThat(other.failExpiredLeases()).isZero();
    sweeps.runDue();
    assertThat(other.status(id).state()).isEqualTo(JobState.RUNNING);

    trusted.set(true); // a lease after the store answered again, and the owner still did not renew
    assertThat(other.failExpiredLeases()).isEqualTo(1);
    assertThat(other.status(id).reason()).isEqualTo(JobService.LEASE_EXPIRED);
  }

  /** The file store, with the first claim of a job (its update to running) held until the test lets it through. */
  private static final class ClaimHoldingStore implements JobStore {
    final JobStore inner;
    final CountDownLatch arrived = new CountDownLatch(1);
    final CountDownLatch proceed = new CountDownLatch(1);

    ClaimHoldingStore(JobStore inner) {
      this.inner = inner;
    }

    @Override public void save(JobRecord job) { inner.save(job); }
    @Override public Optional<JobRecord> find(String jobId) { return inner.find(jobId); }
    @Override public List<JobRecord> all() { return inner.all(); }
    @Override public void delete(String jobId) { inner.delete(jobId); }

    @Override
    public Optional<JobRecord> update(long expectedVersion, JobRecord next) {
      if (next.state() == JobState.RUNNING && arrived.getCount() > 0) {
        arrived.countDown();
        try {
          if (!proceed.await(60, TimeUnit.SECONDS)) throw new AssertionError("the test never let the claim through");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
      return inner.update(expectedVersion, next);
    }
  }

  @Test
  void renewLeases_whileARunsClaimIsBeingStored_leavesTheRunAlone_andItsGeneratorStarts() throws Exception {
    ManualRepeater repeater = new ManualRepeater();
    CountDownLatch started = new CountDownLatch(1);
    Blocking slow = new Blocking("slow", id -> started.countDown());
    JobFiles files = new JobFiles(data, new MemoryBlobStore());
    ClaimHoldingStore store = new ClaimHoldingStore(new FileJobStore(files));
    JobService jobs = new JobService(JobServiceOptions.builder().store(store).logs(logs)
        .generators(new GeneratorRegistry(List.of(slow))).queue(new LocalJobQueue(1)).files(files)
        .settings(new JobSettings(Map.of(), Duration.ofMinutes(10), List.of(), timer)).clock(clock).repeater(repeater)
        .bus(new LocalStatusBus()).nodeId("node-a").lease(LEASE).build());
    services.add(jobs);
    String id = jobs.submit(request("slow")).jobId();
    assertThat(store.arrived.await(60, TimeUnit.SECONDS)).isTrue();

    repeater.runDue(); // the renewal, while the run is listed and its record still says queued
    store.proceed.countDown();

    assertThat(started.await(60, TimeUnit.SECONDS)).as("the generator started").isTrue();
    assertThat(jobs.status(id).state()).isEqualTo(JobState.RUNNING);
    slow.release.countDown();
    awaitState(jobs, id, JobState.SUCCEEDED);
  }

  @Test
  void lease_renewedByItsOwner_keepsTheJobRunningPastTheFirstLease() {
    ManualRepeater repeater = new ManualRepeater();
    Blocking slow = new Blocking("slow", id -> {});
    JobService owner = node("node-a", 1, repeater, slow);
    JobService other = node("node-b", 1, new ManualRepeater(), new Blocking("slow", x -> {}));
    String id = owner.submit(request("slow")).jobId();
    awaitState(owner, id, JobState.RUNNING);
    for (int i = 0; i < 6; i++) {
      clock.advance(LEASE.dividedBy(3));
      repeater.runDue();
      assertThat(other.failExpiredLeases()).isZero();
    }
    assertThat(owner.status(id).leaseUntil()).isEqualTo(clock.instant().plus(LEASE));
    slow.release.countDown();
    awaitState(owner, id, JobState.SUCCEEDED);
  }

  @Test
  void cancel_queuedJobThroughAnotherService_endsCancelledAtOnceAndNeverRuns() {
    List<String> ran = new CopyOnWriteArrayList<>();
    Blocking slow = new Blocking("slow", ran::add);
    JobService starter = node("node-a", 1, new ManualRepeater(), slow);
    JobService canceller = node("node-b", 1, new ManualRepeater(), new Blocking("slow", x -> {}));
    String running = starter.submit(request("slow")).jobId();
    String waiting = starter.submit(request("slow")).jobId();
    awaitState(starter, running, JobState.RUNNING);

    assertThat(canceller.cancel(waiting).state()).isEqualTo(JobState.CANCELLED);
    slow.release.countDown();
    awaitState(starter, running, JobState.SUCCEEDED);
    await().atMost(Duration.ofSeconds(60)).until(() -> starter.activeCounts().isEmpty());
    assertThat(ran).containsExactly(running);
    assertThat(starter.status(waiting).state()).isEqualTo(JobState.CANCELLED);
    assertThat(starter.status(waiting).startedAt()).isNull();
    assertThat(logs.texts(waiting)).last().isEqualTo("Job cancelled before it started.");
  }

  @Test
  void cancel_runningJobThroughAnotherService_isNoticedByTheOwnerAtItsLeaseRenewal() {
    ManualRepeater ownerRepeater = new ManualRepeater();
    JobService owner = node("node-a", 1, ownerRepeater, bash("loop", "echo started; sleep 300"));
    JobService canceller = node("node-b", 1, new ManualRepeater(), bash("loop", "true"));
    String id = owner.submit(request("loop")).jobId();
    await().atMost(Duration.ofSeconds(60)).until(() -> logs.texts(id).contains("started"));

    JobRecord asked = canceller.cancel(id);
    assertThat(asked.state()).isEqualTo(JobState.CANCELLING);
    assertThat(asked.state().wireName()).isEqualTo("running"); // clients see no new state
    assertThat(owner.status(id).state()).isEqualTo(JobState.CANCELLING);
    ownerRepeater.runDue(); // the owner's lease renewal reads the store and sees the cancel

    awaitState(owner, id, JobState.CANCELLED);
    assertThat(logs.texts(id)).last().isEqualTo("Job cancelled.");
  }

  @Test
  void cancel_runningJobFromAnotherServiceOnTheSameBus_isActedOnAtOnceWithoutARenewal() {
    LocalStatusBus bus = new LocalStatusBus();
    JobService owner = node("node-a", 1, new ManualRepeater(), bus, bash("loop", "echo started; sleep 300"));
    JobService edge = node("node-a", 1, new ManualRepeater(), bus, bash("loop", "true"));
    List<JobRecord> seen = new CopyOnWriteArrayList<>();
    owner.onStatus(seen::add);
    String id = owner.submit(request("loop")).jobId();
    await().atMost(Duration.ofSeconds(60)).until(() -> logs.texts(id).contains("started"));

    edge.cancel(id);
    // why wait on what listeners heard: the news is published after the store changed, so the store can be ahead of it
    await().atMost(Duration.ofSeconds(60)).until(() -> !seen.isEmpty() && seen.getLast().state() == JobState.CANCELLED);
    assertThat(logs.texts(id)).last().isEqualTo("Job cancelled.");
    assertThat(seen).extracting(JobRecord::state).doesNotContain(JobState.CANCELLING);
  }

  /** Blocks until released (or interrupted), after telling {@code started} its job id. */
  private final class Blocking implements Generator {
    final String name;
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch interrupted = new CountDownLatch(1);
    final java.util.concurrent.atomic.AtomicReference<JobContext> context = new java.util.concurrent.atomic.AtomicReference<>();
    final Consumer<String> started;

    Blocking(String name, Consumer<String> started) {
      this.name = name;
      this.started = started;
      releases.add(release);
    }

    @Override public String name() { return name; }
    @Override public String description() { return ""; }
    @Override public InputKind input() { return InputKind.NONE; }
    @Override public List<ParamSpec> params() { return List.of(); }

    @Override
    public int run(JobContext job) throws InterruptedException {
      context.set(job);
      started.accept(job.jobId());
      try {
        release.await();
      } catch (InterruptedException e) {
        interrupted.countDown();
        throw e;
      }
      return 0;
    }
  }

}
