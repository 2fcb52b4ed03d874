package dev.buildcast.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.buildcast.blob.BlobRange;
import dev.buildcast.blob.BlobStore;
import dev.buildcast.generator.CommandGenerator;
import dev.buildcast.generator.Generator;
import dev.buildcast.generator.GeneratorRegistry;
import dev.buildcast.generator.InputKind;
import dev.buildcast.generator.JobContext;
import dev.buildcast.generator.ParamSpec;
import dev.buildcast.log.JobLog;
import dev.buildcast.log.LogLevel;
import dev.buildcast.storage.file.FileJobStore;
import dev.buildcast.testing.MapInputFiles;
import dev.buildcast.testing.MemoryBlobStore;
import dev.buildcast.testing.MemoryLogStore;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobServiceTest {

  @TempDir Path data;
  private final MemoryLogStore logs = new MemoryLogStore();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final List<JobService> services = new java.util.ArrayList<>();
  private BlobStore blobs = new MemoryBlobStore();

  @AfterEach
  void stop() {
    services.forEach(JobService::close);
    timer.shutdownNow();
  }

  private JobService service(int maxConcurrent, Map<String, Duration> timeouts, Generator... generators) {
    return service(maxConcurrent, timeouts, InputFiles.none(), generators);
  }

  private JobService service(int maxConcurrent, Map<String, Duration> timeouts, InputFiles inputs, Generator... generators) {
    return service(maxConcurrent, timeouts, inputs, Duration.ZERO, generators);
  }

  private JobService service(int maxConcurrent, Map<String, Duration> timeouts, InputFiles inputs, Duration storeFilesFor,
      Generator... generators) {
    JobFiles files = new JobFiles(data, blobs);
    JobService jobs = new JobService(JobServiceOptions.builder().store(new FileJobStore(files)).logs(logs)
        .generators(new GeneratorRegistry(List.of(generators))).queue(new LocalJobQueue(maxConcurrent)).files(files).inputs(inputs)
        .settings(new JobSettings(timeouts, Duration.ofMinutes(1), List.of("topsecret"), timer)).clock(Clock.systemUTC())
        .nodeId("node-a").storeFilesFor(storeFilesFor).build());
    services.add(jobs);
    return jobs;
  }

  private static CommandGenerator bash(String name, String script) {
    return new CommandGenerator(CommandGenerator.Options.of(name, List.of("bash", "-c", script)));
  }

  private static JobRequest request(String generator) {
    return new JobRequest(generator, Map.of(), Optional.empty());
  }

  private static void awaitState(JobService jobs, String jobId, JobState state) {
    await().atMost(Duration.ofSeconds(60)).until(() -> jobs.status(jobId).state() == state);
  }

  private static void awaitNoneActive(JobService jobs) {
    await().atMost(Duration.ofSeconds(60)).until(() -> jobs.activeCounts().isEmpty());
  }

  /**
   * A store that runs the lease renewal in the moment between a worker registering its run and its
   * claim landing in the store: the renewal used to see the record still queued, take the job for
   * lost and stop the run before it started, so a job failed "server stopped" a few ms after it was
   * queued (seen on a cluster node, where the claim is a Redis round trip).
   */
  @Test
  void renewal_betweenTheRunsRegistrationAndItsClaim_leavesTheRunAlone() {
    JobFiles files = new JobFiles(data, blobs);
    FileJobStore stored = new FileJobStore(files);
    java.util.concurrent.atomic.AtomicReference<JobService> service = new java.util.concurrent.atomic.AtomicReference<>();
    JobStore renewingBeforeClaims = new JobStore() {
      @Override public void save(JobRecord job) { stored.save(job); }
      @Override public Optional<JobRecord> update(long expectedVersion, JobRecord next) {
        if (next.state() == JobState.RUNNING && stored.find(next.id()).map(r -> r.state() == JobState.QUEUED).orElse(false)) {
          service.get().renewLeases();
        }
        return stored.update(expectedVersion, next);
      }
      @Override public Optional<JobRecord> find(String jobId) { return stored.find(jobId); }
      @Override public List<JobRecord> all() { return stored.all(); }
      @Override public void delete(String jobId) { stored.delete(jobId); }
    };
    JobService jobs = new JobService(JobServiceOptions.builder().store(renewingBeforeClaims).logs(logs)
        .generators(new GeneratorRegistry(List.of(bash("docs", "echo '::notice::building'")))).queue(new LocalJobQueue(1)).files(files)
        .inputs(InputFiles.none()).settings(new JobSettings(Map.of(), Duration.ofMinutes(1), List.of(), timer)).clock(Clock.systemUTC())
        .nodeId("node-a").build());
    services.add(jobs);
    service.set(jobs);

    String id = jobs.submit(request("docs")).jobId();

    await().atMost(Duration.ofSeconds(60)).until(() -> jobs.status(id).state().isFinished());
    assertThat(jobs.status(id).state()).as(String.valueOf(logs.texts(id))).isEqualTo(JobState.SUCCEEDED);
    assertThat(logs.texts(id)).contains("building");
  }

  @Test
  void submit_succeedingCommand_endsSucceededWithArtifactsAndLifeLines() {
    JobService jobs = service(2, Map.of(), bash("docs", "echo '::notice::building'; echo hi > $BUILDCAST_OUTPUT/site.txt"));
    JobTicket ticket = jobs.submit(request("docs"));
    awaitState(jobs, ticket.jobId(), JobState.SUCCEEDED);
    JobRecord done = jobs.status(ticket.jobId());
    assertThat(done.exitCode()).isZero();
    assertThat(done.percentage()).isEqualTo(100);
    assertThat(done.artifacts()).containsExactly(new Artifact("site.txt", 3));
    assertThat(done.startedAt()).isNotNull();
    assertThat(done.finishedAt()).isAfterOrEqualTo(done.startedAt());
    assertThat(logs.texts(ticket.jobId())).containsExactly(
        "Job queued for generator docs.", "Job started: generator docs.", "building", "Job finished with exit code 0.");
    assertThat(jobs.log(ticket.jobId()).isSealed()).isTrue();
  }

  @Test
  void log_handleClosedByAReaderWhileTheJobRuns_leavesTheRunWriting(@TempDir Path gate) throws Exception {
    Path go = gate.resolve("go");
    JobService jobs = service(1, Map.of(), bash("docs", "echo first; while [ ! -e '" + go + "' ]; do sleep 0.05; done; echo second"));
    String id = jobs.submit(request("docs")).jobId();
    await().atMost(Duration.ofSeconds(60)).until(() -> logs.texts(id).contains("first"));

    try (JobLog reader = jobs.log(id)) {
      assertThat(reader.isSealed()).isFalse();
    }
    Files.createFile(go);

    awaitState(jobs, id, JobState.SUCCEEDED);
    assertThat(logs.texts(id)).contains("first", "second").last().isEqualTo("Job finished with exit code 0.");
  }

  @Test
  void run_end_storesArtifactsAndTheSiteAsBlobsBeforeTheJobIsFinished() throws Exception {
    CommandGenerator site = new CommandGenerator(CommandGenerator.Options.of("site", List.of("bash", "-c",
        "mkdir -p public/css $BUILDCAST_OUTPUT/sub && echo page > public/index.html && echo css > public/css/a.css"
            + " && echo zip > $BUILDCAST_OUTPUT/site.zip && echo deep > $BUILDCAST_OUTPUT/sub/deep.txt"
            + " && ln -s /etc/passwd $BUILDCAST_OUTPUT/passwd && ln -s /etc public/etc"))
        .withSiteFolder(Optional.of("public")));
    JobService jobs = service(1, Map.of(), site);
    String id = jobs.submit(request("site")).jobId();
    awaitState(jobs, id, JobState.SUCCEEDED);
    assertThat(jobs.status(id).artifacts()).containsExactly(new Artifact("site.zip", 4), new Artifact("sub/deep.txt", 5));
    assertThat(blobs.list(JobBlobs.prefix(id)).stream().map(b -> b.key().substring(JobBlobs.prefix(id).length())))
        .containsExactly("output/site.zip", "output/sub/deep.txt", "site/css/a.css", "site/index.html", "stored");
    try (var page = jobs.files().blobs().sitePage(id, "index.html", BlobRange.all()).orElseThrow()) {
      assertThat(new String(page.content().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("page\n");
    }
  }

  /** A blob store whose writes fail while {@link #down} is set, like object storage during an outage. */
  private static final class OutageBlobStore implements BlobStore {
    final MemoryBlobStore memory = new MemoryBlobStore();
    final java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);

    @Override public void checkUsable() { memory.checkUsable(); }
    @Override public Optional<dev.buildcast.blob.Blob> get(String key, BlobRange range) { return memory.get(key, range); }
    @Override public List<dev.buildcast.blob.BlobInfo> list(String prefix) { return memory.list(prefix); }
    @Override public boolean delete(String key) { return memory.delete(key); }
    @Override public int deletePrefix(String prefix) { return memory.deletePrefix(prefix); }

    @Override
    public dev.buildcast.blob.BlobInfo put(String key, InputStream content) {
      if (down.get()) throw new UncheckedIOException(new java.io.IOException("object storage unreachable"));
      return memory.put(key, content);
    }
  }

  @Test
  void run_blobStoreDownWhenTheJobEnds_waitsSayingSo_andSucceedsOnceItsFilesAreStored() {
    OutageBlobStore outage = new OutageBlobStore();
    blobs = outage;
    JobService jobs = service(1, Map.of(), InputFiles.none(), Duration.ofMinutes(10),
        bash("make", "echo made > \"$BUILDCAST_OUTPUT/report.txt\""));
    String id = jobs.submit(request("make")).jobId();

    await().atMost(Duration.ofSeconds(60)).until(() -> logs.texts(id).stream().anyMatch(t -> t.startsWith("Waiting to store the job's artifacts")));
    assertThat(jobs.status(id).state()).as("still running while it waits").isEqualTo(JobState.RUNNING);
    outage.down.set(false);

    awaitState(jobs, id, JobState.SUCCEEDED);
    assertThat(jobs.status(id).artifacts()).containsExactly(new Artifact("report.txt", 5));
    assertThat(logs.texts(id)).endsWith("The job's artifacts are stored now.", "Job finished with exit code 0.");
  }

  @Test
  void run_blobStoreDownLongerThanTheWait_failsTheJobSayingItsFilesWereNotStored() {
    blobs = new OutageBlobStore();
    JobService jobs = service(1, Map.of(), InputFiles.none(), Duration.ofMillis(300),
        bash("make", "echo made > \"$BUILDCAST_OUTPUT/report.txt\""));
    String id = jobs.submit(request("make")).jobId();

    awaitState(jobs, id, JobState.FAILED);
    assertThat(jobs.status(id).reason()).isEqualTo("files not stored");
    assertThat(logs.texts(id)).last().isEqualTo("Job failed: its artifacts could not be stored; it was logged.");
  }

  @Test
  void run_cancelledWhileWaitingToStoreItsFiles_endsCancelled() {
    blobs = new OutageBlobStore();
    JobService jobs = service(1, Map.of(), InputFiles.none(), Duration.ofMinutes(10),
        bash("make", "echo made > \"$BUILDCAST_OUTPUT/report.txt\""));
    String id = jobs.submit(request("make")).jobId();
    await().atMost(Duration.ofSeconds(60)).until(() -> logs.texts(id).stream().anyMatch(t -> t.startsWith("Waiting to store the job's artifacts")));

    jobs.cancel(id);

    awaitState(jobs, id, JobState.CANCELLED);
    assertThat(logs.texts(id)).last().isEqualTo("Job cancelled.");
  }

  @Test
  void run_blobStoreFailing_failsTheSucceededJobSayingSo() {
    blobs = new OutageBlobStore(); // and no wait for it: a single node's default
    JobService jobs = service(1, Map.of(), bash("docs", "echo hi > $BUILDCAST_OUTPUT/site.txt"));
    String id = jobs.submit(request("docs")).jobId();
    awaitState(jobs, id, JobState.FAILED);
    assertThat(jobs.status(id).reason()).isEqualTo("files not stored");
    assertThat(logs.texts(id).getLast()).isEqualTo("Job failed: its artifacts could not be stored; it was logged.");
  }

  @Test
  void storeFilesOfEarlierJobs_finishedJobWithoutBlobs_copiesItsFilesOnce() throws Exception {
    JobService jobs = service(1, Map.of(), bash("docs", "echo hi > $BUILDCAST_OUTPUT/site.txt"));
    String id = jobs.submit(request("docs")).jobId();
    awaitState(jobs, id, JobState.SUCCEEDED);
    awaitNoneActive(jobs); // why: the state is announced just before the job leaves the active ones
    blobs.deletePrefix(JobBlobs.prefix(id)); // as if it had finished before artifacts were blobs
    assertThat(jobs.storeFilesOfEarlierJobs()).isEqualTo(1);
    assertThat(jobs.files().blobs().artifacts(id)).containsExactly(new Artifact("site.txt", 3));
    assertThat(jobs.storeFilesOfEarlierJobs()).isZero();
  }

  @Test
  void deleteFinished_removesTheJobsBlobsAndNoOtherJobs() {
    JobService jobs = service(1, Map.of(), bash("docs", "echo hi > $BUILDCAST_OUTPUT/site.txt"));
    String gone = jobs.submit(request("docs")).jobId();
    String kept = jobs.submit(request("docs")).jobId();
    awaitState(jobs, gone, JobState.SUCCEEDED);
    awaitState(jobs, kept, JobState.SUCCEEDED);
    awaitNoneActive(jobs);
    assertThat(jobs.deleteFinished(gone)).isTrue();
    assertThat(blobs.list(JobBlobs.prefix(gone))).isEmpty();
    assertThat(jobs.files().blobs().artifacts(kept)).containsExactly(new Artifact("site.txt", 3));
  }

  @Test
  void awaitFinished_runningJob_givesTheFinalRecordOnceItIsStored() throws Exception {
    JobService jobs = service(1, Map.of(), bash("wait", "while [ ! -e ../go ]; do sleep 0.05; done"));
    String id = jobs.submit(request("wait")).jobId();
    awaitState(jobs, id, JobState.RUNNING);
    java.util.concurrent.CompletableFuture<JobRecord> waited = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return jobs.awaitFinished(id, Duration.ofMinutes(2));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(jobs.awaitFinished(id, Duration.ZERO).state()).as("no wait: the record as it is").isEqualTo(JobState.RUNNING);

    Files.createFile(jobs.files().jobDir(id).resolve("go"));

    assertThat(waited.get(60, java.util.concurrent.TimeUnit.SECONDS).state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(jobs.awaitFinished(id, Duration.ofMinutes(2)).state()).as("already final: at once").isEqualTo(JobState.SUCCEEDED);
  }

  @Test
  void submit_failingCommand_endsFailedWithExitCodeLineAsError() {
    JobService jobs = service(1, Map.of(), bash("docs", "exit 7"));
    String id = jobs.submit(request("docs")).jobId();
    awaitState(jobs, id, JobState.FAILED);
    assertThat(jobs.status(id).exitCode()).isEqualTo(7);
    assertThat(logs.lines(id).getLast().level()).isEqualTo(LogLevel.ERROR);
    assertThat(logs.lines(id).getLast().text()).isEqualTo("Job failed: exit code 7.");
  }

  @Test
  void submit_unknownGenerator_isRefusedNamingTheAvailableOnes() {
    JobService jobs = service(1, Map.of(), bash("docs", "true"), bash("site", "true"));
    assertThatThrownBy(() -> jobs.submit(request("nope")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("nope").hasMessageContaining("docs, site")
        .extracting(e -> ((InvalidRequestException) e).code()).isEqualTo("unknown_generator");
  }

  @Test
  void submit_badParams_areRefusedWithTheReason() {
    Generator declared = new CommandGenerator(CommandGenerator.Options.of("docs", List.of("true"))
        .withParams(List.of(new ParamSpec("title", "", true))));
    JobService jobs = service(1, Map.of(), declared);
    assertThatThrownBy(() -> jobs.submit(new JobRequest("docs", Map.of("bad-name", "x", "title", "t"), Optional.empty())))
        .hasMessageContaining("bad-name");
    assertThatThrownBy(() -> jobs.submit(new JobRequest("docs", Map.of("title", "x".repeat(4097)), Optional.empty())))
        .hasMessageContaining("4096 bytes");
    assertThatThrownBy(() -> jobs.submit(new JobRequest("docs", Map.of(), Optional.empty())))
        .hasMessageContaining("needs the parameter title");
    assertThatThrownBy(() -> jobs.submit(new JobRequest("docs", Map.of("title", "t", "other", "x"), Optional.empty())))
        .hasMessageContaining("has no parameter other");
  }

  @Test
  void submit_generatorNeedingInputWithoutUpload_isRefused() {
    Generator zip = new CommandGenerator(CommandGenerator.Options.of("site", List.of("true")).withInput(InputKind.ZIP));
    JobService jobs = service(1, Map.of(), zip);
    assertThatThrownBy(() -> jobs.submit(request("site"))).extracting(e -> ((InvalidRequestException) e).code()).isEqualTo("input_required");
    assertThatThrownBy(() -> jobs.submit(new JobRequest("site", Map.of(), Optional.of("missing"))))
        .extracting(e -> ((InvalidRequestException) e).code()).isEqualTo("unknown_upload");
  }

  @Test
  void submit_optionalInputWithoutUpload_runsWithNoInput() {
    java.util.concurrent.atomic.AtomicReference<Optional<Path>> seen = new java.util.concurrent.atomic.AtomicReference<>();
    Generator optional = new Generator() {
      @Override public String name() { return "fetches"; }
      @Override public String description() { return ""; }
      @Override public InputKind input() { return InputKind.ZIP; }
      @Override public boolean inputRequired() { return false; }
      @Override public List<ParamSpec> params() { return List.of(); }
      @Override public int run(JobContext context) {
        seen.set(context.input());
        return 0;
      }
    };
    JobService jobs = service(1, Map.of(), optional);
    String id = jobs.submit(request("fetches")).jobId();
    awaitState(jobs, id, JobState.SUCCEEDED);
    assertThat(seen.get()).isEmpty();
    assertThatThrownBy(() -> jobs.submit(new JobRequest("fetches", Map.of(), Optional.of("missing"))))
        .extracting(e -> ((InvalidRequestException) e).code()).isEqualTo("unknown_upload");
  }

  @Test
  void submit_withCompletedUpload_passesItsFileAsInput() throws Exception {
    Path upload = Files.writeString(data.resolve("upload.bin"), "payload");
    Generator zip = new CommandGenerator(CommandGenerator.Options.of("site", List.of("bash", "-c", "cat \"$BUILDCAST_INPUT\"")).withInput(InputKind.FILE));
    MapInputFiles inputs = new MapInputFiles();
    inputs.put("u1", upload);
    JobService jobs = service(1, Map.of(), inputs, zip);
    String id = jobs.submit(new JobRequest("site", Map.of(), Optional.of("u1"))).jobId();
    awaitState(jobs, id, JobState.SUCCEEDED);
    assertThat(logs.texts(id)).contains("payload");
  }

  @Test
  void submit_beyondMaxConcurrent_waitsQueuedAndStartsInOrder() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Generator blocking = new BlockingGenerator("slow", release);
    JobService jobs = service(1, Map.of(), blocking);
    String first = jobs.submit(request("slow")).jobId();
    String second = jobs.submit(request("slow")).jobId();
    String third = jobs.submit(request("slow")).jobId();
    awaitState(jobs, first, JobState.RUNNING);
    assertThat(jobs.status(second).state()).isEqualTo(JobState.QUEUED);
    assertThat(logs.texts(second)).containsExactly("Job queued for generator slow: 1 job ahead of it.");
    assertThat(logs.texts(third)).containsExactly("Job queued for generator slow: 2 jobs ahead of it.");
    release.countDown();
    awaitState(jobs, third, JobState.SUCCEEDED);
    assertThat(jobs.status(first).startedAt()).isBeforeOrEqualTo(jobs.status(second).startedAt());
    assertThat(jobs.status(second).startedAt()).isBeforeOrEqualTo(jobs.status(third).startedAt());
  }

  @Test
  void cancel_queuedJob_neverStarts() {
    CountDownLatch release = new CountDownLatch(1);
    JobService jobs = service(1, Map.of(), new BlockingGenerator("slow", release));
    String running = jobs.submit(request("slow")).jobId();
    String waiting = jobs.submit(request("slow")).jobId();
    awaitState(jobs, running, JobState.RUNNING);
    assertThat(jobs.cancel(waiting).state()).isEqualTo(JobState.CANCELLED);
    release.countDown();
    awaitState(jobs, running, JobState.SUCCEEDED);
    assertThat(jobs.status(waiting).startedAt()).isNull();
    assertThat(logs.texts(waiting)).last().isEqualTo("Job cancelled before it started.");
  }

  @Test
  void cancel_runningCommand_killsItAndEndsCancelled() {
    JobService jobs = service(1, Map.of(), bash("loop", "echo started; sleep 300"));
    String id = jobs.submit(request("loop")).jobId();
    await().atMost(Duration.ofSeconds(60)).until(() -> logs.texts(id).contains("started"));
    jobs.cancel(id);
    awaitState(jobs, id, JobState.CANCELLED);
    assertThat(logs.texts(id)).last().isEqualTo("Job cancelled.");
  }

  @Test
  void run_pastTimeout_isKilledAndFailed() {
    JobService jobs = service(1, Map.of("loop", Duration.ofMillis(300)), bash("loop", "sleep 300"));
    String id = jobs.submit(request("loop")).jobId();
    awaitState(jobs, id, JobState.FAILED);
    assertThat(jobs.status(id).reason()).startsWith("timed out after");
    assertThat(logs.texts(id)).last().asString().startsWith("Job timed out after");
  }

  @Test
  void run_secretFromSettingsOrAddMask_isMaskedBeforeStorage() {
    JobService jobs = service(1, Map.of(), bash("s", "echo 'key=topsecret'; echo '::add-mask::hunter2'; echo 'pw hunter2 ok'"));
    String id = jobs.submit(request("s")).jobId();
    awaitState(jobs, id, JobState.SUCCEEDED);
    assertThat(logs.texts(id)).contains("key=***", "pw *** ok").noneMatch(t -> t.contains("hunter2") || t.contains("topsecret"));
  }

  @Test
  void run_secretSplitAcrossTwoWritesOfTheProcess_isStillMasked() {
    JobService jobs = service(1, Map.of(), bash("s", "echo '::add-mask::hunter2'; printf 'pw hun'; sleep 0.2; printf 'ter2 end\\n'"));
    String id = jobs.submit(request("s")).jobId();
    awaitState(jobs, id, JobState.SUCCEEDED);
    assertThat(logs.texts(id)).contains("pw *** end").noneMatch(t -> t.contains("hunter2"));
  }

  @Test
  void authorize_rightWrongOrMissingToken_grantsOnlyTheRightOne() {
    JobService jobs = service(1, Map.of(), bash("docs", "true"));
    JobTicket ticket = jobs.submit(request("docs"));
    assertThat(jobs.authorize(ticket.jobId(), ticket.token()).id()).isEqualTo(ticket.jobId());
    assertThatThrownBy(() -> jobs.authorize(ticket.jobId(), "wrong")).isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(() -> jobs.authorize(ticket.jobId(), null)).isInstanceOf(AccessDeniedException.class).hasMessageContaining("needs its token");
    assertThatThrownBy(() -> jobs.authorize("AAAAAAAAAAAAAAAAAAAAAA", ticket.token())).isInstanceOf(JobNotFoundException.class);
    assertThatThrownBy(() -> jobs.authorize("../../etc", ticket.token())).isInstanceOf(JobNotFoundException.class);
  }

  @Test
  void recover_afterRestartWithAJobRunningHere_failsItAndLeavesFinishedOnes() {
    JobService before = service(1, Map.of(), bash("docs", "true"), bash("loop", "sleep 300"));
    String finished = before.submit(request("docs")).jobId();
    awaitState(before, finished, JobState.SUCCEEDED);
    String running = before.submit(request("loop")).jobId();
    awaitState(before, running, JobState.RUNNING);
    JobRecord finishedRecord = before.status(finished);
    // the "crash": a new service of the same node sees the store as the old one left it
    JobService after = service(1, Map.of(), bash("docs", "true"), bash("loop", "sleep 300"));
    assertThat(after.recover()).isEqualTo(new JobService.Recovered(1, 0));
    assertThat(after.status(running).state()).isEqualTo(JobState.FAILED);
    assertThat(after.status(running).reason()).isEqualTo("server restarted");
    assertThat(logs.texts(running)).last().asString().contains("server restarted");
    assertThat(after.status(finished)).isEqualTo(finishedRecord);
  }

  @Test
  void close_withRunningJob_failsItWithALineSayingTheServerStopped() {
    JobService jobs = service(1, Map.of(), bash("loop", "echo started; sleep 300"));
    String id = jobs.submit(request("loop")).jobId();
    await().atMost(Duration.ofSeconds(60)).until(() -> logs.texts(id).contains("started"));
    jobs.close();
    assertThat(jobs.status(id).state()).isEqualTo(JobState.FAILED);
    assertThat(jobs.status(id).reason()).isEqualTo("server stopped");
    assertThat(logs.texts(id)).last().asString().startsWith("The server stopped while this job was running");
  }

  /** Runs until released. */
  private record BlockingGenerator(String name, CountDownLatch release) implements Generator {
    @Override
    public String description() {
      return "";
    }

    @Override
    public InputKind input() {
      return InputKind.NONE;
    }

    @Override
    public List<ParamSpec> params() {
      return List.of();
    }

    @Override
    public int run(JobContext context) throws InterruptedException {
      release.await();
      return 0;
    }
  }
}
