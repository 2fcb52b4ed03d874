package dev.buildcast.log.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.log.JobLog;
import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.PendingLine;
import dev.buildcast.testing.MemoryAcceptedLines;
import dev.buildcast.testing.MemoryLogStore;
import dev.buildcast.testing.ReadRecordingJobLog;
import dev.buildcast.testing.SteppedExecutor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The owner's shipper, stepped: the test runs each append (a {@link SteppedExecutor} task) and
 * each retry (a {@link ManualRetryTimer}) itself, and the in-memory engine answers as told.
 */
class LogShipperTest {

  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
  private static final LogOwner OWNER = new LogOwner("n1", 3);

  private final MemoryAcceptedLines memory = new MemoryAcceptedLines();
  private final RecordingEngine engine = new RecordingEngine(memory);
  private final MemoryLogStore spools = new MemoryLogStore(CLOCK);
  private final SteppedExecutor executor = new SteppedExecutor();
  private final ManualRetryTimer retries = new ManualRetryTimer();
  private final RecordingShippingListener heard = new RecordingShippingListener();
  private JobLog spool;
  private LogShipper shipper;

  @BeforeEach
  void start() {
    memory.assignOwner("job-1", OWNER);
    spool = spools.open("job-1");
    shipper = new LogShipper("job-1", OWNER, engine, spool, 0, 0, executor, retries, heard);
    shipper.start();
  }

  @AfterEach
  void stop() {
    shipper.close();
    spool.close();
  }

  private List<LogLine> spooled() {
    return spool.read(0, LogFilter.ALL, Integer.MAX_VALUE);
  }

  @Test
  void append_quietJob_shipsTheLineAtOnceAndShowsItOnlyWhenAccepted() {
    spool.append(LogLevel.NOTICE, "one");
    assertThat(executor.queuedCount()).isEqualTo(1);
    assertThat(heard.lines).isEmpty();
    executor.runNext();
    assertThat(memory.lines("job-1")).containsExactlyElementsOf(spooled());
    assertThat(heard.lines).containsExactlyElementsOf(spooled());
    assertThat(executor.queuedCount()).isZero();
    assertThat(shipper.lagLines()).isZero();
  }

  @Test
  void append_whileOneIsInFlight_goesTogetherInTheNextAppend() {
    engine.duringNextAppend(() -> {
      for (int i = 2; i <= 5; i++) spool.append(LogLevel.DETAIL, "line " + i);
      // why here: the lines published while the append is in flight are not yet visible
      assertThat(heard.lines).isEmpty();
      assertThat(shipper.lagLines()).isEqualTo(5);
    });
    spool.append(LogLevel.DETAIL, "line 1");
    executor.runAll();
    assertThat(engine.calls).containsExactly("append after 0: 1..1", "append after 1: 2..5");
    assertThat(heard.lines).containsExactlyElementsOf(spooled());
  }

  @Test
  void append_accepted_leavesNothingHeldInMemory() {
    engine.duringNextAppend(() -> {
      spool.append(LogLevel.DETAIL, "line 2 \u00e9");
      assertThat(shipper.heldBytes()).isEqualTo(PendingLine.bytes("line 1").length + PendingLine.bytes("line 2 \u00e9").length);
    });
    spool.append(LogLevel.DETAIL, "line 1");
    executor.runNext();
    assertThat(shipper.heldBytes()).isEqualTo(PendingLine.bytes("line 2 \u00e9").length);
    executor.runAll();
    assertThat(shipper.heldBytes()).isZero();
    assertThat(heard.lines).containsExactlyElementsOf(spooled());
  }

  @Test
  void append_moreThanOneBatchWaiting_splitsAt256KiB() {
    String kilobyte = "x".repeat(1000);
    spool.batch(() -> {
      for (int i = 0; i < 300; i++) spool.append(LogLevel.DETAIL, kilobyte);
    });
    executor.runAll();
    int perBatch = LogShipper.MAX_BATCH_BYTES / PendingLine.bytes(kilobyte).length;
    assertThat(engine.calls).containsExactly("append after 0: 1.." + perBatch, "append after " + perBatch + ": " + (perBatch + 1) + "..300");
    assertThat(memory.lines("job-1")).containsExactlyElementsOf(spooled());
  }

  @Test
  void append_engineDown_retriesTheSameAppendWithGrowingDelaysWithoutBlockingTheWriter() {
    memory.goDown();
    spool.append(LogLevel.DETAIL, "line 1");
    executor.runNext();
    spool.append(LogLevel.DETAIL, "line 2");
    spool.append(LogLevel.DETAIL, "line 3");
    assertThat(executor.queuedCount()).isZero();
    retries.runNext();
    executor.runNext();
    assertThat(retries.delays).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    memory.comeBack();
    retries.runNext();
    executor.runAll();
    assertThat(engine.calls).containsExactly("append after 0: 1..1", "append after 0: 1..1", "append after 0: 1..1",
        "append after 1: 2..3");
    assertThat(heard.lines).containsExactlyElementsOf(spooled());
    assertThat(memory.lines("job-1")).containsExactlyElementsOf(spooled());
  }

  @Test
  void append_backOff_stopsGrowingAtFiveSecondsAndStartsOverAfterAnAnswer() {
    memory.goDown();
    spool.append(LogLevel.DETAIL, "line 1");
    executor.runNext();
    for (int i = 0; i < 8; i++) {
      retries.runNext();
      executor.runNext();
    }
    assertThat(retries.delays.get(retries.delays.size() - 1)).isEqualTo(Duration.ofSeconds(5));
    memory.comeBack();
    retries.runNext();
    executor.runAll();
    memory.goDown();
    spool.append(LogLevel.DETAIL, "line 2");
    executor.runNext();
    assertThat(retries.delays.get(retries.delays.size() - 1)).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void append_answerLost_retryIsADuplicateAndEveryLineIsShownOnce() {
    memory.loseAnswers(true);
    spool.append(LogLevel.DETAIL, "line 1\nline 2");
    executor.runNext();
    assertThat(heard.lines).isEmpty();
    memory.loseAnswers(false);
    retries.runNext();
    executor.runAll();
    assertThat(engine.calls).containsExactly("append after 0: 1..2", "append after 0: 1..2");
    assertThat(heard.lines).containsExactlyElementsOf(spooled());
    assertThat(memory.entries("job-1")).hasSize(1);
  }

  @Test
  void append_engineLostItsTail_shipsItAgainFromTheSpoolWithTheSameSeqsAndText() {
    spool.append(LogLevel.DETAIL, "line 1\nline 2\nline 3");
    executor.runAll();
    spool.append(LogLevel.WARNING, "line 4\nline 5");
    executor.runAll();
    memory.loseLastEntries("job-1", 1);
    spool.append(LogLevel.DETAIL, "line 6");
    executor.runAll();
    assertThat(engine.calls).containsExactly("append after 0: 1..3", "append after 3: 4..5", "append after 5: 6..6",
        "append after 3: 4..6");
    assertThat(memory.lines("job-1")).containsExactlyElementsOf(spooled());
    assertThat(heard.lines).containsExactlyElementsOf(spooled());
  }

  @Test
  void append_outageLongerThanMemoryHolds_shipsTheRestFromTheSpool() {
    memory.goDown();
    String line = "y".repeat(999);
    int count = 2 * LogShipper.MAX_MEMORY_BYTES / 1000;
    spool.batch(() -> {
      for (int i = 0; i < count; i++) spool.append(LogLevel.DETAIL, line);
    });
    assertThat(shipper.heldBytes()).isLessThanOrEqualTo(LogShipper.MAX_MEMORY_BYTES);
    executor.runNext();
    memory.comeBack();
    retries.runNext();
    executor.runAll();
    assertThat(memory.lines("job-1")).containsExactlyElementsOf(spooled());
    assertThat(heard.lines).containsExactlyElementsOf(spooled());
    assertThat(engine.calls).allSatisfy(call -> assertThat(call).startsWith("append"));
    assertThat(engine.calls.size()).isGreaterThan(count * 1000 / LogShipper.MAX_BATCH_BYTES);
  }

  @Test
  void append_outageWithLongLines_readsTheSpoolABatchAtATime_notAThousandLongLines() {
    shipper.close();
    memory.assignOwner("job-2", OWNER);
    try (JobLog other = spools.open("job-2")) {
      ReadRecordingJobLog recorded = new ReadRecordingJobLog(other);
      LogShipper longLines = new LogShipper("job-2", OWNER, engine, recorded, 0, 0, executor, retries, heard);
      longLines.start();
      memory.goDown();
      String line = "\u00e9".repeat(30_000); // 60,000 bytes of UTF-8: about four lines to a batch
      int count = 3 * LogShipper.MAX_MEMORY_BYTES / 60_000;
      other.batch(() -> {
        for (int i = 0; i < count; i++) other.append(LogLevel.DETAIL, line);
      });
      executor.runNext();
      memory.comeBack();
      retries.runNext();
      executor.runAll();

      assertThat(memory.lines("job-2")).containsExactlyElementsOf(other.read(0, LogFilter.ALL, Integer.MAX_VALUE));
      assertThat(recorded.largestReadBytes()).as("one read of the spool").isLessThanOrEqualTo(LogShipper.MAX_BATCH_BYTES + 60_000L);
      longLines.close();
    }
  }

  @Test
  void append_fenced_stopsShippingReportsItAndShowsNothing() {
    memory.assignOwner("job-1", OWNER.next());
    spool.append(LogLevel.DETAIL, "line 1");
    executor.runAll();
    assertThat(heard.fencedAt).containsExactly(0L);
    assertThat(shipper.isFenced()).isTrue();
    spool.append(LogLevel.DETAIL, "line 2");
    shipper.publishStatus("running");
    assertThat(executor.queuedCount()).isZero();
    assertThat(heard.lines).isEmpty();
    assertThat(memory.lines("job-1")).isEmpty();
  }

  @Test
  void marks_statusAndSeal_goInOrderWithTheLines() {
    spool.append(LogLevel.DETAIL, "line 1\nline 2");
    shipper.publishStatus("running");
    spool.append(LogLevel.DETAIL, "line 3");
    spool.seal();
    executor.runAll();
    assertThat(engine.calls).containsExactly("append after 0: 1..2", "mark 1 after 2: STATUS running",
        "append after 2: 3..3", "mark 2 after 3: SEAL ");
    assertThat(heard.events).containsExactly("lines 1..2", "STATUS running", "lines 3..3", "SEAL ");
    assertThat(shipper.isFinished()).isTrue();
  }

  @Test
  void marks_lostWithATail_areSentAgainWithTheirNumbers() {
    spool.append(LogLevel.DETAIL, "line 1\nline 2");
    executor.runAll();
    shipper.publishStatus("running");
    spool.append(LogLevel.DETAIL, "line 3");
    executor.runAll();
    memory.loseLastEntries("job-1", 2);
    spool.append(LogLevel.DETAIL, "line 4");
    executor.runAll();
    assertThat(engine.calls).endsWith("append after 3: 4..4", "mark 1 after 2: STATUS running", "append after 2: 3..4");
    assertThat(memory.entries("job-1")).extracting(StreamEntry::position)
        .containsExactly(new StreamPosition(2, 0), new StreamPosition(2, 1), new StreamPosition(4, 0));
    assertThat(heard.events).containsExactly("lines 1..2", "STATUS running", "lines 3..3", "lines 4..4");
  }

  @Test
  void marks_engineLostAnotherNodesMark_gapWithoutProgressIsRetriedWithGrowingDelays() {
    shipper.close();
    // another node (the submitter) wrote line 1 and mark 1; then this owner took the job over
    LogOwner submitter = new LogOwner("n0", 0);
    memory.assignOwner("job-2", submitter);
    try (JobLog other = spools.open("job-2")) {
      other.append(LogLevel.DETAIL, "queued");
      memory.append("job-2", submitter, 0, other.read(0, LogFilter.ALL, 1));
      memory.mark("job-2", submitter, 1, 1, LogMark.status("queued"));
      memory.assignOwner("job-2", OWNER);
      LogShipper taken = new LogShipper("job-2", OWNER, engine, other, 1, 1, executor, retries, heard);
      taken.start();
      // the restarted engine lost that mark, which this shipper never sent and cannot send again
      memory.loseLastEntries("job-2", 1);
      taken.publishStatus("running");
      executor.runNext();
      assertThat(engine.calls).containsExactly("mark 2 after 1: STATUS running");
      assertThat(executor.queuedCount()).isEqualTo(1); // why: a first GAP may be a lost tail, sent again at once
      executor.runNext();
      assertThat(engine.calls).hasSize(2);
      assertThat(executor.queuedCount()).isZero();
      assertThat(retries.delays).containsExactly(Duration.ofMillis(100));
      retries.runNext();
      executor.runNext();
      assertThat(executor.queuedCount()).isZero();
      assertThat(retries.delays).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
      assertThat(heard.events).isEmpty();
      taken.close();
    }
  }

  @Test
  void append_gapThenProgress_nextGapIsSentAgainAtOnce() {
    spool.append(LogLevel.DETAIL, "line 1\nline 2");
    executor.runAll();
    memory.loseLastEntries("job-1", 1);
    spool.append(LogLevel.DETAIL, "line 3");
    executor.runAll();
    memory.loseLastEntries("job-1", 1);
    spool.append(LogLevel.DETAIL, "line 4");
    executor.runAll();
    assertThat(retries.delays).isEmpty();
    assertThat(engine.calls).containsExactly("append after 0: 1..2", "append after 2: 3..3", "append after 0: 1..3",
        "append after 3: 4..4", "append after 0: 1..4");
    assertThat(memory.lines("job-1")).containsExactlyElementsOf(spooled());
    assertThat(heard.lines).containsExactlyElementsOf(spooled());
  }

  @Test
  void start_spoolHoldsLinesBeyondWhatWasAccepted_shipsThem() {
    shipper.close();
    memory.assignOwner("job-2", OWNER);
    try (JobLog other = spools.open("job-2")) {
      other.append(LogLevel.DETAIL, "a\nb\nc");
      memory.append("job-2", OWNER, 0, other.read(0, LogFilter.ALL, 1));
      LogShipper restarted = new LogShipper("job-2", OWNER, engine, other, 1, 0, executor, retries, heard);
      restarted.start();
      executor.runAll();
      assertThat(memory.lines("job-2")).containsExactlyElementsOf(other.read(0, LogFilter.ALL, 10));
      assertThat(heard.lines).extracting(LogLine::text).containsExactly("b", "c");
      restarted.close();
    }
  }

  @Test
  void start_onAStaleCount_tellsTheLinesTheEngineHeldFromTheSpoolAReadAtATime_eachOnceInOrder() {
    shipper.close();
    memory.assignOwner("job-2", OWNER);
    try (JobLog other = spools.open("job-2")) {
      for (int i = 1; i <= 3_000; i++) other.append(LogLevel.DETAIL, "line " + i);
      // the engine holds 2,500 of them; the restarted owner believes it holds none
      memory.append("job-2", OWNER, 0, other.read(0, LogFilter.ALL, 2_500));
      LogShipper restarted = new LogShipper("job-2", OWNER, engine, other, 0, 0, executor, retries, heard);
      restarted.start();
      executor.runAll();
      assertThat(memory.lines("job-2")).containsExactlyElementsOf(other.read(0, LogFilter.ALL, 3_000));
      assertThat(heard.lines).containsExactlyElementsOf(other.read(0, LogFilter.ALL, 3_000));
      assertThat(heard.events).containsExactly("lines 1..1000", "lines 1001..2000", "lines 2001..2500", "lines 2501..3000");
      restarted.close();
    }
  }

  /** Records each call to the engine, and can run something while the next append is in flight. */
  private static final class RecordingEngine implements AcceptedLines {
    private final AcceptedLines engine;
    final List<String> calls = new ArrayList<>();
    private Runnable duringNextAppend;

    RecordingEngine(AcceptedLines engine) {
      this.engine = engine;
    }

    void duringNextAppend(Runnable action) {
      duringNextAppend = action;
    }

    @Override
    public AppendResult append(String jobId, LogOwner owner, long previousLastSeq, List<LogLine> lines) {
      calls.add("append after " + previousLastSeq + ": " + lines.get(0).seq() + ".." + lines.get(lines.size() - 1).seq());
      Runnable action = duringNextAppend;
      duringNextAppend = null;
      if (action != null) action.run();
      return engine.append(jobId, owner, previousLastSeq, lines);
    }

    @Override
    public AppendResult mark(String jobId, LogOwner owner, long afterSeq, long number, LogMark mark) {
      calls.add("mark " + number + " after " + afterSeq + ": " + mark.kind() + " " + mark.payload());
      return engine.mark(jobId, owner, afterSeq, number, mark);
    }

    @Override
    public List<StreamEntry> read(String jobId, StreamPosition after, int maxEntries) {
      return engine.read(jobId, after, maxEntries);
    }

    @Override
    public Takeover takeOver(String jobId, String nodeId) {
      calls.add("take over for " + nodeId);
      return engine.takeOver(jobId, nodeId);
    }

    @Override
    public Map<String, List<StreamEntry>> awaitEntries(Map<String, StreamPosition> watched, Duration timeout)
        throws InterruptedException {
      return engine.awaitEntries(watched, timeout);
    }

    @Override
    public void wake() {
      engine.wake();
    }

    @Override
    public void delete(String jobId) {
      engine.delete(jobId);
    }
  }

  /** Hears what the shipper got accepted. */
  private static final class RecordingShippingListener implements ShippingListener {
    final List<LogLine> lines = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    final List<Long> fencedAt = new ArrayList<>();

    @Override
    public void accepted(List<LogLine> accepted) {
      lines.addAll(accepted);
      events.add("lines " + accepted.get(0).seq() + ".." + accepted.get(accepted.size() - 1).seq());
    }

    @Override
    public void marked(LogMark mark) {
      events.add(mark.kind() + " " + mark.payload());
    }

    @Override
    public void fenced(long engineLastSeq) {
      fencedAt.add(engineLastSeq);
    }
  }
}
