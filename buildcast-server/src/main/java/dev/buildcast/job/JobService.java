package dev.buildcast.job;

import dev.buildcast.generator.Generator;
import dev.buildcast.generator.GeneratorRegistry;
import dev.buildcast.generator.JobContext;
import dev.buildcast.log.JobLog;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides everything about jobs: checks and creates them, queues them, moves them through their
 * states, cancels them, and answers who may see them. Running a generator is {@link JobRunner}'s
 * work, storing is the stores'.
 *
 * <p>Concurrency: the state of a job that is queued or running is held in {@link #active}; every
 * change of it happens under that job's {@link ActiveJob} lock, then is saved and announced.
 * Finished jobs are read from the {@link JobStore}.
 */
public final class JobService {

  private static final Logger log = LoggerFactory.getLogger(JobService.class);

  private final JobStore store;
  private final LogStore logs;
  private final GeneratorRegistry generators;
  private final JobQueue queue;
  private final JobFiles files;
  private final JobRequestCheck requests;
  private final JobRunner runner;
  private final InputCheck inputCheck;
  private final JobSettings settings;
  private final Clock clock;
  private final Map<String, ActiveJob> active = new ConcurrentHashMap<>();
  private final List<Consumer<JobRecord>> statusListeners = new CopyOnWriteArrayList<>();

  public JobService(
      JobStore store,
      LogStore logs,
      GeneratorRegistry generators,
      JobQueue queue,
      JobFiles files,
      InputFiles inputs,
      JobSettings settings,
      Clock clock) {
    this(store, logs, generators, queue, files, inputs, InputCheck.none(), settings, clock);
  }

  /** With {@code inputCheck} run on each job's input before its generator (zip safety, for instance). */
  public JobService(
      JobStore store,
      LogStore logs,
      GeneratorRegistry generators,
      JobQueue queue,
      JobFiles files,
      InputFiles inputs,
      InputCheck inputCheck,
      JobSettings settings,
      Clock clock) {
    this.inputCheck = inputCheck;
    this.store = store;
    this.logs = logs;
    this.generators = generators;
    this.queue = queue;
    this.files = files;
    this.requests = new JobRequestCheck(generators, inputs);
    this.runner = new JobRunner(settings.timer());
    this.settings = settings;
    this.clock = clock;
  }

  public GeneratorRegistry generators() {
    return generators;
  }

  /** Registers a listener told of every state or progress change, on the changing thread. */
  public void onStatus(Consumer<JobRecord> listener) {
    statusListeners.add(listener);
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
            checked.described().orElse(null));
    ActiveJob job = new ActiveJob(record, logs.open(jobId));
    active.put(jobId, job);
    store.save(record);
    // why: holding the job's lock keeps its "started" line (written under the lock) after this one
    synchronized (job) {
      int ahead = queue.enqueue(jobId, () -> run(job, checked));
      job.log.append(LogLevel.SYSTEM, ahead == 0
          ? "Job queued for generator " + record.generator() + "."
          : "Job queued for generator " + record.generator() + ": " + ahead + (ahead == 1 ? " job" : " jobs") + " ahead of it.");
    }
    log.info("{} - queued for generator {}", jobId, record.generator());
    return new JobTicket(jobId, token);
  }

  /** The job's current record. */
  public JobRecord status(String jobId) {
    if (!JobFiles.isValidId(jobId)) throw new JobNotFoundException(jobId);
    ActiveJob job = active.get(jobId);
    if (job != null) return job.record;
    return store.find(jobId).orElseThrow(() -> new JobNotFoundException(jobId));
  }

  /** The job's record if {@code token} grants access to it; the one place tokens are checked. */
  public JobRecord authorize(String jobId, String token) {
    JobRecord record = status(jobId);
    if (!SecureTokens.matches(token, record.tokenHash())) {
      throw new AccessDeniedException(jobId, token == null || token.isEmpty());
    }
    return record;
  }

  /** The job's detailed log (the live one while it runs). */
  public JobLog log(String jobId) {
    ActiveJob job = active.get(jobId);
    if (job != null) return job.log;
    status(jobId);
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
   * Cancels a job: a waiting one never starts; a running one has its process tree killed. No-op for
   * a finished job.
   */
  public JobRecord cancel(String jobId) {
    ActiveJob job = active.get(jobId);
    if (job == null) return status(jobId);
    synchronized (job) {
      if (job.record.state().isFinished()) return job.record;
      job.cancelRequested = true;
      if (queue.remove(jobId)) {
        finish(job, JobState.CANCELLED, null, "cancelled before it started", "Job cancelled before it started.");
      } else if (job.worker != null) {
        job.worker.interrupt();
      }
      return job.record;
    }
  }

  private void run(ActiveJob job, JobRequestCheck.Checked checked) {
    String jobId = job.record.id();
    synchronized (job) {
      if (job.record.state().isFinished()) return;
      job.worker = Thread.currentThread();
      update(job, job.record.running(clock.instant()));
    }
    Generator generator = checked.generator();
    job.log.append(LogLevel.SYSTEM, "Job started: generator " + generator.name() + ".");
    if (!inputAccepted(job, generator, checked)) return;
    JobLogSink sink = new JobLogSink(job.log, p -> progress(job, p), settings.secrets());
    JobContext context =
        new JobContext(jobId, files.workDir(jobId), files.outputDir(jobId), checked.input(), job.record.params(), sink);
    JobRunner.Outcome outcome = runner.run(generator, context, settings.timeout(generator.name()), () -> job.cancelRequested);
    restrictFiles(jobId);
    boolean stored = storeFiles(jobId, generator.siteFolder().map(folder -> files.workDir(jobId).resolve(folder)));
    synchronized (job) {
      job.worker = null;
      switch (outcome) {
        case JobRunner.Outcome.Exited e when e.exitCode() == 0 && !stored ->
            finish(job, JobState.FAILED, 0, "files not stored", "Job failed: its artifacts could not be stored; it was logged.");
        case JobRunner.Outcome.Exited e when e.exitCode() == 0 ->
            finish(job, JobState.SUCCEEDED, 0, null, "Job finished with exit code 0.");
        case JobRunner.Outcome.Exited e ->
            finish(job, JobState.FAILED, e.exitCode(), "exit code " + e.exitCode(), "Job failed: exit code " + e.exitCode() + ".");
        case JobRunner.Outcome.TimedOut t ->
            finish(job, JobState.FAILED, null, "timed out after " + human(t.after()), "Job timed out after " + human(t.after()) + " and was stopped.");
        case JobRunner.Outcome.Cancelled c -> finish(job, JobState.CANCELLED, null, "cancelled", "Job cancelled.");
        case JobRunner.Outcome.Crashed c -> finish(job, JobState.FAILED, null, c.reason(), "Job failed: " + c.reason());
        case JobRunner.Outcome.Stopped s ->
            finish(job, JobState.FAILED, null, "server stopped", "The server stopped while this job was running; the job was stopped.");
      }
    }
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
   * artifacts were blobs, or whose copy a crash cut short. Their processes ended long ago.
   *
   * @return how many jobs were copied
   */
  public int storeFilesOfEarlierJobs() {
    int count = 0;
    for (JobRecord record : store.all()) {
      if (!record.state().isFinished() || active.containsKey(record.id()) || files.blobs().isStored(record.id())) continue;
      if (storeFiles(record.id(), siteFolder(record))) count++;
    }
    return count;
  }

  /** Runs the input check; a refusal fails the job at once, before the generator sees the file. */
  private boolean inputAccepted(ActiveJob job, Generator generator, JobRequestCheck.Checked checked) {
    if (checked.input().isEmpty()) return true;
    try {
      inputCheck.check(generator.input(), checked.input().get());
      return true;
    } catch (InputCheck.InputRejectedException e) {
      Thread.interrupted(); // why: a cancel during the check must not leak into the queue's thread
      synchronized (job) {
        job.worker = null;
        finish(job, JobState.FAILED, null, "input refused (" + e.check() + ")",
            "Job failed: the input was refused by the " + e.check() + ": " + e.getMessage() + ".");
      }
      return false;
    } catch (RuntimeException e) {
      log.warn("{} - checking the input failed", job.record.id(), e);
      Thread.interrupted();
      synchronized (job) {
        job.worker = null;
        finish(job, JobState.FAILED, null, "input check failed", "Job failed: the input could not be checked; it was logged.");
      }
      return false;
    }
  }

  private void progress(ActiveJob job, int percentage) {
    synchronized (job) {
      if (job.record.percentage() != percentage && !job.record.state().isFinished()) {
        job.record = job.record.withPercentage(percentage);
        announce(job.record);
      }
    }
  }

  /** Called with the job's lock held. */
  private void finish(ActiveJob job, JobState end, Integer exitCode, String reason, String line) {
    String jobId = job.record.id();
    job.log.append(end == JobState.SUCCEEDED ? LogLevel.SYSTEM : LogLevel.ERROR, line);
    job.log.seal();
    update(job, job.record.finished(end, exitCode, reason, clock.instant(), files.blobs().artifacts(jobId)));
    active.remove(jobId);
    log.info("{} - {} ({})", jobId, end.wireName(), reason == null ? "ok" : reason);
  }

  /** Called with the job's lock held. */
  private void update(ActiveJob job, JobRecord next) {
    job.record = next;
    store.save(next);
    announce(next);
  }

  private void announce(JobRecord record) {
    for (Consumer<JobRecord> listener : statusListeners) {
      try {
        listener.accept(record);
      } catch (RuntimeException e) {
        log.warn("{} - status listener failed", record.id(), e);
      }
    }
  }

  /**
   * Deletes a finished job: its record, its log, its blobs (artifacts, site) and its folder (work, output). Never a queued or
   * running one.
   *
   * @return whether it was deleted
   */
  public boolean deleteFinished(String jobId) {
    if (active.containsKey(jobId)) return false;
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

  /** How many jobs are queued or running now, by state. */
  public Map<JobState, Long> activeCounts() {
    Map<JobState, Long> counts = new java.util.EnumMap<>(JobState.class);
    for (ActiveJob job : active.values()) counts.merge(job.record.state(), 1L, Long::sum);
    return counts;
  }

  /** Every stored job record (reads the store: not for hot paths). */
  public List<JobRecord> allRecords() {
    return store.all();
  }

  /**
   * After a restart: jobs the store still has as queued or running were interrupted by the stop;
   * they are marked failed, with a line saying so, and their logs sealed.
   */
  public int failInterruptedJobs() {
    int count = 0;
    for (JobRecord record : store.all()) {
      if (record.state().isFinished()) continue;
      try (JobLog jobLog = logs.open(record.id())) {
        jobLog.append(LogLevel.ERROR, "The server restarted while this job was " + record.state().wireName() + "; the job was stopped.");
        jobLog.seal();
      }
      storeFiles(record.id(), siteFolder(record));
      store.save(record.finished(JobState.FAILED, null, "server restarted", clock.instant(), files.blobs().artifacts(record.id())));
      log.warn("{} - marked failed: the server restarted while it was {}", record.id(), record.state().wireName());
      count++;
    }
    return count;
  }

  private static String human(Duration d) {
    return d.toMinutes() >= 1 && d.toSecondsPart() == 0 ? d.toMinutes() + " min" : d.toMillis() / 1000.0 + " s";
  }

  /** A queued or running job. Guarded by its own monitor. */
  private static final class ActiveJob {
    volatile JobRecord record;
    final JobLog log;
    Thread worker;
    volatile boolean cancelRequested;

    ActiveJob(JobRecord record, JobLog log) {
      this.record = record;
      this.log = log;
    }
  }
}
