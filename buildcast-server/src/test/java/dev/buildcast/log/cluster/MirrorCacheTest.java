package dev.buildcast.log.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.log.JobLog;
import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLimit;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.LogStoreOptions;
import dev.buildcast.storage.file.BlobLogArchive;
import dev.buildcast.storage.file.FileLogSegments;
import dev.buildcast.storage.file.FileLogStore;
import dev.buildcast.storage.file.LocalJobLogs;
import dev.buildcast.testing.ManualClock;
import dev.buildcast.testing.MemoryAcceptedLines;
import dev.buildcast.testing.MemoryArchiveQueue;
import dev.buildcast.testing.MemoryBlobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mirror cache over a node's job folders: three archived jobs of the same size, each read on
 * the node once (so each has a sealed local copy), a bound that fits two of them.
 */
class MirrorCacheTest {

  private static final LogOwner OWNER = new LogOwner("n1", 0);
  private static final List<String> JOBS = List.of("aaaaaaaaaaaaaaaaaaaaa1", "aaaaaaaaaaaaaaaaaaaaa2", "aaaaaaaaaaaaaaaaaaaaa3");

  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(Instant.ofEpochMilli(1_700_000_000_000L));
  private final MemoryAcceptedLines engine = new MemoryAcceptedLines();
  private final MemoryBlobStore blobs = new MemoryBlobStore();
  private Path node;
  private BlobLogArchive archive;
  private ClusterLogStore logs;
  private LocalJobLogs local;
  private final Map<String, List<LogLine>> sent = new java.util.HashMap<>();

  @BeforeEach
  void setUp() {
    node = dir.resolve("n2").resolve("jobs");
    archive = new BlobLogArchive(blobs, dir.resolve("n2-work"), jobId -> node.resolve(jobId));
    MemoryArchiveQueue queue = new MemoryArchiveQueue(engine);
    LogArchiver archiver = new LogArchiver(engine, queue, archive, jobId -> LogArchiver.JobStage.FINISHED, clock, Duration.ofSeconds(1),
        Duration.ofSeconds(1), Duration.ofSeconds(1));
    for (String jobId : JOBS) {
      sent.put(jobId, sealedStream(jobId));
      queue.sealed(jobId);
    }
    assertThat(archiver.runOnce()).isEqualTo(3);
    for (String jobId : JOBS) engine.delete(jobId); // why: the streams went after the grace, so every copy comes from the archive
    logs = node();
    local = new LocalJobLogs(node);
    for (String jobId : JOBS) {
      clock.advance(Duration.ofSeconds(1));
      logs.open(jobId).close(); // why: the node copies each log once, JOBS.get(0) read least recently
    }
  }

  private List<LogLine> sealedStream(String jobId) {
    engine.assignOwner(jobId, OWNER);
    List<LogLine> lines = new ArrayList<>();
    for (int seq = 1; seq <= 20; seq++) lines.add(new LogLine(seq, seq, LogLevel.SYSTEM, "line " + seq + " of a job"));
    engine.append(jobId, OWNER, 0, lines);
    engine.mark(jobId, OWNER, 20, 1, LogMark.seal());
    return lines;
  }

  private ClusterLogStore node() {
    FileLogStore spools = new FileLogStore(node::resolve, LogStoreOptions.unforced(clock).withLimit(LogLimit.NONE));
    RetryTimer noRetries = (task, delay) -> {
      throw new AssertionError("nothing is shipped here");
    };
    return new ClusterLogStore(spools, new FileLogSegments(node::resolve), engine, new MirrorFeed(engine),
        ClusterLogStore.runner(engine, "n2", jobId -> false), Runnable::run, noRetries, jobId -> {},
        new ClusterLogStore.Writer("n2", clock), archive);
  }

  private long bytesOfOne() {
    return local.list().getFirst().bytes();
  }

  private boolean kept(String jobId) {
    return Files.exists(node.resolve(jobId).resolve("detailed.log"));
  }

  @Test
  void evictOnce_overTheBound_deletesTheLeastRecentlyReadSealedLog_andItComesBackFromTheArchive() {
    MirrorCache cache = new MirrorCache(local, logs, archive, 2 * bytesOfOne());
    assertThat(local.list()).hasSize(3).allMatch(MirrorCache.LocalLog::sealed);

    assertThat(cache.evictOnce()).isEqualTo(1);

    assertThat(kept(JOBS.get(0))).isFalse();
    assertThat(kept(JOBS.get(1))).isTrue();
    assertThat(kept(JOBS.get(2))).isTrue();
    assertThat(cache.evictOnce()).as("within the bound now").isZero();
    try (JobLog again = logs.open(JOBS.get(0))) {
      assertThat(again.isSealed()).isTrue();
      assertThat(again.read(0, LogFilter.ALL, 100)).containsExactlyElementsOf(sent.get(JOBS.get(0)));
    }
    assertThat(kept(JOBS.get(0))).isTrue();
  }

  @Test
  void evictOnce_leastRecentlyReadLogIsOpen_isKeptAndTheNextOneGoes() {
    MirrorCache cache = new MirrorCache(local, logs, archive, 2 * bytesOfOne());
    try (JobLog watched = logs.open(JOBS.get(0))) {
      clock.advance(Duration.ofSeconds(1));
      logs.open(JOBS.get(1)).close();
      logs.open(JOBS.get(2)).close();
      // JOBS.get(0) was opened before the others again, so it is the least recent, but a watcher holds it

      assertThat(cache.evictOnce()).isEqualTo(1);

      assertThat(kept(JOBS.get(0))).isTrue();
      assertThat(kept(JOBS.get(1))).isFalse();
      assertThat(watched.read(0, LogFilter.ALL, 100)).containsExactlyElementsOf(sent.get(JOBS.get(0)));
    }
  }

  @Test
  void evictOnce_logWithoutArchive_isNeverDeleted() {
    archive.delete(JOBS.get(0));
    archive.delete(JOBS.get(1));
    MirrorCache cache = new MirrorCache(local, logs, archive, 1);

    assertThat(cache.evictOnce()).isEqualTo(1);

    assertThat(kept(JOBS.get(0))).isTrue();
    assertThat(kept(JOBS.get(1))).isTrue();
    assertThat(kept(JOBS.get(2))).isFalse();
  }
}
