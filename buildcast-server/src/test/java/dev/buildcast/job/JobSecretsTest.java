package dev.buildcast.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.buildcast.generator.Generator;
import dev.buildcast.generator.GeneratorRegistry;
import dev.buildcast.generator.InputKind;
import dev.buildcast.generator.JobContext;
import dev.buildcast.generator.JobSecrets;
import dev.buildcast.generator.ParamSpec;
import dev.buildcast.generator.SecretSpec;
import dev.buildcast.log.LogLevel;
import dev.buildcast.storage.file.FileJobStore;
import dev.buildcast.testing.MemoryBlobStore;
import dev.buildcast.testing.MemoryLogStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Job secrets: checked at submit, handed to the run from memory only, masked, never stored, lost (and said so) over a restart. */
class JobSecretsTest {

  private static final String TOKEN = "s3cr3t-Token-9f2c41";

  @TempDir Path data;
  private final MemoryLogStore logs = new MemoryLogStore();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final List<JobService> services = new ArrayList<>();
  private final SecretUser user = new SecretUser();
  private final CountDownLatch releaseBlocker = new CountDownLatch(1);

  @AfterEach
  void stop() {
    releaseBlocker.countDown();
    services.forEach(JobService::close);
    timer.shutdownNow();
  }

  /** Takes the secret "token"; logs it (to be masked), records what it was given, fails when told to with the token in the message. */
  private static final class SecretUser implements Generator {
    final List<JobSecrets> seen = new CopyOnWriteArrayList<>();

    @Override public String name() { return "user"; }
    @Override public String description() { return ""; }
    @Override public InputKind input() { return InputKind.NONE; }
    @Override public List<ParamSpec> params() { return List.of(new ParamSpec("crash", "throw", false)); }
    @Override public List<SecretSpec> secrets() { return List.of(new SecretSpec("token", "a token")); }

    @Override
    public int run(JobContext context) {
      seen.add(context.secrets());
      String value = context.secrets().value("token").orElse("none");
      context.log().append(LogLevel.DETAIL, "pushing with " + value);
      if (context.params().containsKey("crash")) throw new IllegalStateException("remote said no to " + value);
      return 0;
    }
  }

  /** Holds the only slot until released, so the next job waits queued. */
  private record Blocker(CountDownLatch release) implements Generator {
    @Override public String name() { return "blocker"; }
    @Override public String description() { return ""; }
    @Override public InputKind input() { return InputKind.NONE; }
    @Override public List<ParamSpec> params() { return List.of(); }

    @Override
    public int run(JobContext context) throws InterruptedException {
      release.await();
      return 0;
    }
  }

  private JobService service() {
    JobFiles files = new JobFiles(data, new MemoryBlobStore());
    JobService jobs = new JobService(JobServiceOptions.builder().store(new FileJobStore(files)).logs(logs)
        .generators(new GeneratorRegistry(List.of(user, new Blocker(releaseBlocker)))).queue(new LocalJobQueue(1)).files(files)
        .inputs(InputFiles.none()).settings(new JobSettings(Map.of(), Duration.ofMinutes(1), List.of(), timer)).clock(Clock.systemUTC())
        .nodeId("node-a").build());
    services.add(jobs);
    return jobs;
  }

  private static JobRequest withToken(Map<String, String> params) {
    return new JobRequest("user", params, Optional.empty(), Map.of("token", TOKEN));
  }

  private static void awaitFinished(JobService jobs, String id) {
    await().atMost(Duration.ofSeconds(60)).until(() -> jobs.status(id).state().isFinished());
  }

  @Test
  void submit_withSecret_runGetsItMaskedAndNothingStoredHoldsIt() throws Exception {
    JobService jobs = service();
    JobTicket ticket = jobs.submit(withToken(Map.of()));
    awaitFinished(jobs, ticket.jobId());

    assertThat(jobs.status(ticket.jobId()).state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(user.seen).singleElement().satisfies(s -> {
      assertThat(s.value("token")).contains(TOKEN);
      assertThat(s.lost()).isEmpty();
      assertThat(s.toString()).doesNotContain(TOKEN);
    });
    assertThat(logs.texts(ticket.jobId())).contains("pushing with ***").noneMatch(line -> line.contains(TOKEN));
    assertThat(jobs.status(ticket.jobId()).secretNames()).containsExactly("token");
    assertThat(jobs.status(ticket.jobId()).toString()).doesNotContain(TOKEN);
    assertNoFileHolds(data, TOKEN);
  }

  @Test
  void run_generatorCrashQuotingTheSecret_storesTheReasonMasked() throws Exception {
    JobService jobs = service();
    String id = jobs.submit(withToken(Map.of("crash", "yes"))).jobId();
    awaitFinished(jobs, id);

    assertThat(jobs.status(id).reason()).isEqualTo("remote said no to ***");
    assertThat(logs.texts(id)).noneMatch(line -> line.contains(TOKEN));
    assertNoFileHolds(data, TOKEN);
  }

  @Test
  void run_queuedAcrossARestart_getsNoValueAndIsToldTheSecretWasLost() throws Exception {
    JobService before = service();
    String blocker = before.submit(new JobRequest("blocker", Map.of(), Optional.empty())).jobId();
    await().atMost(Duration.ofSeconds(60)).until(() -> before.status(blocker).state() == JobState.RUNNING);
    String waiting = before.submit(withToken(Map.of())).jobId();
    before.close(); // the queued job stays queued in the store; its secret dies with this service

    JobService after = service();
    assertThat(after.recover().requeued()).isEqualTo(1);
    awaitFinished(after, waiting);

    assertThat(user.seen).singleElement().satisfies(s -> {
      assertThat(s.value("token")).isEmpty();
      assertThat(s.wasLost("token")).isTrue();
    });
    assertNoFileHolds(data, TOKEN);
  }

  @Test
  void cancel_queuedJob_dropsItsSecret() {
    JobService jobs = service();
    String blocker = jobs.submit(new JobRequest("blocker", Map.of(), Optional.empty())).jobId();
    await().atMost(Duration.ofSeconds(60)).until(() -> jobs.status(blocker).state() == JobState.RUNNING);
    String waiting = jobs.submit(withToken(Map.of())).jobId();

    jobs.cancel(waiting);
    releaseBlocker.countDown();
    awaitFinished(jobs, blocker);

    assertThat(jobs.status(waiting).state()).isEqualTo(JobState.CANCELLED);
    assertThat(user.seen).isEmpty();
  }

  @Test
  void submit_badSecrets_areInvalidSecretNamingTheProblemNeverTheValue() {
    JobService jobs = service();
    String hidden = "hidden-value-42";
    assertRefused(jobs, new JobRequest("blocker", Map.of(), Optional.empty(), Map.of("token", hidden)), "takes no secrets", hidden);
    assertRefused(jobs, new JobRequest("user", Map.of(), Optional.empty(), Map.of("password", hidden)), "has no secret password; it takes: token", hidden);
    assertRefused(jobs, new JobRequest("user", Map.of(), Optional.empty(), Map.of("token", "x".repeat(1025))), "longer than 1024 characters", "xxxx");
    assertRefused(jobs, new JobRequest("user", Map.of(), Optional.empty(), Map.of("token", "q7Zp")), "shorter than 8 characters", "q7Zp");
    assertRefused(jobs, new JobRequest("user", Map.of(), Optional.empty(), Map.of("token", hidden + "\nmore")), "control characters", hidden);
    assertThat(jobs.allRecords()).isEmpty();
  }

  @Test
  void jobRequest_toString_namesTheSecretsButNotTheirValues() {
    assertThat(withToken(Map.of()).toString()).contains("secrets=[token]").doesNotContain(TOKEN);
  }

  private static void assertRefused(JobService jobs, JobRequest request, String message, String value) {
    assertThatThrownBy(() -> jobs.submit(request)).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
      assertThat(e.code()).isEqualTo("invalid_secret");
      assertThat(e.getMessage()).contains(message).doesNotContain(value);
    });
  }

  static void assertNoFileHolds(Path folder, String secret) throws Exception {
    byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertThat(text).as(file.toString()).doesNotContain(new String(needle, StandardCharsets.ISO_8859_1));
      }
    }
  }
}
