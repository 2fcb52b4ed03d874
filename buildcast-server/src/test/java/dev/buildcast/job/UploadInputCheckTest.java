package dev.buildcast.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.buildcast.generator.CommandGenerator;
import dev.buildcast.generator.GeneratorRegistry;
import dev.buildcast.generator.InputKind;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import dev.buildcast.storage.file.FileJobStore;
import dev.buildcast.testing.MapInputFiles;
import dev.buildcast.testing.MemoryBlobStore;
import dev.buildcast.testing.MemoryLogStore;
import dev.buildcast.upload.ZipFixtures;
import dev.buildcast.upload.ZipInspector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The input check hook of {@link JobService}: a refused zip fails the job before its generator runs. */
class UploadInputCheckTest {

  @TempDir Path data;
  @TempDir Path uploads;
  private final MemoryLogStore logs = new MemoryLogStore();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final MapInputFiles files = new MapInputFiles();
  private JobService jobs;

  @AfterEach
  void stop() {
    if (jobs != null) jobs.close();
    timer.shutdownNow();
  }

  private JobService service() {
    JobFiles jobFiles = new JobFiles(data, new MemoryBlobStore());

    // the generator leaves a marker next to its work folder, so the test sees whether it ran
    CommandGenerator site = new CommandGenerator(CommandGenerator.Options.of("site",
        List.of("bash", "-c", "touch ../ran; unzip -l \"$BUILDCAST_INPUT\" >/dev/null || true")).withInput(InputKind.ZIP));
    jobs = new JobService(JobServiceOptions.builder().store(new FileJobStore(jobFiles)).logs(logs).generators(new GeneratorRegistry(List.of(site)))
        .queue(new LocalJobQueue(2)).files(jobFiles).inputs(files).inputCheck(new ZipInspector(100, 1_000_000))
        .settings(new JobSettings(Map.of(), Duration.ofMinutes(1), List.of(), timer)).clock(Clock.systemUTC()).nodeId("node-a").build());
    return jobs;
  }

  private JobRecord run(JobService jobs, Path zip) {
    files.put("AAAAAAAAAAAAAAAAAAAAAA", zip);
    String id = jobs.submit(new JobRequest("site", Map.of(), Optional.of("AAAAAAAAAAAAAAAAAAAAAA"))).jobId();
    await().atMost(Duration.ofSeconds(60)).until(() -> jobs.status(id).state().isFinished());
    return jobs.status(id);
  }

  @Test
  void run_symlinkZip_failsAtOnceWithBasicLineNamingTheCheck() throws Exception {
    JobService jobs = service();
    JobRecord job = run(jobs, ZipFixtures.zip().symlink("link", "/etc/passwd").writeTo(uploads.resolve("in.zip")));
    assertThat(job.state()).isEqualTo(JobState.FAILED);
    assertThat(job.reason()).isEqualTo("input refused (symlink check)");
    LogLine last = logs.lines(job.id()).getLast();
    assertThat(last.level()).isEqualTo(LogLevel.ERROR);
    assertThat(last.text()).startsWith("Job failed: the input was refused by the symlink check: entry \"link\" is a symbolic link");
    assertThat(data.resolve("jobs").resolve(job.id()).resolve("ran")).doesNotExist();
  }

  @Test
  void run_notAZip_failsNamingTheFormatCheck() throws Exception {
    JobService jobs = service();
    JobRecord job = run(jobs, Files.writeString(uploads.resolve("in.zip"), "plain text"));
    assertThat(job.state()).isEqualTo(JobState.FAILED);
    assertThat(logs.texts(job.id()).getLast()).contains("zip format check");
  }

  @Test
  void run_goodZip_runsTheGenerator() throws Exception {
    JobService jobs = service();
    JobRecord job = run(jobs, ZipFixtures.zip().file("event.json", "{}").writeTo(uploads.resolve("in.zip")));
    assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(data.resolve("jobs").resolve(job.id()).resolve("ran")).exists();
  }
}
