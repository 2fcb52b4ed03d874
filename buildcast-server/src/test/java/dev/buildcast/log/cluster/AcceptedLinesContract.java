package dev.buildcast.log.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AcceptedLines} adapter must do. An adapter's test extends this, supplies
 * {@link #newEngine()} and how a job gets its owner ({@link #assignOwner}: the job store's claim
 * or takeover, not part of the port).
 */
public abstract class AcceptedLinesContract {

  protected static final LogOwner N1 = new LogOwner("n1", 1);
  protected static final LogOwner N2 = new LogOwner("n2", 2);
  /** Generous: returned early by every test that waits; only a broken adapter waits it out. */
  private static final Duration LONG_WAIT = Duration.ofSeconds(30);

  protected AcceptedLines engine;

  protected abstract AcceptedLines newEngine();

  protected abstract void assignOwner(String jobId, LogOwner owner);

  @BeforeEach
  void createEngine() {
    engine = newEngine();
    assignOwner("job-1", N1);
  }

  /** Lines {@code from..to}: "line N", level cycling, time 1000 + N. */
  protected static List<LogLine> lines(long from, long to) {
    List<LogLine> lines = new ArrayList<>();
    for (long seq = from; seq <= to; seq++) {
      LogLevel level = LogLevel.values()[(int) (seq % LogLevel.values().length)];
      lines.add(new LogLine(seq, 1000 + seq, level, "line " + seq));
    }
    return lines;
  }

  private List<LogLine> readLines(String jobId) {
    List<LogLine> found = new ArrayList<>();
    for (StreamEntry entry : engine.read(jobId, StreamPosition.START, 1000)) {
      if (entry instanceof StreamEntry.Lines batch) found.addAll(batch.lines());
    }
    return found;
  }

  @Test
  void takeOver_jobNobodyOwns_givesTheNodeEpochZero() {
    AcceptedLines.Takeover taken = engine.takeOver("job-new", "n3");
    assertThat(taken).isEqualTo(new AcceptedLines.Takeover(new LogOwner("n3", 0), 0, 0, false));
    assertThat(engine.append("job-new", taken.owner(), 0, lines(1, 1))).isEqualTo(AppendResult.accepted(1));
  }

  @Test
  void takeOver_byAnotherNode_raisesTheEpochAndFencesThePreviousOwner() {
    engine.append("job-1", N1, 0, lines(1, 2));
    engine.mark("job-1", N1, 2, 1, LogMark.status("{}"));

    AcceptedLines.Takeover taken = engine.takeOver("job-1", "n3");

    assertThat(taken).isEqualTo(new AcceptedLines.Takeover(new LogOwner("n3", 2), 2, 1, false));
    assertThat(engine.append("job-1", N1, 2, lines(3, 3)).outcome()).isEqualTo(AppendResult.Outcome.FENCED);
    assertThat(engine.append("job-1", taken.owner(), 2, lines(3, 3))).isEqualTo(AppendResult.accepted(3));
  }

  @Test
  void takeOver_byTheOwnerItself_keepsItsTokenSoItsShipperGoesOn() {
    engine.append("job-1", N1, 0, lines(1, 1));
    assertThat(engine.takeOver("job-1", "n1").owner()).isEqualTo(N1);
    assertThat(engine.append("job-1", N1, 1, lines(2, 2))).isEqualTo(AppendResult.accepted(2));
  }

  @Test
  void takeOver_sealedJob_changesNoOwnerAndSaysSealed() {
    engine.append("job-1", N1, 0, lines(1, 1));
    engine.mark("job-1", N1, 1, 1, LogMark.seal());
    AcceptedLines.Takeover taken = engine.takeOver("job-1", "n3");
    assertThat(taken.sealed()).isTrue();
    assertThat(taken.owner()).isEqualTo(N1);
    assertThat(taken.lastSeq()).isEqualTo(1);
  }

  @Test
  void append_byOwner_isAcceptedAndReadsBackExactly() {
    List<LogLine> sent = new ArrayList<>(lines(1, 2));
    sent.add(new LogLine(3, 42, LogLevel.ERROR, "Grüße 日本語 😀 \t\u001B[31mred"));
    sent.add(new LogLine(4, 43, LogLevel.ENDGROUP, ""));
    assertThat(engine.append("job-1", N1, 0, sent)).isEqualTo(AppendResult.accepted(4));
    assertThat(engine.append("job-1", N1, 4, lines(5, 5))).isEqualTo(AppendResult.accepted(5));
    List<LogLine> expected = new ArrayList<>(sent);
    expected.addAll(lines(5, 5));
    assertThat(readLines("job-1")).containsExactlyElementsOf(expected);
  }

  @Test
  void append_retryOfOneThatLanded_isDuplicateAndStoresNothingTwice() {
    engine.append("job-1", N1, 0, lines(1, 3));
    assertThat(engine.append("job-1", N1, 0, lines(1, 3))).isEqualTo(AppendResult.duplicate(3));
    assertThat(engine.read("job-1", StreamPosition.START, 10)).hasSize(1);
    assertThat(readLines("job-1")).containsExactlyElementsOf(lines(1, 3));
  }

  @Test
  void append_afterALostTail_isAGapNamingTheEnginesLastSeq() {
    engine.append("job-1", N1, 0, lines(1, 3));
    assertThat(engine.append("job-1", N1, 5, lines(6, 7))).isEqualTo(AppendResult.gap(3));
    assertThat(readLines("job-1")).containsExactlyElementsOf(lines(1, 3));
    assertThat(engine.append("job-1", N1, 3, lines(4, 7))).isEqualTo(AppendResult.accepted(7));
  }

  @Test
  void append_byAnotherNodeOrAnOlderEpoch_isFencedAndStoresNothing() {
    engine.append("job-1", N1, 0, lines(1, 2));
    assertThat(engine.append("job-1", N2, 2, lines(3, 3)).outcome()).isEqualTo(AppendResult.Outcome.FENCED);
    assignOwner("job-1", N1.next());
    assertThat(engine.append("job-1", N1, 2, lines(3, 3))).isEqualTo(AppendResult.fenced(2));
    assertThat(engine.append("job-1", N1, 0, lines(1, 2)).outcome()).isEqualTo(AppendResult.Outcome.FENCED);
    assertThat(readLines("job-1")).containsExactlyElementsOf(lines(1, 2));
    assertThat(engine.append("job-1", N1.next(), 2, lines(3, 3))).isEqualTo(AppendResult.accepted(3));
  }

  @Test
  void append_toAJobWithoutOwner_isFenced() {
    assertThat(engine.append("job-unclaimed", N1, 0, lines(1, 1)).outcome()).isEqualTo(AppendResult.Outcome.FENCED);
  }

  @Test
  void append_linesNotContinuingThePreviousSeq_isRefused() {
    assertThatThrownBy(() -> engine.append("job-1", N1, 0, lines(2, 3))).isInstanceOf(IllegalArgumentException.class);
    List<LogLine> holey = new ArrayList<>(lines(1, 1));
    holey.addAll(lines(3, 3));
    assertThatThrownBy(() -> engine.append("job-1", N1, 0, holey)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> engine.append("job-1", N1, 0, List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThat(readLines("job-1")).isEmpty();
  }

  @Test
  void mark_statusEventsAndSeal_areReadInOrderWithTheLines() {
    engine.mark("job-1", N1, 0, 1, LogMark.status("queued"));
    engine.append("job-1", N1, 0, lines(1, 2));
    engine.mark("job-1", N1, 2, 2, LogMark.status("running"));
    engine.mark("job-1", N1, 2, 3, LogMark.status("50%"));
    engine.append("job-1", N1, 2, lines(3, 3));
    assertThat(engine.mark("job-1", N1, 3, 4, LogMark.seal())).isEqualTo(AppendResult.accepted(3));
    List<String> order = engine.read("job-1", StreamPosition.START, 100).stream()
        .map(entry -> entry instanceof StreamEntry.Mark m ? m.mark().kind() + ":" + m.mark().payload() + "@" + m.position()
            : "lines " + ((StreamEntry.Lines) entry).firstSeq() + ".." + ((StreamEntry.Lines) entry).lastSeq())
        .toList();
    assertThat(order).containsExactly("STATUS:queued@0-1", "lines 1..2", "STATUS:running@2-2", "STATUS:50%@2-3",
        "lines 3..3", "SEAL:@3-4");
  }

  @Test
  void mark_retryOfOneThatLanded_isDuplicate() {
    engine.append("job-1", N1, 0, lines(1, 1));
    engine.mark("job-1", N1, 1, 1, LogMark.status("running"));
    assertThat(engine.mark("job-1", N1, 1, 1, LogMark.status("running"))).isEqualTo(AppendResult.duplicate(1));
    engine.mark("job-1", N1, 1, 2, LogMark.seal());
    assertThat(engine.mark("job-1", N1, 1, 2, LogMark.seal())).isEqualTo(AppendResult.duplicate(1));
    assertThat(engine.read("job-1", StreamPosition.START, 100)).hasSize(3);
  }

  @Test
  void mark_afterALineTheEngineDoesNotHave_isAGap() {
    engine.append("job-1", N1, 0, lines(1, 2));
    assertThat(engine.mark("job-1", N1, 5, 1, LogMark.status("x"))).isEqualTo(AppendResult.gap(2));
    assertThat(engine.mark("job-1", N1, 2, 2, LogMark.status("x"))).isEqualTo(AppendResult.gap(2));
  }

  @Test
  void mark_byAnOlderEpoch_isFenced() {
    assignOwner("job-1", N1.next());
    assertThat(engine.mark("job-1", N1, 0, 1, LogMark.seal()).outcome()).isEqualTo(AppendResult.Outcome.FENCED);
    assertThat(engine.read("job-1", StreamPosition.START, 100)).isEmpty();
  }

  @Test
  void append_afterTheSeal_isFencedEvenForTheOwner() {
    engine.append("job-1", N1, 0, lines(1, 1));
    engine.mark("job-1", N1, 1, 1, LogMark.seal());
    assertThat(engine.append("job-1", N1, 1, lines(2, 2)).outcome()).isEqualTo(AppendResult.Outcome.FENCED);
    assertThat(engine.mark("job-1", N1, 1, 2, LogMark.status("late")).outcome()).isEqualTo(AppendResult.Outcome.FENCED);
    assertThat(readLines("job-1")).containsExactlyElementsOf(lines(1, 1));
  }

  @Test
  void read_fromASeqInsideABatch_returnsThatBatchFirstForTheReaderToSkip() {
    engine.append("job-1", N1, 0, lines(1, 3));
    engine.append("job-1", N1, 3, lines(4, 7));
    engine.append("job-1", N1, 7, lines(8, 9));
    List<StreamEntry> entries = engine.read("job-1", StreamPosition.afterLine(5), 100);
    assertThat(entries).hasSize(2);
    StreamEntry.Lines first = (StreamEntry.Lines) entries.get(0);
    assertThat(first.firstSeq()).isEqualTo(4);
    assertThat(first.after(5)).containsExactlyElementsOf(lines(6, 7));
    assertThat(engine.read("job-1", StreamPosition.afterLine(9), 100)).isEmpty();
    assertThat(engine.read("job-1", StreamPosition.START, 2)).hasSize(2);
    assertThat(engine.read("job-unknown", StreamPosition.START, 2)).isEmpty();
  }

  @Test
  void read_afterAMarkPosition_returnsOnlyLaterEntries() {
    engine.append("job-1", N1, 0, lines(1, 1));
    engine.mark("job-1", N1, 1, 1, LogMark.status("a"));
    engine.mark("job-1", N1, 1, 2, LogMark.status("b"));
    List<StreamEntry> entries = engine.read("job-1", new StreamPosition(1, 1), 100);
    assertThat(entries).extracting(StreamEntry::position).containsExactly(new StreamPosition(1, 2));
  }

  @Test
  void awaitEntries_withEntriesThere_returnsThemPerJob() throws Exception {
    assignOwner("job-2", N2);
    engine.append("job-1", N1, 0, lines(1, 2));
    engine.append("job-2", N2, 0, lines(1, 1));
    Map<String, List<StreamEntry>> found = engine.awaitEntries(
        Map.of("job-1", StreamPosition.afterLine(2), "job-2", StreamPosition.START), LONG_WAIT);
    assertThat(found).containsOnlyKeys("job-2");
    assertThat(((StreamEntry.Lines) found.get("job-2").get(0)).lines()).containsExactlyElementsOf(lines(1, 1));
  }

  @Test
  void awaitEntries_blocked_returnsWhenAWatchedJobGetsAnEntry() throws Exception {
    assignOwner("job-2", N2);
    CompletableFuture<Map<String, List<StreamEntry>>> waiting = CompletableFuture.supplyAsync(() -> await(
        Map.of("job-1", StreamPosition.START, "job-2", StreamPosition.START)));
    engine.append("job-2", N2, 0, lines(1, 1));
    Map<String, List<StreamEntry>> found = waiting.get(LONG_WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(found).containsOnlyKeys("job-2");
  }

  @Test
  void wake_beforeOrDuringAWait_makesItReturnEmpty() throws Exception {
    engine.wake();
    assertThat(engine.awaitEntries(Map.of("job-1", StreamPosition.START), LONG_WAIT)).isEmpty();
    CompletableFuture<Map<String, List<StreamEntry>>> waiting =
        CompletableFuture.supplyAsync(() -> await(Map.of("job-1", StreamPosition.START)));
    engine.wake();
    assertThat(waiting.get(LONG_WAIT.toSeconds(), TimeUnit.SECONDS)).isEmpty();
  }

  private Map<String, List<StreamEntry>> await(Map<String, StreamPosition> watched) {
    try {
      return engine.awaitEntries(watched, LONG_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void delete_job_forgetsItsStreamAndOwner() {
    assignOwner("job-2", N2);
    engine.append("job-1", N1, 0, lines(1, 2));
    engine.append("job-2", N2, 0, lines(1, 1));
    engine.delete("job-1");
    engine.delete("job-never");
    assertThat(engine.read("job-1", StreamPosition.START, 10)).isEmpty();
    assertThat(engine.append("job-1", N1, 0, lines(1, 1)).outcome()).isEqualTo(AppendResult.Outcome.FENCED);
    assignOwner("job-1", N1);
    assertThat(engine.append("job-1", N1, 0, lines(1, 1))).isEqualTo(AppendResult.accepted(1));
    assertThat(readLines("job-2")).containsExactlyElementsOf(lines(1, 1));
  }

  @Test
  void jobs_areIndependent() {
    assignOwner("job-2", N2);
    engine.append("job-1", N1, 0, lines(1, 2));
    assertThat(engine.append("job-2", N2, 0, lines(1, 1))).isEqualTo(AppendResult.accepted(1));
    assertThat(engine.append("job-2", N1, 1, lines(2, 2)).outcome()).isEqualTo(AppendResult.Outcome.FENCED);
    assertThat(readLines("job-2")).containsExactlyElementsOf(lines(1, 1));
  }
}
