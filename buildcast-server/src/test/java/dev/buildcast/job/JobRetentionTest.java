package dev.buildcast.job;

import dev.buildcast.log.LogStoreOptions;
import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.generator.GeneratorRegistry;
import dev.buildcast.log.JobLog;
import dev.buildcast.log.LogLevel;
import dev.buildcast.storage.file.FileJobStore;
import dev.buildcast.storage.file.FileLogStore;
import dev.buildcast.testing.ManualClock;
import dev.buildcast.testing.MemoryBlobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobRetentionTest {

  private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir Path data;
  private final ManualClock clock = new ManualClock(START);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private JobFiles files;
  private FileJobStore store;
  private FileLogStore logs;
  private JobService jobs;
  private JobRetention retention;

  @BeforeEach
  void create() {
    files = new JobFiles(data, new MemoryBlobStore());
    store = new FileJobStore(files);
    logs = new FileLogStore(files::jobDir, LogStoreOptions.unforced(clock));
    jobs = new JobService(JobServiceOptions.builder().store(store).logs(logs).generators(new GeneratorRegistry(List.of()))
        .queue(new LocalJobQueue(1)).files(files).settings(new JobSettings(Map.of(), Duration.ofMinutes(1), List.of(), timer)).clock(clock)
        .nodeId("node-a").build());
    retention = new JobRetention(jobs, Duration.ofDays(7), clock);
  }

  @AfterEach
  void stop() {
    jobs.close();
    logs.close();
    timer.shutdownNow();
  }

  /** A job stored as {@code state}, finished (when finished) at {@code finishedAt}, with a log and an artifact. */
  private String job(JobState state, Instant finishedAt) throws Exception {
    String id = SecureTokens.newId();
    files.create(id);
    Files.writeString(files.outputDir(id).resolve("site.zip"), "zip");
    if (state.isFinished()) files.blobs().store(id, java.util.Optional.empty());
    try (JobLog log = logs.open(id)) {
      log.append(LogLevel.SYSTEM, "Job started.");
      if (state.isFinished()) log.seal();
    }
    store.save(new JobRecord(id, "hash", "docs", Map.of(), null, state, 0, null, null,
        START.minus(Duration.ofDays(30)), START.minus(Duration.ofDays(30)), state.isFinished() ? finishedAt : null, List.of()));
    return id;
  }

  @Test
  void sweep_finishedLongerAgoThanRetention_deletesRecordLogAndFiles() throws Exception {
    String old = job(JobState.SUCCEEDED, START.minus(Duration.ofDays(8)));
    assertThat(retention.sweep()).isEqualTo(1);
    assertThat(store.find(old)).isEmpty();
    assertThat(files.jobDir(old)).doesNotExist();
    assertThat(files.blobs().all(old)).isEmpty();
  }

  @Test
  void sweep_finishedRecently_keepsTheJob() throws Exception {
    String recent = job(JobState.FAILED, START.minus(Duration.ofDays(6)));
    assertThat(retention.sweep()).isZero();
    assertThat(store.find(recent)).isPresent();
    assertThat(files.outputDir(recent).resolve("site.zip")).exists();
    assertThat(files.blobs().artifacts(recent)).containsExactly(new Artifact("site.zip", 3));
  }

  @Test
  void sweep_whenTheClockPassesTheAge_deletesThenNotBefore() throws Exception {
    String job = job(JobState.CANCELLED, START.minus(Duration.ofDays(6)));
    clock.advance(Duration.ofHours(23));
    assertThat(retention.sweep()).isZero();
    clock.advance(Duration.ofHours(1).plusSeconds(1));
    assertThat(retention.sweep()).isEqualTo(1);
    assertThat(store.find(job)).isEmpty();
  }

  @Test
  void sweep_runningOrQueuedJobsOfAnyAge_areNeverDeleted() throws Exception {
    String running = job(JobState.RUNNING, null);
    String queued = job(JobState.QUEUED, null);
    clock.advance(Duration.ofDays(365));
    assertThat(retention.sweep()).isZero();
    assertThat(store.find(running)).isPresent();
    assertThat(store.find(queued)).isPresent();
    assertThat(files.jobDir(running)).exists();
  }
}
