package dev.buildcast.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LogBatchTest {

  private static LogLine line(long seq, LogLevel level) {
    return new LogLine(seq, 1L, level, "line " + seq);
  }

  @Test
  void encoded_byManyThreadsAtOnce_isComputedOnceAndShared() throws Exception {
    LogBatch batch = new LogBatch(0, 2, LogFilter.ALL, List.of(line(1, LogLevel.DETAIL), line(2, LogLevel.NOTICE)));
    AtomicInteger computations = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Object>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return batch.encoded("json", b -> {
                    computations.incrementAndGet();
                    return new StringBuilder("encoded ").append(b.lastSeq());
                  });
                }));
      }
      start.countDown();
      Object first = results.get(0).get();
      for (Future<Object> result : results) assertThat(result.get()).isSameAs(first);
    } finally {
      pool.shutdown();
    }
    assertThat(computations).hasValue(1);
    assertThat(batch.<String>encoded("other", b -> "second")).isEqualTo("second");
  }

  @Test
  void withoutLines_keepsSeqsAndEncodings_evenThoseMadeLater_butNotTheLines() {
    LogBatch batch = new LogBatch(0, 5, LogFilter.ALL, List.of(line(1, LogLevel.DETAIL), line(2, LogLevel.NOTICE)));
    Object json = batch.encoded("json", b -> "json of " + b.lastSeq());

    LogBatch kept = batch.withoutLines();
    Object message = batch.encoded("message", b -> "message of " + b.lastSeq());

    assertThat(kept.afterSeq()).isZero();
    assertThat(kept.throughSeq()).isEqualTo(5);
    assertThat(kept.filter()).isEqualTo(LogFilter.ALL);
    assertThat(kept.hasEncoding("json")).isTrue();
    assertThat(kept.<Object>encoded("json", b -> "again")).isSameAs(json);
    assertThat(kept.<Object>encoded("message", b -> "again")).isSameAs(message);
    assertThat(kept.hasEncoding("other")).isFalse();
    assertThatThrownBy(kept::lines).isInstanceOf(IllegalStateException.class).hasMessageContaining("without its lines");
    assertThatThrownBy(() -> kept.encoded("other", LogBatch::lines)).isInstanceOf(IllegalStateException.class);
    assertThat(kept.withoutLines()).isSameAs(kept);
  }

  @Test
  void withLines_readAgain_sharesTheKeptEncodings_andRejectsOtherLines() {
    List<LogLine> lines = List.of(line(1, LogLevel.DETAIL), line(2, LogLevel.NOTICE));
    LogBatch kept = new LogBatch(0, 5, LogFilter.ALL, lines).withoutLines();

    LogBatch again = kept.withLines(lines);
    Object other = again.encoded("other", b -> "other of " + b.lastSeq());

    assertThat(again.lines()).isEqualTo(lines);
    assertThat(again.throughSeq()).isEqualTo(5);
    assertThat(kept.<Object>encoded("other", b -> "again")).isSameAs(other);
    assertThatThrownBy(() -> kept.withLines(List.of(line(6, LogLevel.DETAIL)))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void new_invalidBatches_areRejected() {
    List<LogLine> ordered = List.of(line(3, LogLevel.DETAIL), line(4, LogLevel.DETAIL));
    assertThatThrownBy(() -> new LogBatch(0, 1, LogFilter.ALL, List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LogBatch(3, 4, LogFilter.ALL, ordered)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LogBatch(2, 3, LogFilter.ALL, ordered)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LogBatch(2, 4, LogFilter.BASIC, ordered)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LogBatch(2, 4, LogFilter.ALL, List.of(line(4, LogLevel.DETAIL), line(3, LogLevel.DETAIL))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void accessors_basicBatch_accountBeyondItsLastLine() {
    LogBatch batch = new LogBatch(10, 20, LogFilter.BASIC, List.of(line(12, LogLevel.GROUP), line(15, LogLevel.ERROR)));
    assertThat(batch.firstSeq()).isEqualTo(12);
    assertThat(batch.lastSeq()).isEqualTo(15);
    assertThat(batch.throughSeq()).isEqualTo(20);
    assertThat(batch.afterSeq()).isEqualTo(10);
  }

  @Test
  void after_cursorInsideTheBatch_keepsOnlyLaterLines() {
    LogBatch batch =
        new LogBatch(0, 3, LogFilter.ALL, List.of(line(1, LogLevel.DETAIL), line(2, LogLevel.DETAIL), line(3, LogLevel.DETAIL)));
    assertThat(batch.after(0)).isSameAs(batch);
    LogBatch rest = batch.after(1);
    assertThat(rest.afterSeq()).isEqualTo(1);
    assertThat(rest.lines()).extracting(LogLine::seq).containsExactly(2L, 3L);
    assertThat(batch.after(3)).isNull();
  }
}
