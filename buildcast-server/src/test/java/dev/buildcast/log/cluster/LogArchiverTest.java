package dev.buildcast.log.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.log.JobLog;
import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLimit;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.LogStoreOptions;
import dev.buildcast.storage.file.BlobLogArchive;
import dev.buildcast.storage.file.FileLogSegments;
import dev.buildcast.storage.file.FileLogStore;
import dev.buildcast.storage.file.FolderBlobStore;
import dev.buildcast.testing.ManualClock;
import dev.buildcast.testing.MemoryAcceptedLines;
import dev.buildcast.testing.MemoryArchiveQueue;
import dev.buildcast.testing.SwitchableBlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archiver on the in-memory engine and queue, with the blob archive over a folder store a
 * test switches off: what it stores (exactly the stream), when it drops the stream, how it waits
 * and retries while object storage is down, and that a node's log store serves the archive once
 * the stream is gone.
 */
class LogArchiverTest {

  private static final String JOB = "job1-archived-aaaaaaaa";
  private static final String JOB2 = "job2-unsealed-aaaaaaaa";
  private static final LogOwner OWNER = new LogOwner("n2", 3);
  private static final Duration GRACE = Duration.ofMinutes(5);
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(Instant.ofEpochMilli(1_700_000_000_000L));
  private final MemoryAcceptedLines engine = new MemoryAcceptedLines();
  private final MemoryArchiveQueue queue = new MemoryArchiveQueue(engine);
  private final Map<String, LogArchiver.JobStage> stages = new HashMap<>();
  private SwitchableBlobStore blobs;
  private BlobLogArchive archive;
  private LogArchiver archiver;
  private List<LogLine> sent;

  @BeforeEach
  void setUp() {
    blobs = new SwitchableBlobStore(new FolderBlobStore(dir.resolve("blobs"), FolderBlobStore.Durability.PAGE_CACHE));
    archive = new BlobLogArchive(blobs, dir.resolve("work"), jobId -> dir.resolve("node").resolve(jobId));
    archiver = new LogArchiver(engine, queue, archive, stages::get, clock, GRACE, FIRST_BACKOFF, Duration.ofSeconds(30));
    sent = sealedJob(JOB, 150);
    stages.put(JOB, LogArchiver.JobStage.FINISHED);
  }

  /**
   * A job's stream as its owner writes it: one entry per line (so the archiver reads it in several
   * rounds), every level, a status mark, then the seal; queued for the archive as the seal does.
   */
  private List<LogLine> sealedJob(String jobId, int lines) {
    engine.assignOwner(jobId, OWNER);
    List<LogLine> written = new ArrayList<>();
    LogLevel[] levels = LogLevel.values();
    for (int seq = 1; seq <= lines; seq++) {
      LogLine line = new LogLine(seq, 1_700_000_000_000L + seq, levels[seq % levels.length], "line " + seq + " · ünïcode\tand tab");
      assertThat(engine.append(jobId, OWNER, seq - 1, List.of(line)).isStored()).isTrue();
      written.add(line);
      if (seq == lines / 2) engine.mark(jobId, OWNER, seq, 1, LogMark.status("{\"state\":\"running\"}"));
    }
    engine.mark(jobId, OWNER, lines, 2, LogMark.seal());
    queue.sealed(jobId);
    return written;
  }

  private static String expectedText(List<LogLine> lines) {
    StringBuilder text = new StringBuilder();
    for (LogLine line : lines) text.append(line.text()).append('\n');
    return text.toString();
  }

  private static String text(JobLog log) throws IOException {
    try (InputStream in = log.openText()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The archived log as a node with no copy of it reads it: restored into an empty folder, opened as a mirror. */
  private LogMirror restoredElsewhere(String node) {
    BlobLogArchive reader = new BlobLogArchive(blobs, dir.resolve(node + "-work"), jobId -> dir.resolve(node).resolve(jobId));
    assertThat(reader.restore(JOB)).isTrue();
    return LogMirror.open(JOB, new FileLogSegments(jobId -> dir.resolve(node).resolve(jobId)));
  }

  private boolean streamHolds(String jobId) {
    return !engine.read(jobId, StreamPosition.START, 1).isEmpty();
  }

  @Test
  void runOnce_sealedJobWithItsFinalRecord_archivesExactlyTheStreamAndDropsTheStreamAfterTheGrace() throws Exception {
    assertThat(archiver.runOnce()).isEqualTo(1);

    assertThat(queue.isArchived(JOB)).isTrue();
    assertThat(archiver.pendingCount()).isZero();
    assertThat(blobs.list("jobs/" + JOB + "/log/")).extracting(b -> b.key().substring(("jobs/" + JOB + "/log/").length()))
        .containsExactly("detailed.basic.idx", "detailed.idx", "detailed.log", "detailed.sealed");
    LogMirror archived = restoredElsewhere("n3");
    assertThat(archived.isSealed()).isTrue();
    assertThat(archived.read(0, LogFilter.ALL, 1000)).containsExactlyElementsOf(sent);
    assertThat(archived.read(0, LogFilter.BASIC, 1000))
        .containsExactlyElementsOf(sent.stream().filter(l -> l.level() != LogLevel.DETAIL).toList());
    assertThat(text(archived)).isEqualTo(expectedText(sent));
    try (Stream<Path> left = Files.list(dir.resolve("work"))) {
      assertThat(left).as("the workspace keeps nothing").isEmpty();
    }

    assertThat(streamHolds(JOB)).as("the stream outlives the archive by the grace").isTrue();
    clock.advance(GRACE.minusMillis(1));
    archiver.runOnce();
    assertThat(streamHolds(JOB)).isTrue();
    clock.advance(Duration.ofMillis(1));
    archiver.runOnce();
    assertThat(streamHolds(JOB)).isFalse();
  }

  @Test
  void runOnce_objectStorageDown_keepsTheStreamCountsItPendingAndRetriesWithGrowingWaitsUntilItIsBack() {
    blobs.switchOff();
    assertThat(archiver.runOnce()).isZero();
    assertThat(archiver.pendingCount()).isEqualTo(1);
    assertThat(blobs.putsTried()).isEqualTo(1);

    clock.advance(FIRST_BACKOFF.minusMillis(1));
    archiver.runOnce();
    assertThat(blobs.putsTried()).as("not due yet").isEqualTo(1);
    clock.advance(Duration.ofMillis(1));
    archiver.runOnce();
    assertThat(blobs.putsTried()).isEqualTo(2);
    clock.advance(Duration.ofMillis(1999));
    archiver.runOnce();
    assertThat(blobs.putsTried()).as("the second wait is twice the first").isEqualTo(2);
    clock.advance(Duration.ofMillis(1));
    archiver.runOnce();
    assertThat(blobs.putsTried()).isEqualTo(3);
    assertThat(archiver.pendingCount()).isEqualTo(1);
    assertThat(streamHolds(JOB)).isTrue();

    blobs.switchOn();
    clock.advance(Duration.ofSeconds(4));
    assertThat(archiver.runOnce()).isEqualTo(1);
    assertThat(archiver.pendingCount()).isZero();
    assertThat(archive.isArchived(JOB)).isTrue();
    assertThat(restoredElsewhere("n3").read(0, LogFilter.ALL, 1000)).containsExactlyElementsOf(sent);
  }

  @Test
  void runOnce_recordNotFinalYet_waitsAndArchivesOnceItIs() {
    stages.put(JOB, LogArchiver.JobStage.UNFINISHED);
    assertThat(archiver.runOnce()).isZero();
    assertThat(blobs.putsTried()).isZero();
    assertThat(archiver.pendingCount()).isEqualTo(1);

    stages.put(JOB, LogArchiver.JobStage.FINISHED);
    clock.advance(FIRST_BACKOFF);
    assertThat(archiver.runOnce()).isEqualTo(1);
  }

  @Test
  void runOnce_jobDeleted_forgetsItAndStoresNothing() {
    stages.put(JOB, LogArchiver.JobStage.DELETED);
    assertThat(archiver.runOnce()).isZero();
    assertThat(archiver.pendingCount()).isZero();
    assertThat(blobs.putsTried()).isZero();
  }

  @Test
  void runOnce_streamWithoutItsSeal_storesNothingAndKeepsTheLogPending() {
    engine.assignOwner(JOB2, OWNER);
    engine.append(JOB2, OWNER, 0, List.of(new LogLine(1, 5, LogLevel.SYSTEM, "only line")));
    queue.sealed(JOB2);
    stages.put(JOB2, LogArchiver.JobStage.FINISHED);

    archiver.runOnce();

    assertThat(archive.isArchived(JOB2)).isFalse();
    assertThat(blobs.list("jobs/" + JOB2 + "/")).isEmpty();
    assertThat(archiver.pendingCount()).isEqualTo(1);
  }

  @Test
  void open_onANodeWithoutACopy_afterTheStreamWasDropped_servesTheArchivedLogSealed() throws Exception {
    archiver.runOnce();
    clock.advance(GRACE);
    archiver.runOnce();
    assertThat(streamHolds(JOB)).isFalse();

    try (ClusterLogStore late = node("late"); JobLog log = late.open(JOB)) {
      assertThat(log.isSealed()).isTrue();
      assertThat(log.read(0, LogFilter.ALL, 1000)).containsExactlyElementsOf(sent);
      assertThat(text(log)).isEqualTo(expectedText(sent));
    }
  }

  @Test
  void open_onANodeWhoseCopyStoppedShort_afterTheStreamWasDropped_replacesItWithTheArchivedLog() throws Exception {
    LogMirror partial = LogMirror.open(JOB, new FileLogSegments(jobId -> dir.resolve("short").resolve(jobId)));
    partial.replicate(sent.subList(0, 40));
    partial.close();
    archiver.runOnce();
    clock.advance(GRACE);
    archiver.runOnce();

    try (ClusterLogStore node = node("short"); JobLog log = node.open(JOB)) {
      assertThat(log.isSealed()).isTrue();
      assertThat(log.read(0, LogFilter.ALL, 1000)).containsExactlyElementsOf(sent);
      assertThat(text(log)).isEqualTo(expectedText(sent));
    }
  }

  @Test
  void open_liveJobWhileObjectStorageIsDown_servesTheLinesTheStreamGave() {
    engine.assignOwner(JOB2, OWNER);
    LogLine only = new LogLine(1, 5, LogLevel.SYSTEM, "Job queued.");
    engine.append(JOB2, OWNER, 0, List.of(only));
    blobs.switchOff();

    try (ClusterLogStore node = node("n3"); JobLog log = node.open(JOB2)) {
      assertThat(log.read(0, LogFilter.ALL, 10)).containsExactly(only);
      assertThat(log.isSealed()).isFalse();
    }
  }

  @Test
  void open_archivedJobOnANodeWithoutACopyWhileObjectStorageIsDown_failsRatherThanServeAnEmptyLog() {
    archiver.runOnce();
    clock.advance(GRACE);
    archiver.runOnce();
    blobs.switchOff();

    try (ClusterLogStore node = node("n3")) {
      assertThatThrownBy(() -> node.open(JOB)).isInstanceOf(dev.buildcast.blob.BlobStoreUnavailableException.class);
    }
  }

  /** A node as the server wires it: spools and mirrors in the job folders, the archive restoring there. */
  private ClusterLogStore node(String name) {
    Path folder = dir.resolve(name);
    FileLogStore spools = new FileLogStore(jobId -> folder.resolve(jobId), LogStoreOptions.unforced(clock).withLimit(LogLimit.NONE));
    RetryTimer noRetries = (task, delay) -> {
      throw new AssertionError("nothing is shipped here");
    };
    return new ClusterLogStore(spools, new FileLogSegments(jobId -> folder.resolve(jobId)), engine, new MirrorFeed(engine),
        ClusterLogStore.runner(engine, name, jobId -> false), Runnable::run, noRetries, jobId -> {},
        new ClusterLogStore.Writer(name, clock), new BlobLogArchive(blobs, dir.resolve(name + "-work"), jobId -> folder.resolve(jobId)));
  }
}
