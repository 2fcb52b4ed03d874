package dev.buildcast.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the kept catch-up batches hold: found by job and cursor, bounded in lines, least recently used out first. */
class SharedCatchUpBatchesTest {

  private static LogBatch chunk(long afterSeq, int lines) {
    List<LogLine> all = new ArrayList<>();
    for (int i = 1; i <= lines; i++) all.add(new LogLine(afterSeq + i, 0, LogLevel.DETAIL, "line " + (afterSeq + i)));
    return new LogBatch(afterSeq, afterSeq + lines, LogFilter.ALL, all);
  }

  /** Whether {@code found} is {@code batch} as kept: its seqs and filter, and its encodings. */
  private static void assertKeptAs(LogBatch found, LogBatch batch) {
    assertThat(found).isNotNull();
    assertThat(found.afterSeq()).isEqualTo(batch.afterSeq());
    assertThat(found.throughSeq()).isEqualTo(batch.throughSeq());
    assertThat(found.filter()).isEqualTo(batch.filter());
    Object encoding = batch.encoded("check", b -> new Object());
    assertThat(found.<Object>encoded("check", b -> new Object())).isSameAs(encoding);
  }

  @Test
  void keptBatch_isFoundByItsJobAndCursorOnly() {
    SharedCatchUpBatches shared = new SharedCatchUpBatches(1_000, 1_000_000);
    LogBatch batch = chunk(100, 100);
    shared.keep("job-1", batch);

    assertKeptAs(shared.find("job-1", LogFilter.ALL, 100), batch);
    assertThat(shared.find("job-2", LogFilter.ALL, 100)).isNull();
    assertThat(shared.find("job-1", LogFilter.ALL, 0)).isNull();
  }

  @Test
  void keptBatch_holdsNoLines_butTheEncodingsMadeOfTheBatchAfterItWasKept() {
    SharedCatchUpBatches shared = new SharedCatchUpBatches(1_000, 1_000_000);
    LogBatch batch = chunk(0, 100);
    shared.keep("job", batch);
    Object encoding = batch.encoded("json", b -> "encoded " + b.lastSeq());

    LogBatch found = shared.find("job", LogFilter.ALL, 0);

    assertThat(found.hasEncoding("json")).isTrue();
    assertThat(found.<Object>encoded("json", b -> "again")).isSameAs(encoding);
    assertThatThrownBy(found::lines).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void overTheBound_theLeastRecentlyUsedGoesFirst() {
    SharedCatchUpBatches shared = new SharedCatchUpBatches(300, 1_000_000);
    shared.keep("job", chunk(0, 100));
    shared.keep("job", chunk(100, 100));
    shared.keep("job", chunk(200, 100));
    shared.find("job", LogFilter.ALL, 0);

    shared.keep("job", chunk(300, 100));

    assertThat(shared.find("job", LogFilter.ALL, 100)).as("least recently used").isNull();
    assertThat(shared.find("job", LogFilter.ALL, 0)).isNotNull();
    assertThat(shared.find("job", LogFilter.ALL, 200)).isNotNull();
    assertThat(shared.find("job", LogFilter.ALL, 300)).isNotNull();
    assertThat(shared.lineCount()).isEqualTo(300);
  }

  @Test
  void sameChunkKeptAgain_isCountedOnce() {
    SharedCatchUpBatches shared = new SharedCatchUpBatches(1_000, 1_000_000);
    shared.keep("job", chunk(0, 100));
    LogBatch again = chunk(0, 100);
    shared.keep("job", again);

    assertThat(shared.lineCount()).isEqualTo(100);
    assertKeptAs(shared.find("job", LogFilter.ALL, 0), again);
  }

  @Test
  void boundOfZero_keepsNothing() {
    SharedCatchUpBatches shared = new SharedCatchUpBatches(0, 1_000_000);
    shared.keep("job", chunk(0, 100));

    assertThat(shared.find("job", LogFilter.ALL, 0)).isNull();
    assertThat(shared.lineCount()).isZero();
  }

  @Test
  void basicAndEveryLineBatches_ofOneChunk_areKeptApart() {
    SharedCatchUpBatches shared = new SharedCatchUpBatches(1_000, 1_000_000);
    LogBatch basic = new LogBatch(0, 100, LogFilter.BASIC, List.of(new LogLine(2, 0, LogLevel.NOTICE, "n")));
    LogBatch all = chunk(0, 100);
    shared.keep("job", basic);
    shared.keep("job", all);

    assertKeptAs(shared.find("job", LogFilter.BASIC, 0), basic);
    assertKeptAs(shared.find("job", LogFilter.ALL, 0), all);
  }

  @Test
  void smallBatch_countsAsTheLeastCost_soTinyBatchesCannotFillTheMap() {
    SharedCatchUpBatches shared = new SharedCatchUpBatches(2L * SharedCatchUpBatches.LEAST_COST, 1_000_000);
    for (long k = 0; k < 5; k++) {
      shared.keep("job", new LogBatch(k * 100, (k + 1) * 100, LogFilter.BASIC, List.of(new LogLine(k * 100 + 1, 0, LogLevel.NOTICE, "n"))));
    }

    assertThat(shared.lineCount()).isEqualTo(2L * SharedCatchUpBatches.LEAST_COST);
    assertThat(shared.find("job", LogFilter.BASIC, 300)).isNotNull();
    assertThat(shared.find("job", LogFilter.BASIC, 400)).isNotNull();
    assertThat(shared.find("job", LogFilter.BASIC, 200)).isNull();
  }

  @Test
  void longLines_areBoundedByTheirChars_theLeastRecentlyUsedGoingFirst() {
    SharedCatchUpBatches shared = new SharedCatchUpBatches(1_000, 250_000);
    LogBatch wide = wideChunk(0, 100_000);
    shared.keep("job", wide);
    shared.keep("job", wideChunk(10, 100_000));
    shared.find("job", LogFilter.ALL, 0);

    shared.keep("job", wideChunk(20, 100_000));

    assertThat(shared.find("job", LogFilter.ALL, 10)).as("least recently used").isNull();
    assertKeptAs(shared.find("job", LogFilter.ALL, 0), wide);
    assertThat(shared.find("job", LogFilter.ALL, 20)).isNotNull();
    assertThat(shared.charCount()).isEqualTo(200_000);
    assertThat(shared.lineCount()).isEqualTo(2L * SharedCatchUpBatches.LEAST_COST);
  }

  @Test
  void batchWithMoreCharsThanTheBound_isNotKept_andPushesNothingOut() {
    SharedCatchUpBatches shared = new SharedCatchUpBatches(1_000, 250_000);
    shared.keep("job", chunk(0, 100));
    shared.keep("job", wideChunk(100, 300_000));

    assertThat(shared.find("job", LogFilter.ALL, 100)).isNull();
    assertThat(shared.find("job", LogFilter.ALL, 0)).isNotNull();
    assertThat(shared.lineCount()).isEqualTo(100);
  }

  /** Ten lines of {@code chars / 10} chars each after {@code afterSeq}. */
  private static LogBatch wideChunk(long afterSeq, int chars) {
    List<LogLine> lines = new ArrayList<>();
    for (int i = 1; i <= 10; i++) lines.add(new LogLine(afterSeq + i, 0, LogLevel.DETAIL, "w".repeat(chars / 10)));
    return new LogBatch(afterSeq, afterSeq + 10, LogFilter.ALL, lines);
  }
}
