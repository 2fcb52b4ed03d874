package dev.buildcast.job;

import dev.buildcast.time.Repeater;
import dev.buildcast.generator.Generator;
import dev.buildcast.generator.GeneratorRegistry;
import dev.buildcast.generator.JobContext;
import dev.buildcast.generator.JobSecrets;
import dev.buildcast.generator.LeftoverProcesses;
import dev.buildcast.log.JobLog;
import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.LogStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides everything about jobs: checks and creates them, queues them, moves them through their
 * states, cancels them, and answers who may see them. Running a generator is {@link JobRunner}'s
 * work, storing is the stores'.
 *
 * <p>The truth about a job is its record in the {@link JobStore}; every change of it is a
 * compare-and-set on the record's version, so this service can share a store with another
 * instance (a second node, or this node's next life) and a stale write loses. What is held here is
 * only what belongs to this process: the open logs of jobs it knows, and the runs it owns
 * ({@link OwnedRun}: a thread and a generator). A cancel is a state change ({@link
 * JobState#CANCELLING}) that the owner notices on the {@link StatusBus} or when it renews its
 * lease; a job whose lease passed is failed by whoever notices it first.
 *
 * <p>Concurrency: records change only through the store's compare-and-set; {@link #lifeLines}
 * orders a job's "queued" line before its "started" line. Why one class of this size: the life of
 * a job (submit, claim, run, finish, cancel, lease, restart) is one set of rules over one record.
 */
public final class JobService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(JobService.class);
  static final String RESTARTED = "server restarted";
  static final String LEASE_EXPIRED = "its server stopped renewing it";

  private final JobStore store;
  private final LogStore logs;
  private final GeneratorRegistry generators;
  private final JobQueue queue;
  private final StatusBus bus;
  private final JobFiles files;
  private final InputFiles inputs;
  private final JobRequestCheck requests;
  private final JobRunner runner;
  private final InputCheck inputCheck;
  private final JobSettings settings;
  private final Clock clock;
  private final String nodeId;
  private final Duration lease;
  /** How long a job that ended waits for the blob store to take its files (see {@link #storeFilesWaiting}). */
  private final Duration storeFilesFor;
  private final LeaseTrust leaseTrust;
  private final JobWorkers workers;
  /** Open logs of the unfinished jobs this process knows (queued or running here). */
  private final Map<String, JobLog> openLogs = new ConcurrentHashMap<>();
  /**
   * Jobs this node ended in the store (failed by their lease, cancelled while queued) whose last
   * line, seal and news could not be written then (the log's engine was unreachable): written at
   * each look at the leases until they are, so no watcher waits forever for a job that ended.
   */
  private final Map<String, Ending> unwrittenEndings = new ConcurrentHashMap<>();
  private final Map<String, OwnedRun> runs = new ConcurrentHashMap<>();
  /**
   * The job secrets of jobs submitted here and not started yet, by job id. why only here: a secret
   * is never written anywhere, so it lives as long as this process and no longer; the record keeps
   * only the names, so a run without them can say what was lost.
   */
  private final Map<String, Map<String, String>> heldSecrets = new ConcurrentHashMap<>();
  /** The visible state of each unfinished job, as last published (for the gauges). */
  private final Map<String, JobState> live = new ConcurrentHashMap<>();
  private final Object lifeLines = new Object();
  private final List<Repeater.Repeating> schedules = new ArrayList<>();
  private volatile boolean closing;
  /** Told how many jobs each lease sweep (and the start-up recovery) failed because their lease passed. */
  private volatile IntConsumer leaseFailures = jobs -> {};

  public JobService(JobServiceOptions options) {
    this.store = options.store();
    this.logs = options.logs();
    this.generators = options.generators();
    this.queue = options.queue();
    this.bus = options.bus();
    this.files = options.files();
    this.inputs = options.inputs();
    this.inputCheck = options.inputCheck();
    this.requests = new JobRequestCheck(generators, inputs);
    this.runner = new JobRunner(options.settings().timer());
    this.settings = options.settings();
    this.clock = options.clock();
    this.nodeId = options.nodeId();
    this.lease = options.lease();
    this.storeFilesFor = options.storeFilesFor();
    this.leaseTrust = options.leaseTrust();
    this.workers = new JobWorkers(queue, this::run);
    bus.subscribe(this::observed);
    schedules.add(options.repeater().repeat(options.renewEvery(), this::renewLeasesQuietly));
    schedules.add(options.repeater().repeat(options.leaseSweepEvery(), this::failExpiredLeasesQuietly));
  }

  public GeneratorRegistry generators() {
    return generators;
  }

  /** The bus status changes go out on. */
  public StatusBus statusBus() {
    return bus;
  }

  /** This node's id, the owner of the jobs it runs. */
  public String nodeId() {
    return nodeId;
  }

  /**
   * Registers a listener told of every change a client can see (state, progress), on the changing
   * thread. Delegates to the {@link StatusBus}; an asked-for cancel is not shown (clients see the
   * job running until it ends cancelled).
   */
  public void onStatus(Consumer<JobRecord> listener) {
    bus.subscribe(record -> {
      if (record.state() != JobState.CANCELLING) listener.accept(record);
    });
  }

  /** Checks the request, creates the job and queues it. */
  public JobTicket submit(JobRequest request) {
    JobRequestCheck.Checked checked = requests.check(request);
    String jobId = SecureTokens.newId();
    String token = SecureTokens.newToken();
    files.create(jobId);
    JobRecord record =
        new JobRecord(jobId, SecureTokens.hash(token), checked.generator().name(), request.params(),
            request.uploadId().orElse(null), JobState.QUEUED, 0, null, null, clock.instant(), null, null, List.of(),
            checked.described().orElse(null), 0, null, null, List.copyOf(request.secrets().keySet()));
    // why before the save: a worker may claim the job as soon as it is queued
    if (!request.secrets().isEmpty()) heldSecrets.put(jobId, request.secrets());
    store.save(record);
    JobLog jobLog = openLogs.computeIfAbsent(jobId, logs::open);
    bus.publish(record);
    // why the lock: the "started" line (written by the worker that claims the job) comes after this one
    synchronized (lifeLines) {
      // why announced by the queue: no node claims the job (and writes its "started" line, taking its log over) before this line
      queue.enqueue(jobId, ahead -> jobLog.append(LogLevel.SYSTEM, ahead == 0
          ? "Job queued for generator " + record.generator() + "."
          : "Job queued for generator " + record.generator() + ": " + ahead + (ahead == 1 ? " job" : " jobs") + " ahead of it."));
    }
    log.info("{} - queued for generator {}", jobId, record.generator());
    workers.wake();
    return new JobTicket(jobId, token);
  }

  /** The job's current record, as stored. */
  public JobRecord status(String jobId) {
    if (!JobFiles.isValidId(jobId)) throw new JobNotFoundException(jobId);
    return store.find(jobId).orElseThrow(() -> new JobNotFoundException(jobId));
  }

  /**
   * Waits until the job's stored state is final, for at most {@code limit}, and gives its record.
   * why a reader of the log needs it: a log is sealed just before its job's final record is stored
   * (whoever sees the job ended finds its whole log), so one that followed the log to its end and
   * then asks for the outcome could still be told the job runs.
   *
   * @return the stored record: final, unless {@code limit} passed first
   */
  public JobRecord awaitFinished(String jobId, Duration limit) throws InterruptedException {
    CountDownLatch finished = new CountDownLatch(1);
    // why subscribed before the read: a record stored between the two is still seen
    StatusBus.Subscription subscription = bus.subscribe(record -> {
      if (record.id().equals(jobId) && record.state().isFinished()) finished.countDown();
    });
    try {
      JobRecord now = status(jobId);
      if (now.state().isFinished()) return now;
      finished.await(limit.toNanos(), TimeUnit.NANOSECONDS);
      return status(jobId);
    } finally {
      subscription.close();
    }
  }

  /** The job's record if {@code token} grants access to it; the one place tokens are checked. */
  public JobRecord authorize(String jobId, String token) {
    JobRecord record = status(jobId);
    if (!SecureTokens.matches(token, record.tokenHash())) {
      throw new AccessDeniedException(jobId, token == null || token.isEmpty());
    }
    return record;
  }

  /**
   * A handle of its own on the job's detailed log (the live one while it runs), which the caller
   * closes: closing it leaves the run's own handle open, and in cluster mode the last one closed
   * lets this node stop following the job's stream.
   */
  public JobLog log(String jobId) {
    if (!openLogs.containsKey(jobId)) status(jobId);
    return logs.open(jobId);
  }

  public JobFiles files() {
    return files;
  }

  /** The folder holding the website the job made, when its generator declares that it makes one. */
  public Optional<Path> siteFolder(JobRecord job) {
    return generators.find(job.generator()).flatMap(Generator::siteFolder).map(folder -> files.workDir(job.id()).resolve(folder));
  }

  /**
   * Cancels a job, from any entry point and any node: a waiting one ends cancelled at once and never
   * starts; a running one is marked {@link JobState#CANCELLING}, and its owner kills its process
   * tree and ends it cancelled. No-op for a finished job.
   *
   * @return the record after the change (a cancelling job shows as running to clients)
   */
  public JobRecord cancel(String jobId) {
    while (true) {
      JobRecord now = status(jobId);
      if (now.state().isFinished() || now.state() == JobState.CANCELLING) return now;
      if (now.state() == JobState.QUEUED) {
        JobRecord end = now.finished(JobState.CANCELLED, null, "cancelled before it started", clock.instant(), files.blobs().artifacts(jobId));
        Optional<JobRecord> done = store.update(now.version(), end);
        if (done.isEmpty()) continue; // why: claimed or changed meanwhile; decide again on what it is now
        queue.remove(jobId);
        heldSecrets.remove(jobId);
        ended(done.get(), LogLevel.ERROR, "Job cancelled before it started.");
        return done.get();
      }
      Optional<JobRecord> asked = store.update(now.version(), now.cancelling());
      if (asked.isPresent()) {
        log.info("{} - cancel asked (owner {})", jobId, asked.get().owner());
        bus.publish(asked.get());
        return asked.get();
      }
    }
  }

  /**
   * Starts waiting jobs while this node has free slots. The service does so itself after a submit
   * here and whenever a run here ends; a node sharing its queue with others also calls it now and
   * then, for jobs submitted elsewhere.
   */
  public void claimWaiting() {
    workers.wake();
  }

  /** Told of every change on the bus: keeps the gauges' view, and stops an owned run asked to cancel. */
  private void observed(JobRecord record) {
    if (record.state().isFinished()) live.remove(record.id());
    else live.put(record.id(), record.state().visible());
    if (record.state() == JobState.CANCELLING && nodeId.equals(record.owner())) {
      OwnedRun run = runs.get(record.id());
      if (run != null) run.stop(OwnedRun.Stop.CANCEL);
    }
    // why: this node wrote the queued line of a job another node now runs (or ended); the handle kept
    // for it would keep this node following the job's stream, in cluster mode, until it restarts
    if (record.state() != JobState.QUEUED && !nodeId.equals(record.owner()) && !runs.containsKey(record.id())) {
      JobLog kept = openLogs.remove(record.id());
      if (kept != null) kept.close();
    }
  }

  /** Runs a claimed job id on a worker thread: claims it in the store, rebuilds its run from the record, runs it. */
  private void run(String jobId) {
    JobRecord queued = store.find(jobId).orElse(null);
    if (queued == null || queued.state() != JobState.QUEUED) {
      forget(jobId); // why: ended elsewhere (cancelled through another instance) while it waited here
      return;
    }
    // why: a job submitted on another node of a cluster has no folder here yet (a no-op for one submitted here)
    files.create(jobId);
    OwnedRun run = new OwnedRun(jobId, openLogs.computeIfAbsent(jobId, logs::open));
    // why before the claim: a cancel published right after the claim must find the run
    runs.put(jobId, run);
    try {
      // why after the put: either close() sees this run, or this run sees closing (and stays queued for the next start)
      if (closing) return;
      Instant at = clock.instant();
      Optional<JobRecord> claimed = store.update(queued.version(), queued.running(at, nodeId, at.plus(lease)));
      if (claimed.isEmpty()) {
        forget(jobId);
        return;
      }
      run.claimed = true;
      synchronized (lifeLines) {
        run.log.append(LogLevel.SYSTEM, "Job started: generator " + queued.generator() + ".");
      }
      bus.publish(claimed.get());
      runClaimed(run, claimed.get());
    } finally {
      runs.remove(jobId);
    }
  }

  private void runClaimed(OwnedRun run, JobRecord record) {
    String jobId = record.id();
    // why first: a job that ends before its generator starts must not leave its secrets held here
    JobSecrets secrets = takeSecrets(record);
    Optional<Generator> generator = generators.find(record.generator());
    if (generator.isEmpty()) {
      finish(run, JobState.FAILED, null, "generator " + record.generator() + " is no longer configured",
          "Job failed: the generator " + record.generator() + " is no longer configured on this server.");
      return;
    }
    Optional<Path> input;
    try {
      input = copyInput(record);
    } catch (IOException | RuntimeException e) {
      log.warn("{} - copying the input upload into the job's folder failed", jobId, e);
      finish(run, JobState.FAILED, null, "input copy failed", "Job failed: its input upload could not be copied for the job; it was logged.");
      return;
    }
    if (record.uploadId() != null && input.isEmpty()) {
      finish(run, JobState.FAILED, null, "input upload no longer available",
          "Job failed: its input upload is no longer available (it expired or was deleted); upload it again.");
      return;
    }
    try {
      runWithInput(run, record, generator.get(), input, secrets);
    } finally {
      // why: the upload keeps its bytes in the blob store; the job's copy is only for this run
      input.ifPresent(JobService::deleteQuietly);
    }
  }

  /**
   * Copies the job's input upload from the blob store into the job's folder ({@link
   * JobFiles#inputFile}); empty when the job has none or the upload is gone.
   */
  private Optional<Path> copyInput(JobRecord record) throws IOException {
    if (record.uploadId() == null) return Optional.empty();
    Path target = files.inputFile(record.id());
    Files.deleteIfExists(target); // why: a run an earlier process began may have left its copy
    return inputs.copyTo(record.uploadId(), target) ? Optional.of(target) : Optional.empty();
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("could not delete the job's input copy {}; it goes with the job's folder", file, e);
    }
  }

  private void runWithInput(OwnedRun run, JobRecord record, Generator generator, Optional<Path> input, JobSecrets secrets) {
    String jobId = record.id();
    if (!inputAccepted(run, generator, input)) return;
    JobLogSink sink = new JobLogSink(run.log, p -> progress(run, p), settings.secrets());
    secrets.values().forEach(sink::mask);
    JobContext context = new JobContext(jobId, files.workDir(jobId), files.outputDir(jobId), input, record.params(), sink, secrets, nodeId);
    JobRunner.Outcome outcome;
    if (run.enterGenerator()) {
      try {
        outcome = runner.run(generator, context, settings.timeout(generator.name()), () -> run.stopped() == OwnedRun.Stop.CANCEL);
      } finally {
        run.leaveGenerator();
      }
    } else {
      outcome = run.stopped() == OwnedRun.Stop.CANCEL ? new JobRunner.Outcome.Cancelled() : new JobRunner.Outcome.Stopped();
    }
    if (run.stopped() == OwnedRun.Stop.LOST) {
      // why nothing more: whoever took the job over ends it (its last line, the seal, the record); a
      // write of ours would be refused at best, and artifacts stored now would be a failed job's
      forgetLost(run);
      return;
    }
    restrictFiles(jobId);
    boolean stored = storeFilesWaiting(run, generator.siteFolder().map(folder -> files.workDir(jobId).resolve(folder)));
    if (!stored && run.stopped() == OwnedRun.Stop.CANCEL) outcome = new JobRunner.Outcome.Cancelled();
    switch (outcome) {
      case JobRunner.Outcome.Exited e when e.exitCode() == 0 && !stored ->
          finish(run, JobState.FAILED, 0, "files not stored", "Job failed: its artifacts could not be stored; it was logged.");
      case JobRunner.Outcome.Exited e when e.exitCode() == 0 -> finish(run, JobState.SUCCEEDED, 0, null, "Job finished with exit code 0.");
      case JobRunner.Outcome.Exited e ->
          finish(run, JobState.FAILED, e.exitCode(), "exit code " + e.exitCode(), "Job failed: exit code " + e.exitCode() + ".");
      case JobRunner.Outcome.TimedOut t ->
          finish(run, JobState.FAILED, null, "timed out after " + human(t.after()), "Job timed out after " + human(t.after()) + " and was stopped.");
      case JobRunner.Outcome.Cancelled c -> finish(run, JobState.CANCELLED, null, "cancelled", "Job cancelled.");
      case JobRunner.Outcome.Crashed c -> {
        // why masked: the reason is stored in the record, and an exception's message may quote a secret
        String reason = sink.masked(c.reason());
        finish(run, JobState.FAILED, null, reason, "Job failed: " + reason);
      }
      case JobRunner.Outcome.Stopped s ->
          finish(run, JobState.FAILED, null, "server stopped", "The server stopped while this job was running; the job was stopped.");
    }
  }

  /**
   * Hands the run its secrets and forgets them here: from now on only the generator's context holds
   * them. Names the record lists without a value held here were lost (a restart since submit).
   */
  private JobSecrets takeSecrets(JobRecord record) {
    Map<String, String> held = heldSecrets.remove(record.id());
    if (held == null) held = Map.of();
    if (held.isEmpty() && record.secretNames().isEmpty()) return JobSecrets.none();
    Set<String> lost = new HashSet<>(record.secretNames());
    lost.removeAll(held.keySet());
    if (!lost.isEmpty()) log.warn("{} - submitted with secrets {} that were not kept over a restart", record.id(), lost);
    return new JobSecrets(held, lost);
  }

  /**
   * Narrows what the generator made in the job's folder to 700/600. why: a built-in generator
   * writes with the server's umask, and a process may chmod its own files.
   */
  private void restrictFiles(String jobId) {
    try {
      PrivateFiles.restrictTree(files.workDir(jobId));
      PrivateFiles.restrictTree(files.outputDir(jobId));
    } catch (java.io.IOException | RuntimeException e) {
      log.warn("{} - could not narrow the permissions of the job's files", jobId, e);
    }
  }

  /**
   * {@link #storeFiles}, tried again while the blob store fails, for up to {@link #storeFilesFor}
   * (pauses growing from 0.1 to 2 s), with one line in the job's log saying why it waits. why: in a
   * cluster the blob store is object storage, whose outage would otherwise fail every job that
   * ends during it although its generator succeeded; the job keeps running (its lease renewed)
   * meanwhile. Stops waiting when the run is stopped (cancelled, lost, the server stopping).
   */
  private boolean storeFilesWaiting(OwnedRun run, Optional<Path> siteFolder) {
    Instant deadline = clock.instant().plus(storeFilesFor);
    Duration pause = Duration.ofMillis(100);
    boolean told = false;
    while (true) {
      RuntimeException failure;
      try {
        files.blobs().store(run.jobId, siteFolder);
        if (told) run.log.append(LogLevel.SYSTEM, "The job's artifacts are stored now.");
        return true;
      } catch (RuntimeException e) {
        failure = e;
      }
      if (!clock.instant().isBefore(deadline) || run.stopped() != null) {
        log.error("{} - could not store the job's artifacts and site", run.jobId, failure);
        return false;
      }
      if (!told) {
        log.warn("{} - could not store the job's artifacts and site yet; trying again for up to {}: {}", run.jobId, human(storeFilesFor),
            failure.getMessage());
        run.log.append(LogLevel.SYSTEM, "Waiting to store the job's artifacts: the file storage cannot be written now; trying again for up to "
            + human(storeFilesFor) + ".");
        told = true;
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(2)) < 0 ? pause.multipliedBy(2) : Duration.ofSeconds(2);
    }
  }

  /**
   * Copies the job's artifacts and site into the blob store, before the job is marked finished.
   * Its process tree is gone by now, so the folder holds still while it is copied.
   */
  private boolean storeFiles(String jobId, Optional<Path> siteFolder) {
    try {
      files.blobs().store(jobId, siteFolder);
      return true;
    } catch (RuntimeException e) {
      log.error("{} - could not store the job's artifacts and site", jobId, e);
      return false;
    }
  }

  /**
   * Copies the files of finished jobs that have none in the blob store: jobs finished before
   * artifacts were blobs, jobs {@link #recover()} failed, or whose copy a crash cut short. Their
   * processes have ended.
   *
   * @return how many jobs were copied
   */
  public int storeFilesOfEarlierJobs() {
    int count = 0;
    for (JobRecord record : store.all()) {
      if (!record.state().isFinished() || runs.containsKey(record.id()) || files.blobs().isStored(record.id())) continue;
      if (!storeFiles(record.id(), siteFolder(record))) continue;
      count++;
      // why: a job failed by recover() was listed before its files were stored
      List<Artifact> stored = files.blobs().artifacts(record.id());
      if (!stored.equals(record.artifacts())) store.update(record.version(), record.withArtifacts(stored));
    }
    return count;
  }

  /** Runs the input check; a refusal fails the job at once, before the generator sees the file. */
  private boolean inputAccepted(OwnedRun run, Generator generator, Optional<Path> input) {
    if (input.isEmpty()) return true;
    try {
      inputCheck.check(generator.input(), input.get());
      return true;
    } catch (InputCheck.InputRejectedException e) {
      finish(run, JobState.FAILED, null, "input refused (" + e.check() + ")",
          "Job failed: the input was refused by the " + e.check() + ": " + e.getMessage() + ".");
      return false;
    } catch (RuntimeException e) {
      log.warn("{} - checking the input failed", run.jobId, e);
      finish(run, JobState.FAILED, null, "input check failed", "Job failed: the input could not be checked; it was logged.");
      return false;
    }
  }

  private void progress(OwnedRun run, int percentage) {
    if (run.storedPercentage == percentage) return;
    changeHeld(run, r -> r.percentage() == percentage ? null : r.withPercentage(percentage)).ifPresent(bus::publish);
    run.storedPercentage = percentage;
  }

  /**
   * Ends an owned run: its last line, the sealed log, the final record. Nothing is written when the
   * job is no longer held by this node (failed by whoever saw its lease pass): that late write is
   * refused, and the job keeps the end the other party gave it.
   */
  private void finish(OwnedRun run, JobState end, Integer exitCode, String reason, String line) {
    String jobId = run.jobId;
    JobRecord now = store.find(jobId).orElse(null);
    if (now == null || !now.isHeldBy(nodeId)) {
      refused(run, now, end.wireName());
      return;
    }
    // why the line first: whoever sees the job ended finds its whole log, sealed
    try {
      run.log.append(end == JobState.SUCCEEDED ? LogLevel.SYSTEM : LogLevel.ERROR, line);
      run.log.seal();
    } catch (IllegalStateException sealedMeanwhile) {
      refused(run, store.find(jobId).orElse(null), end.wireName());
      return;
    }
    Optional<JobRecord> done = changeHeld(run, r -> r.finished(end, exitCode, reason, clock.instant(), files.blobs().artifacts(jobId)));
    openLogs.remove(jobId);
    done.ifPresent(record -> {
      log.info("{} - {} ({})", jobId, end.wireName(), reason == null ? "ok" : reason);
      bus.publish(record);
    });
  }

  /**
   * Changes a record this node holds, by compare-and-set, retrying on concurrent changes (a cancel
   * asked elsewhere). Notices a cancel on the way, and stops the run when the job is no longer held.
   *
   * @param change the new record from the current one, or null for no change
   * @return the stored record when it changed; empty when unchanged or refused
   */
  private Optional<JobRecord> changeHeld(OwnedRun run, UnaryOperator<JobRecord> change) {
    while (true) {
      JobRecord now = store.find(run.jobId).orElse(null);
      if (now == null || !now.isHeldBy(nodeId)) {
        refused(run, now, "change");
        return Optional.empty();
      }
      if (now.state() == JobState.CANCELLING) run.stop(OwnedRun.Stop.CANCEL);
      JobRecord next = change.apply(now);
      if (next == null) return Optional.empty();
      Optional<JobRecord> stored = store.update(now.version(), next);
      if (stored.isPresent()) return stored;
    }
  }

  /** A write of this node's was refused: the job is not held here any more, so its generator stops. */
  private void refused(OwnedRun run, JobRecord now, String what) {
    log.warn("{} - {} refused: the job is no longer held by node {} (now {}, owner {}); stopping its generator", run.jobId, what, nodeId,
        now == null ? "deleted" : now.state().wireName(), now == null ? null : now.owner());
    run.stop(OwnedRun.Stop.LOST);
    openLogs.remove(run.jobId);
    live.remove(run.jobId);
  }

  private void forgetLost(OwnedRun run) {
    openLogs.remove(run.jobId);
    live.remove(run.jobId);
  }

  /**
   * Stops the generator of a job this node runs but no longer holds: another node took it over (it
   * fenced this node off the job's log), or this node was cut from the shared store for most of a
   * lease, so another one is about to. Its process tree is killed at once, and this node writes
   * nothing more for the job: whoever took it over ends it. Safe from any thread; does not block.
   *
   * @param why what happened, for this node's log
   * @return whether this node was running the job
   */
  public boolean stopLost(String jobId, String why) {
    OwnedRun run = runs.get(jobId);
    if (run == null) return false;
    log.warn("{} - {}; stopping its generator, this node writes nothing more for it", jobId, why);
    run.stop(OwnedRun.Stop.LOST);
    return true;
  }

  /**
   * {@link #stopLost} for every job this node runs (it was cut from the shared store for most of a
   * lease: other nodes will fail them all).
   *
   * @return how many runs were stopped
   */
  public int stopAllLost(String why) {
    int stopped = 0;
    for (String jobId : List.copyOf(runs.keySet())) if (stopLost(jobId, why)) stopped++;
    return stopped;
  }

  /**
   * Drops what this process held of a job that ended elsewhere. why the log handle is not closed:
   * whoever ended the job may be writing its last line through the same handle; it seals the log,
   * which releases the log's writer.
   */
  private void forget(String jobId) {
    heldSecrets.remove(jobId);
    live.remove(jobId);
    openLogs.remove(jobId);
  }

  /** Renews the lease of every run this node owns; notices cancels asked through the store. */
  void renewLeases() {
    for (OwnedRun run : List.copyOf(runs.values())) {
      // why: a run is listed before its claim is stored; its record still says queued, which would read as lost
      if (!run.claimed) continue;
      changeHeld(run, r -> r.withLease(clock.instant().plus(lease)));
    }
  }

  private void renewLeasesQuietly() {
    try {
      renewLeases();
    } catch (RuntimeException e) {
      // why catch: an exception would end the schedule, and every lease would then pass
      log.warn("renewing job leases failed; will retry", e);
    }
  }

  /**
   * Has {@code counter} told, after each look at the leases that failed jobs (every lease, and at
   * start-up), how many jobs it failed because their owner stopped renewing them. Must not block.
   */
  public void countLeaseFailuresWith(IntConsumer counter) {
    this.leaseFailures = Objects.requireNonNull(counter, "counter");
  }

  /**
   * Fails every running job whose lease has passed (its owner stopped renewing it), once: the
   * compare-and-set lets one noticer win. Jobs this process runs itself are renewed instead, as
   * their owner is plainly alive. Nothing is failed while the {@link LeaseTrust} says a passed
   * lease does not mean a dead owner yet (the shared store was just unreachable, so nobody could
   * renew): the sweep after that judges.
   *
   * @return how many this call failed
   */
  public int failExpiredLeases() {
    writeUnwrittenEndings();
    if (!leaseTrust.expiredLeasesMeanDeadOwners()) {
      log.info("not looking for expired job leases yet: the job store was unreachable less than a lease ago");
      return 0;
    }
    Instant now = clock.instant();
    int failed = 0;
    for (JobRecord record : store.withExpiredLeases(now)) {
      if (runs.containsKey(record.id())) continue;
      if (failUnfinished(record, LEASE_EXPIRED, "The server running this job stopped renewing its claim on it; the job was failed.")) failed++;
    }
    if (failed > 0) leaseFailures.accept(failed);
    return failed;
  }

  private void failExpiredLeasesQuietly() {
    try {
      failExpiredLeases();
    } catch (RuntimeException e) {
      log.warn("looking for expired job leases failed; will retry", e);
    }
  }

  /** Fails a job that is not running here, if it is still as read; false when someone changed it first. */
  private boolean failUnfinished(JobRecord record, String reason, String line) {
    String jobId = record.id();
    Optional<JobRecord> failed =
        store.update(record.version(), record.finished(JobState.FAILED, null, reason, clock.instant(), files.blobs().artifacts(jobId)));
    if (failed.isEmpty()) return false;
    ended(failed.get(), LogLevel.ERROR, line);
    log.warn("{} - marked failed: {} (it was {}, owner {})", jobId, reason, record.state().wireName(), record.owner());
    return true;
  }

  /**
   * After a change that ended a job not run here: its last line, the sealed log, then the news.
   * When the log cannot be written now, the store already says the job ended, so this is kept in
   * {@link #unwrittenEndings} and written later rather than thrown to whoever ended it.
   */
  private void ended(JobRecord record, LogLevel level, String line) {
    Ending ending = new Ending(level, line);
    try {
      writeEnding(record.id(), ending, false);
    } catch (RuntimeException e) {
      unwrittenEndings.put(record.id(), ending);
      log.warn("{} - {}, but its last line and seal could not be written yet; trying again every lease: {}", record.id(),
          record.state().wireName(), e.getMessage());
      return;
    }
    bus.publish(record);
  }

  private record Ending(LogLevel level, String line) {}

  /**
   * @param again whether an earlier try may have appended the line already (it failed after the
   *     append, at the seal): then a log that ends with it gets only the seal
   */
  private void writeEnding(String jobId, Ending ending, boolean again) {
    JobLog kept = openLogs.remove(jobId);
    try (JobLog target = kept != null ? kept : logs.open(jobId)) {
      if (target.isSealed()) return;
      if (!again || !endsWith(target, ending.line())) target.append(ending.level(), ending.line());
      target.seal();
    }
  }

  private static boolean endsWith(JobLog log, String text) {
    long last = log.lastSeq();
    if (last == 0) return false;
    List<LogLine> tail = log.read(last - 1, LogFilter.ALL, 1);
    return !tail.isEmpty() && tail.getFirst().text().equals(text);
  }

  /** Writes what {@link #ended} could not; each ending that is written is then told on the bus. */
  private void writeUnwrittenEndings() {
    for (Map.Entry<String, Ending> unwritten : unwrittenEndings.entrySet()) {
      String jobId = unwritten.getKey();
      try {
        writeEnding(jobId, unwritten.getValue(), true);
      } catch (RuntimeException e) {
        log.debug("{} - its last line and seal still cannot be written", jobId, e);
        continue;
      }
      unwrittenEndings.remove(jobId);
      store.find(jobId).ifPresent(bus::publish);
      log.info("{} - its last line and seal are written now", jobId);
    }
  }

  /**
   * At start-up, before any job is submitted: fails the jobs this node was running when it stopped,
   * killing the process trees their generators left (the server was killed), and fails those of
   * any node whose lease has passed; and queues again, in the order they were first
   * queued, the jobs that were waiting. Jobs other nodes hold are left to them, and so are waiting
   * jobs the queue still holds (a cluster's queue outlives a node) or another node claimed.
   */
  public Recovered recover() {
    Instant now = clock.instant();
    int failed = 0;
    List<JobRecord> waiting = new ArrayList<>();
    for (JobRecord record : store.all()) {
      if (record.state() == JobState.QUEUED) {
        waiting.add(record);
      } else if (record.state().isRunning() && (record.owner() == null || record.owner().equals(nodeId))) {
        // why an owner of null is ours: a record saved before owners were kept comes from this single node
        if (failUnfinished(record, RESTARTED, "The server restarted while this job was running; the job was stopped.")) failed++;
      } else if (record.leaseExpiredAt(now) && leaseTrust.expiredLeasesMeanDeadOwners()) {
        if (failUnfinished(record, LEASE_EXPIRED, "The server running this job stopped renewing its claim on it; the job was failed.")) {
          failed++;
          leaseFailures.accept(1);
        }
      }
    }
    // why after the changes: a late write of a killed tree's run (in a test, a second service in this JVM) is then refused
    killLeftoverProcesses();
    waiting.sort(Comparator.comparing(JobRecord::queuedAt).thenComparing(JobRecord::id));
    int requeued = 0;
    for (JobRecord record : waiting) if (requeue(record)) requeued++;
    workers.wake();
    return new Recovered(failed, requeued);
  }

  /**
   * Kills the process tree a generator left running in any job folder of this node, whatever its
   * job's state: in a cluster another node fails a dead node's job by its lease before that node
   * starts again, so the record no longer says the tree was this node's. No job runs here yet.
   */
  private void killLeftoverProcesses() {
    List<Path> folders;
    try (Stream<Path> listed = Files.list(files.jobsRoot())) {
      folders = listed.filter(p -> JobFiles.isValidId(p.getFileName().toString()) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList();
    } catch (NoSuchFileException e) {
      return; // no job has run on this node yet
    } catch (IOException e) {
      log.warn("could not list the job folders to kill what their generators left running", e);
      return;
    }
    for (Path folder : folders) {
      if (LeftoverProcesses.kill(folder)) log.warn("{} - killed the process tree its generator left running", folder.getFileName());
    }
  }

  /** Queues a waiting job again; false when the queue holds it already (waiting or claimed). */
  private boolean requeue(JobRecord record) {
    live.put(record.id(), JobState.QUEUED);
    // why ask first: a cluster's shared queue outlives this node, so the job may still wait there in its place
    if (queue.position(record.id()).isPresent()) return false;
    JobLog jobLog = openLogs.computeIfAbsent(record.id(), logs::open);
    synchronized (lifeLines) {
      boolean[] queuedNow = {false};
      try {
        queue.enqueue(record.id(), ahead -> {
          queuedNow[0] = true;
          jobLog.append(LogLevel.SYSTEM, ahead == 0
              ? "The server restarted; the job is queued again."
              : "The server restarted; the job is queued again: " + ahead + (ahead == 1 ? " job" : " jobs") + " ahead of it.");
        });
      } catch (IllegalStateException alreadyQueued) {
        if (queuedNow[0]) throw alreadyQueued; // why: the log refused the line; the job is queued all the same
        // why: claimed by another node since the position was asked; it runs there
        openLogs.remove(record.id(), jobLog);
        jobLog.close();
        return false;
      }
    }
    log.info("{} - queued again after a restart", record.id());
    return true;
  }

  /**
   * What {@link #recover()} did.
   *
   * @param failed jobs failed (running here when the server stopped, or with a passed lease)
   * @param requeued jobs queued again (not those the queue still held)
   */
  public record Recovered(int failed, int requeued) {}

  /**
   * Deletes a finished job: its record, its log, its blobs (artifacts, site) and its folder (work, output). Never a queued or
   * running one.
   *
   * @return whether it was deleted
   */
  public boolean deleteFinished(String jobId) {
    if (live.containsKey(jobId)) return false;
    JobRecord record = store.find(jobId).orElse(null);
    if (record == null || !record.state().isFinished()) return false;
    // why the record first: from then on the job is not found, so nobody opens what is deleted next
    store.delete(jobId);
    logs.delete(jobId);
    files.blobs().delete(jobId);
    files.delete(jobId);
    log.info("{} - deleted ({} at {})", jobId, record.state().wireName(), record.finishedAt());
    return true;
  }

  /** How many jobs are queued or running now, by the state clients see. */
  public Map<JobState, Long> activeCounts() {
    Map<JobState, Long> counts = new EnumMap<>(JobState.class);
    for (JobState state : live.values()) counts.merge(state, 1L, Long::sum);
    return counts;
  }

  /** Every stored job record (reads the store: not for hot paths). */
  public List<JobRecord> allRecords() {
    return store.all();
  }

  /**
   * Stops: starts no more jobs, stops the running ones (each fails with a line saying the server
   * stopped; their process trees are killed) and waits for them to write it. Queued jobs stay
   * queued in the store and run after the next start.
   */
  @Override
  public void close() {
    closing = true;
    workers.stopClaiming();
    schedules.forEach(Repeater.Repeating::cancel);
    for (OwnedRun run : runs.values()) run.stop(OwnedRun.Stop.SHUTDOWN);
    workers.close();
  }

  private static String human(Duration d) {
    return d.toMinutes() >= 1 && d.toSecondsPart() == 0 ? d.toMinutes() + " min" : d.toMillis() / 1000.0 + " s";
  }
}
