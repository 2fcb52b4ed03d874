package dev.buildcast.log.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.log.JobLog;
import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLimit;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.LogStore;
import dev.buildcast.log.LogStoreContract;
import dev.buildcast.log.LogStoreOptions;
import dev.buildcast.log.SegmentedLogStore;
import dev.buildcast.testing.MemoryAcceptedLines;
import dev.buildcast.testing.MemoryLogSegments;
import dev.buildcast.testing.SteppedExecutor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * The log store contract on the cluster store, every job owned by this node, over the in-memory
 * engine answering on the appending thread (so accepted, hence readable, before {@code append}
 * returns); then what only the cluster store does: readable only once accepted, mirrors of other
 * nodes' jobs, fencing.
 */
class ClusterLogStoreTest extends LogStoreContract {

  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
  private static final LogOwner N1 = new LogOwner("n1", 1);
  private static final RetryTimer NO_RETRIES = (task, delay) -> {
    throw new AssertionError("the in-memory engine does not fail here");
  };

  /** why by folder: a restart makes a new store on the same data, which memory keeps here. */
  private final Map<Path, MemoryLogSegments> spoolsByDir = new HashMap<>();
  private final Map<Path, MemoryAcceptedLines> enginesByDir = new HashMap<>();
  private final List<String> fenced = new ArrayList<>();
  /** The feed of the store made last. */
  private MirrorFeed lastFeed;

  @Override
  protected LogStore newStore(Path dir) {
    return newStore(dir, LogLimit.NONE);
  }

  @Override
  protected LogStore newStore(Path dir, LogLimit limit) {
    MemoryAcceptedLines engine = enginesByDir.computeIfAbsent(dir, d -> new MemoryAcceptedLines());
    return clusterStore(dir, limit, engine, Runnable::run, jobId -> Optional.of(claim(engine, jobId)));
  }

  private ClusterLogStore clusterStore(Path dir, LogLimit limit, MemoryAcceptedLines engine, Executor shipping,
      ClusterLogStore.Ownership ownership) {
    MemoryLogSegments spoolSegments = spoolsByDir.computeIfAbsent(dir, d -> new MemoryLogSegments());
    SegmentedLogStore spools = new SegmentedLogStore(spoolSegments, LogStoreOptions.unforced(CLOCK).withLimit(limit));
    lastFeed = new MirrorFeed(engine);
    return new ClusterLogStore(spools, new MemoryLogSegments(), engine, lastFeed, ownership, shipping, NO_RETRIES,
        fenced::add);
  }

  /** This node claims the job (a fresh one, or again after a restart) where the engine stands. */
  private static ClusterLogStore.Claim claim(MemoryAcceptedLines engine, String jobId) {
    if (!engine.hasOwner(jobId)) engine.assignOwner(jobId, N1);
    return new ClusterLogStore.Claim(N1, engine.lastSeq(jobId), engine.lastMark(jobId), engine.isSealed(jobId));
  }

  @Test
  void append_engineNotAnsweredYet_isReadableAndHeardOnlyOnceAccepted() throws Exception {
    MemoryAcceptedLines engine = new MemoryAcceptedLines();
    SteppedExecutor shipping = new SteppedExecutor();
    try (ClusterLogStore cluster = clusterStore(dir.resolve("stepped"), LogLimit.NONE, engine, shipping,
        jobId -> Optional.of(claim(engine, jobId)));
        JobLog log = cluster.open("job-1")) {
      List<LogLine> heard = new ArrayList<>();
      log.addListener(heard::addAll);
      List<LogLine> appended = log.append(LogLevel.NOTICE, "one\ntwo");
      assertThat(appended).extracting(LogLine::seq).containsExactly(1L, 2L);
      assertThat(log.lastSeq()).isZero();
      assertThat(log.read(0, LogFilter.ALL, 10)).isEmpty();
      assertThat(log.textBytes()).isZero();
      assertThat(text(log)).isEmpty();
      assertThat(heard).isEmpty();
      shipping.runAll();
      assertThat(log.lastSeq()).isEqualTo(2);
      assertThat(log.read(0, LogFilter.ALL, 10)).containsExactlyElementsOf(appended);
      assertThat(text(log)).isEqualTo("one\ntwo\n");
      assertThat(heard).containsExactlyElementsOf(appended);
      log.seal();
      assertThat(log.isSealed()).isFalse();
      shipping.runAll();
      assertThat(log.isSealed()).isTrue();
    }
  }

  @Test
  void shippingLagLines_sumsWhatRunningJobsPublishedAndTheEngineHasNotAccepted_leavingFencedOnesOut() throws Exception {
    MemoryAcceptedLines engine = new MemoryAcceptedLines();
    SteppedExecutor shipping = new SteppedExecutor();
    try (ClusterLogStore cluster = clusterStore(dir.resolve("lag"), LogLimit.NONE, engine, shipping,
        jobId -> Optional.of(claim(engine, jobId)));
        JobLog one = cluster.open("job-1");
        JobLog two = cluster.open("job-2")) {
      assertThat(cluster.shippingLagLines()).isZero();
      one.append(LogLevel.DETAIL, "a\nb\nc");
      two.append(LogLevel.DETAIL, "d\ne");
      assertThat(cluster.shippingLagLines()).isEqualTo(5);
      shipping.runAll();
      assertThat(cluster.shippingLagLines()).isZero();
      two.append(LogLevel.DETAIL, "f");
      engine.assignOwner("job-1", new LogOwner("n2", 2));
      one.append(LogLevel.DETAIL, "never accepted");
      assertThat(cluster.shippingLagLines()).isEqualTo(2);
      shipping.runAll();
      assertThat(fenced).containsExactly("job-1");
      assertThat(cluster.shippingLagLines()).as("job-1 fenced, job-2 shipped").isZero();
    }
  }

  @Test
  void open_jobAnotherNodeRuns_isItsMirrorFilledByTheFeed() throws Exception {
    MemoryAcceptedLines engine = new MemoryAcceptedLines();
    LogOwner other = new LogOwner("n2", 4);
    engine.assignOwner("job-x", other);
    try (ClusterLogStore cluster = clusterStore(dir.resolve("mirror"), LogLimit.NONE, engine, Runnable::run,
        jobId -> Optional.empty());
        JobLog log = cluster.open("job-x")) {
      List<LogLine> sent = List.of(new LogLine(1, 5, LogLevel.GROUP, "step"), new LogLine(2, 6, LogLevel.DETAIL, "out"));
      engine.append("job-x", other, 0, sent);
      engine.mark("job-x", other, 2, 1, LogMark.seal());
      lastFeed.pollOnce(Duration.ZERO);
      assertThat(log.read(0, LogFilter.ALL, 10)).containsExactlyElementsOf(sent);
      assertThat(log.isSealed()).isTrue();
      assertThatThrownBy(() -> log.append(LogLevel.DETAIL, "not mine")).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void append_afterAnotherNodeTookTheJobOver_reportsTheJobFencedAndShowsNothing() {
    MemoryAcceptedLines engine = new MemoryAcceptedLines();
    try (ClusterLogStore cluster = clusterStore(dir.resolve("fenced"), LogLimit.NONE, engine, Runnable::run,
        jobId -> Optional.of(claim(engine, jobId)));
        JobLog log = cluster.open("job-1")) {
      log.append(LogLevel.DETAIL, "mine");
      engine.assignOwner("job-1", new LogOwner("n2", 2));
      log.append(LogLevel.DETAIL, "too late");
      assertThat(fenced).containsExactly("job-1");
      assertThat(log.read(0, LogFilter.ALL, 10)).extracting(LogLine::text).containsExactly("mine");
      assertThat(engine.lines("job-1")).extracting(LogLine::text).containsExactly("mine");
    }
  }

  /** A node of a cluster as the server wires it: spool and mirrors on the same segments, writes of non-runners its own. */
  private ClusterLogStore node(String nodeId, MemoryAcceptedLines engine, java.util.Set<String> runsHere) {
    return node(nodeId, engine, runsHere, new MemoryLogSegments(), Runnable::run);
  }

  /** why one segments store for spools and mirrors: a node keeps both in the job's folder, as the wiring does. */
  private ClusterLogStore node(String nodeId, MemoryAcceptedLines engine, java.util.Set<String> runsHere, MemoryLogSegments segments,
      Executor shipping) {
    SegmentedLogStore spools = new SegmentedLogStore(segments, LogStoreOptions.unforced(CLOCK));
    lastFeed = new MirrorFeed(engine);
    return new ClusterLogStore(spools, segments, engine, lastFeed, ClusterLogStore.runner(engine, nodeId, runsHere::contains),
        shipping, NO_RETRIES, fenced::add, new ClusterLogStore.Writer(nodeId, CLOCK));
  }

  @Test
  void writer_jobNotRunHere_writesOneFencedLineThatReachesItsMirror() throws Exception {
    MemoryAcceptedLines engine = new MemoryAcceptedLines();
    try (ClusterLogStore submitter = node("n1", engine, java.util.Set.of()); JobLog log = submitter.open("job-1")) {
      List<LogLine> written = log.append(LogLevel.SYSTEM, "Job queued.");

      assertThat(written).extracting(LogLine::seq).containsExactly(1L);
      assertThat(engine.lines("job-1")).containsExactlyElementsOf(written);
      assertThat(log.lastSeq()).as("shown once the mirror has it from the stream").isZero();
      lastFeed.pollOnce(Duration.ofSeconds(30));
      assertThat(log.read(0, LogFilter.ALL, 10)).containsExactlyElementsOf(written);
      log.seal();
      assertThat(engine.isSealed("job-1")).isTrue();
      assertThatThrownBy(() -> log.append(LogLevel.ERROR, "late")).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void writer_mirrorOfAJobThisNodeNowRuns_becomesItsSpoolAndKeepsItsListeners() throws Exception {
    MemoryAcceptedLines engine = new MemoryAcceptedLines();
    java.util.Set<String> runsHere = new java.util.HashSet<>();
    try (ClusterLogStore n1 = node("n1", engine, runsHere); JobLog log = n1.open("job-1")) {
      List<LogLine> heard = new ArrayList<>();
      log.addListener(heard::addAll);
      log.append(LogLevel.SYSTEM, "Job queued.");
      runsHere.add("job-1");

      List<LogLine> started = log.append(LogLevel.SYSTEM, "Job started.");

      assertThat(started).extracting(LogLine::seq).containsExactly(2L);
      assertThat(engine.lines("job-1")).extracting(LogLine::text).containsExactly("Job queued.", "Job started.");
      assertThat(heard).extracting(LogLine::seq).containsExactly(1L, 2L);
      assertThat(log.lastSeq()).isEqualTo(2);
      assertThat(text(log)).isEqualTo("Job queued.\nJob started.\n");
      log.seal();
      assertThat(log.isSealed()).isTrue();
      assertThat(engine.isSealed("job-1")).isTrue();
    }
  }

  @Test
  void writer_runnerThatNeverSawTheJob_fillsItsSpoolFromTheStreamAndFencesTheSubmitter() throws Exception {
    MemoryAcceptedLines engine = new MemoryAcceptedLines();
    try (ClusterLogStore n1 = node("n1", engine, java.util.Set.of()); ClusterLogStore n2 = node("n2", engine, java.util.Set.of("job-1"));
        JobLog submitted = n1.open("job-1")) {
      submitted.append(LogLevel.SYSTEM, "Job queued.");
      try (JobLog running = n2.open("job-1")) {
        assertThat(running.lastSeq()).isEqualTo(1);
        assertThat(running.append(LogLevel.SYSTEM, "Job started.")).extracting(LogLine::seq).containsExactly(2L);
        assertThat(running.read(0, LogFilter.ALL, 10)).extracting(LogLine::text).containsExactly("Job queued.", "Job started.");
        assertThat(engine.lines("job-1")).extracting(LogLine::text).containsExactly("Job queued.", "Job started.");
        assertThat(engine.append("job-1", new LogOwner("n1", 0), 2, List.of(new LogLine(3, 0, LogLevel.DETAIL, "stale"))).outcome())
            .isEqualTo(AppendResult.Outcome.FENCED);
      }
    }
  }

  /** Hears what a log tells a listener, the failure included. */
  private static final class Heard implements dev.buildcast.log.JobLogListener {
    final List<LogLine> lines = new ArrayList<>();
    final List<RuntimeException> failures = new ArrayList<>();

    @Override
    public void appended(List<LogLine> appended) {
      lines.addAll(appended);
    }

    @Override
    public void failed(RuntimeException cause) {
      failures.add(cause);
    }
  }

  @Test
  void writer_runnerFencedByATakeover_tellsItsListenersTheLogMoved_andAHandleOpenedAfterWritesToTheStream() throws Exception {
    MemoryAcceptedLines engine = new MemoryAcceptedLines();
    try (ClusterLogStore n1 = node("n1", engine, java.util.Set.of("job-1")); JobLog running = n1.open("job-1")) {
      Heard before = new Heard();
      running.addListener(before);
      running.append(LogLevel.SYSTEM, "Job started.");
      engine.takeOver("job-1", "n2");

      running.append(LogLevel.DETAIL, "spooled, never accepted");

      assertThat(fenced).containsExactly("job-1");
      assertThat(before.lines).extracting(LogLine::text).containsExactly("Job started.");
      assertThat(before.failures).singleElement().isInstanceOf(dev.buildcast.log.LogMovedException.class);
      Heard later = new Heard();
      running.addListener(later);
      assertThat(later.failures).singleElement().isInstanceOf(dev.buildcast.log.LogMovedException.class);
      assertThat(running.read(0, LogFilter.ALL, 10)).extracting(LogLine::text).containsExactly("Job started.");

      try (JobLog afterwards = n1.open("job-1")) {
        afterwards.append(LogLevel.ERROR, "Job failed elsewhere.");
        afterwards.seal();
      }
      assertThat(engine.lines("job-1")).extracting(LogLine::text).containsExactly("Job started.", "Job failed elsewhere.");
      assertThat(engine.isSealed("job-1")).isTrue();
      assertThat(before.failures).hasSize(1);
    }
  }

  @Test
  void open_afterARestartOfANodeWhoseRunWasTakenOver_showsTheStreamNotLinesItSpooledButNeverGotAccepted() throws Exception {
    MemoryAcceptedLines engine = new MemoryAcceptedLines();
    MemoryLogSegments n1Folder = new MemoryLogSegments();
    SteppedExecutor shipping = new SteppedExecutor();
    // n1 runs the job and dies with one line accepted and one only in its spool
    ClusterLogStore dead = node("n1", engine, java.util.Set.of("job-1"), n1Folder, shipping);
    JobLog running = dead.open("job-1");
    running.append(LogLevel.SYSTEM, "Job started.");
    shipping.runAll();
    running.append(LogLevel.DETAIL, "spooled, never accepted");
    running.append(LogLevel.DETAIL, "spooled too");
    assertThat(engine.lines("job-1")).extracting(LogLine::text).containsExactly("Job started.");
    // n2 fails it: takes the log over, writes its line, seals
    try (ClusterLogStore n2 = node("n2", engine, java.util.Set.of()); JobLog reaper = n2.open("job-1")) {
      reaper.append(LogLevel.ERROR, "The server running this job stopped.");
      reaper.seal();
    }

    try (ClusterLogStore restarted = node("n1", engine, java.util.Set.of(), n1Folder, Runnable::run);
        JobLog log = restarted.open("job-1")) {
      assertThat(log.read(0, LogFilter.ALL, 10)).extracting(LogLine::text).containsExactly("Job started.", "The server running this job stopped.");
      assertThat(log.isSealed()).isTrue();
      assertThat(text(log)).isEqualTo("Job started.\nThe server running this job stopped.\n");
    }
  }

  @Test
  void open_afterARestartOfANodeWhoseSealWasNeverAccepted_showsTheLinesTheNodeThatTookOverWrote() throws Exception {
    MemoryAcceptedLines engine = new MemoryAcceptedLines();
    MemoryLogSegments n1Folder = new MemoryLogSegments();
    SteppedExecutor shipping = new SteppedExecutor();
    ClusterLogStore dead = node("n1", engine, java.util.Set.of("job-1"), n1Folder, shipping);
    JobLog running = dead.open("job-1");
    running.append(LogLevel.SYSTEM, "Job started.");
    shipping.runAll();
    running.seal(); // sealed in n1's spool, never shipped
    try (ClusterLogStore n2 = node("n2", engine, java.util.Set.of()); JobLog reaper = n2.open("job-1")) {
      reaper.append(LogLevel.ERROR, "The server running this job stopped.");
      reaper.seal();
    }

    try (ClusterLogStore restarted = node("n1", engine, java.util.Set.of(), n1Folder, Runnable::run);
        JobLog log = restarted.open("job-1")) {
      assertThat(log.read(0, LogFilter.ALL, 10)).extracting(LogLine::text).containsExactly("Job started.", "The server running this job stopped.");
      assertThat(log.isSealed()).isTrue();
    }
  }

  @Test
  void open_afterARestartOfANodeWhoseLinesWereAllAccepted_keepsItsCopy() throws Exception {
    MemoryAcceptedLines engine = new MemoryAcceptedLines();
    MemoryLogSegments n1Folder = new MemoryLogSegments();
    try (ClusterLogStore first = node("n1", engine, java.util.Set.of("job-1"), n1Folder, Runnable::run); JobLog running = first.open("job-1")) {
      running.append(LogLevel.SYSTEM, "one");
      running.append(LogLevel.SYSTEM, "two");
      running.seal();
    }
    List<LogLine> accepted = engine.lines("job-1");
    engine.delete("job-1"); // why: a copy the store did not keep is refilled from the stream; with the stream gone only the kept copy can answer

    try (ClusterLogStore restarted = node("n1", engine, java.util.Set.of(), n1Folder, Runnable::run);
        JobLog log = restarted.open("job-1")) {
      assertThat(log.read(0, LogFilter.ALL, 10)).containsExactlyElementsOf(accepted);
      assertThat(log.isSealed()).isTrue();
    }
  }

  @Test
  void writer_firstOpenOfAFinishedJobOnANodeWithoutAMirror_isWholeAndSealedAtOnce() throws Exception {
    MemoryAcceptedLines engine = new MemoryAcceptedLines();
    try (ClusterLogStore n1 = node("n1", engine, java.util.Set.of("job-1")); ClusterLogStore n2 = node("n2", engine, java.util.Set.of())) {
      try (JobLog running = n1.open("job-1")) {
        running.append(LogLevel.SYSTEM, "one");
        running.append(LogLevel.SYSTEM, "two");
        running.seal();
      }
      try (JobLog late = n2.open("job-1")) {
        assertThat(late.read(0, LogFilter.ALL, 10)).extracting(LogLine::text).containsExactly("one", "two");
        assertThat(late.isSealed()).isTrue();
        assertThat(text(late)).isEqualTo("one\ntwo\n");
      }
    }
  }
}
