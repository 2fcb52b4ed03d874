package dev.buildcast.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.buildcast.generator.Generator;
import dev.buildcast.generator.GeneratorRegistry;
import dev.buildcast.generator.InputKind;
import dev.buildcast.generator.JobContext;
import dev.buildcast.generator.ParamSpec;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import dev.buildcast.storage.file.FileJobStore;
import dev.buildcast.testing.MemoryBlobStore;
import dev.buildcast.testing.MemoryLogStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, item 3: whatever a generator throws — an OutOfMemoryError, a StackOverflowError — its
 * job fails with a message, its slot is freed and listeners hear the final status; it never stays
 * running.
 */
class JobRunnerErrorsTest {

  @TempDir Path data;
  private final MemoryLogStore logs = new MemoryLogStore();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final List<JobRecord> announced = new CopyOnWriteArrayList<>();
  private JobService jobs;

  @AfterEach
  void stop() {
    if (jobs != null) jobs.close();
    timer.shutdownNow();
  }

  /** A generator that throws what it is given, or returns 0 when given nothing. */
  private record Throwing(String name, Supplier<Throwable> failure) implements Generator {
    @Override public String description() { return ""; }
    @Override public InputKind input() { return InputKind.NONE; }
    @Override public List<ParamSpec> params() { return List.of(); }

    @Override
    public int run(JobContext context) {
      Throwable t = failure.get();
      if (t instanceof Error error) throw error;
      if (t instanceof RuntimeException runtime) throw runtime;
      return 0;
    }
  }

  private JobService service() {
    JobFiles files = new JobFiles(data, new MemoryBlobStore());
    jobs = new JobService(JobServiceOptions.builder().store(new FileJobStore(files)).logs(logs).generators(new GeneratorRegistry(List.of(
            new Throwing("oom", () -> new OutOfMemoryError("Java heap space")),
            new Throwing("overflow", StackOverflowError::new),
            new Throwing("linkage", () -> new NoClassDefFoundError("com/example/Gone")),
            new Throwing("fine", () -> null))))
        .queue(new LocalJobQueue(1)) // one slot: the next job only runs if the failed one freed it
        .files(files).settings(new JobSettings(Map.of(), Duration.ofMinutes(1), List.of(), timer)).clock(Clock.systemUTC())
        .nodeId("node-a").build());
    jobs.onStatus(announced::add);
    return jobs;
  }

  private JobRecord runToEnd(JobService jobs, String generator) {
    String id = jobs.submit(new JobRequest(generator, Map.of(), Optional.empty())).jobId();
    await().atMost(Duration.ofSeconds(60)).until(() -> jobs.status(id).state().isFinished());
    return jobs.status(id);
  }

  @Test
  void run_generatorThrowsOutOfMemoryError_jobFailsWithAMessageAndFreesItsSlot() {
    JobService jobs = service();
    JobRecord job = runToEnd(jobs, "oom");
    assertThat(job.state()).isEqualTo(JobState.FAILED);
    assertThat(job.reason()).isEqualTo("the generator ran out of memory (Java heap space)");
    LogLine last = logs.lines(job.id()).getLast();
    assertThat(last.level()).isEqualTo(LogLevel.ERROR);
    assertThat(last.text()).isEqualTo("Job failed: the generator ran out of memory (Java heap space)");
    assertThat(announced).anySatisfy(r -> {
      assertThat(r.id()).isEqualTo(job.id());
      assertThat(r.state()).isEqualTo(JobState.FAILED);
    });
    assertThat(runToEnd(jobs, "fine").state()).isEqualTo(JobState.SUCCEEDED);
  }

  @Test
  void run_generatorThrowsStackOverflowError_jobFails() {
    JobService jobs = service();
    JobRecord job = runToEnd(jobs, "overflow");
    assertThat(job.state()).isEqualTo(JobState.FAILED);
    assertThat(job.reason()).startsWith("the generator overflowed its stack");
    assertThat(runToEnd(jobs, "fine").state()).isEqualTo(JobState.SUCCEEDED);
  }

  @Test
  void run_generatorThrowsAnyOtherError_jobFailsNamingIt() {
    JobService jobs = service();
    JobRecord job = runToEnd(jobs, "linkage");
    assertThat(job.state()).isEqualTo(JobState.FAILED);
    assertThat(job.reason()).isEqualTo("the generator failed with NoClassDefFoundError (com/example/Gone)");
  }
}
