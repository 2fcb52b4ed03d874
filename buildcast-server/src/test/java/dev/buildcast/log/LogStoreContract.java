package dev.buildcast.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link LogStore} and its {@link JobLog}s must do, whatever keeps the lines. A store
 * implementation's test extends this and supplies {@link #newStore}.
 *
 * <p>Lines become readable ({@code read}, {@code lastSeq}, the text, listeners) when the store
 * publishes them: a local store when {@code append} (or the batch scope) returns; the cluster
 * store ({@code log.cluster.ClusterLogStore}) when the engine accepted them, which its tests make
 * happen on the appending thread (shipping runs there), so these cases hold for it as written:
 * {@code log.cluster.ClusterLogStoreTest} over the in-memory engine, {@code
 * cluster.RedisClusterLogStoreTest} over a real {@code redis-server}.
 */
public abstract class LogStoreContract {

  @TempDir protected Path dir;
  protected LogStore store;

  /** A store keeping its data under {@code dir}; called again to simulate a restart. */
  protected abstract LogStore newStore(Path dir);

  /** Like {@link #newStore(Path)}, keeping each log within {@code limit}. */
  protected abstract LogStore newStore(Path dir, LogLimit limit);

  /** The limit of the store under test; {@link #useLimit} changes it. */
  protected LogLimit limit = LogLimit.NONE;

  @BeforeEach
  void createStore() {
    store = newStore(dir);
  }

  @AfterEach
  void closeStore() throws Exception {
    if (store instanceof AutoCloseable closeable) closeable.close();
  }

  /** Closes the store and opens a new one on the same data, as a server restart does. */
  protected LogStore restart() throws Exception {
    if (store instanceof AutoCloseable closeable) closeable.close();
    store = newStore(dir, limit);
    return store;
  }

  /** Replaces the store by one keeping each log within {@code newLimit}. */
  protected void useLimit(LogLimit newLimit) throws Exception {
    limit = newLimit;
    restart();
  }

  protected static List<LogLine> readAll(JobLog log, LogFilter filter) {
    List<LogLine> all = new ArrayList<>();
    long after = 0;
    while (true) {
      List<LogLine> chunk = log.read(after, filter, 100);
      if (chunk.isEmpty()) return all;
      all.addAll(chunk);
      after = chunk.get(chunk.size() - 1).seq();
    }
  }

  protected static String text(JobLog log) throws IOException {
    try (InputStream in = log.openText()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void open_newJob_isEmpty() throws IOException {
    try (JobLog log = store.open("job-1")) {
      assertThat(log.jobId()).isEqualTo("job-1");
      assertThat(log.lastSeq()).isZero();
      assertThat(log.read(0, LogFilter.ALL, 10)).isEmpty();
      assertThat(log.textBytes()).isZero();
      assertThat(text(log)).isEmpty();
      assertThat(log.isSealed()).isFalse();
    }
  }

  @Test
  void append_toNewLog_numbersLinesFromOne() {
    try (JobLog log = store.open("job-1")) {
      assertThat(log.append(LogLevel.DETAIL, "a")).extracting(LogLine::seq).containsExactly(1L);
      assertThat(log.append(LogLevel.NOTICE, "b")).extracting(LogLine::seq).containsExactly(2L);
      assertThat(log.lastSeq()).isEqualTo(2);
    }
  }

  @Test
  void read_afterAppends_returnsEqualLinesInOrder() {
    try (JobLog log = store.open("job-1")) {
      List<LogLine> appended = new ArrayList<>();
      for (LogLevel level : LogLevel.values()) appended.addAll(log.append(level, "line " + level));
      assertThat(log.read(0, LogFilter.ALL, 100)).containsExactlyElementsOf(appended);
      assertThat(appended).allSatisfy(line -> assertThat(line.timestampMillis()).isPositive());
    }
  }

  @Test
  void read_afterSeq_returnsOnlyLaterLines() {
    try (JobLog log = store.open("job-1")) {
      for (int i = 1; i <= 10; i++) log.append(LogLevel.DETAIL, "line " + i);
      assertThat(log.read(7, LogFilter.ALL, 100))
          .extracting(LogLine::seq, LogLine::text)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(8L, "line 8"),
              org.assertj.core.groups.Tuple.tuple(9L, "line 9"),
              org.assertj.core.groups.Tuple.tuple(10L, "line 10"));
      assertThat(log.read(10, LogFilter.ALL, 100)).isEmpty();
      assertThat(log.read(99, LogFilter.ALL, 100)).isEmpty();
    }
  }

  @Test
  void read_maxLines_returnsAtMostThatMany() {
    try (JobLog log = store.open("job-1")) {
      for (int i = 1; i <= 10; i++) log.append(LogLevel.DETAIL, "line " + i);
      assertThat(log.read(2, LogFilter.ALL, 3)).extracting(LogLine::seq).containsExactly(3L, 4L, 5L);
      assertThat(log.read(0, LogFilter.ALL, 0)).isEmpty();
    }
  }

  @Test
  void read_basicFilter_skipsDetailLinesAndKeepsDetailedSeqs() {
    try (JobLog log = store.open("job-1")) {
      log.append(LogLevel.DETAIL, "d1");
      log.append(LogLevel.GROUP, "step");
      log.append(LogLevel.DETAIL, "d2");
      log.append(LogLevel.DETAIL, "d3");
      log.append(LogLevel.WARNING, "careful");
      log.append(LogLevel.ENDGROUP, "");
      log.append(LogLevel.DETAIL, "d4");
      assertThat(log.read(0, LogFilter.BASIC, 100))
          .extracting(LogLine::seq, LogLine::level)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(2L, LogLevel.GROUP),
              org.assertj.core.groups.Tuple.tuple(5L, LogLevel.WARNING),
              org.assertj.core.groups.Tuple.tuple(6L, LogLevel.ENDGROUP));
      assertThat(log.read(3, LogFilter.BASIC, 1)).extracting(LogLine::seq).containsExactly(5L);
      assertThat(log.read(6, LogFilter.BASIC, 100)).isEmpty();
    }
  }

  @Test
  void readThrough_returnsEveryMatchingLineUpToTheSeq_andNoneAfter() {
    try (JobLog log = store.open("job-1")) {
      for (int i = 1; i <= 40; i++) log.append(i % 7 == 0 ? LogLevel.WARNING : LogLevel.DETAIL, "line " + i);
      for (LogFilter filter : LogFilter.values()) {
        for (long after : new long[] {0, 6, 7, 20}) {
          for (long through : new long[] {after, after + 1, 13, 14, 35, 40}) {
            if (through < after) continue;
            List<LogLine> expected = log.read(after, filter, 100).stream().filter(line -> line.seq() <= through).toList();
            LinesThrough read = log.readThrough(after, through, filter, Long.MAX_VALUE);
            assertThat(read.lines()).as("%s after %d through %d", filter, after, through).containsExactlyElementsOf(expected);
            assertThat(read.throughSeq()).isEqualTo(through);
          }
        }
      }
    }
  }

  @Test
  void readThrough_boundedByBytes_stopsAfterTheLineThatReachesTheBound_andSaysWhere() {
    try (JobLog log = store.open("job-1")) {
      // 10 stored bytes per line ("line 0001" and its \n); every third line a warning
      for (int i = 1; i <= 30; i++) log.append(i % 3 == 0 ? LogLevel.WARNING : LogLevel.DETAIL, String.format("line %04d", i));
      LinesThrough all = log.readThrough(0, 30, LogFilter.ALL, 35);
      assertThat(all.lines()).extracting(LogLine::seq).containsExactly(1L, 2L, 3L, 4L);
      assertThat(all.throughSeq()).isEqualTo(4);
      LinesThrough next = log.readThrough(all.throughSeq(), 30, LogFilter.ALL, 35);
      assertThat(next.lines()).extracting(LogLine::seq).containsExactly(5L, 6L, 7L, 8L);

      LinesThrough basic = log.readThrough(0, 30, LogFilter.BASIC, 20);
      assertThat(basic.lines()).extracting(LogLine::seq).containsExactly(3L, 6L);
      assertThat(basic.throughSeq()).isEqualTo(6);
      LinesThrough rest = log.readThrough(6, 28, LogFilter.BASIC, 1_000);
      assertThat(rest.lines()).extracting(LogLine::seq).containsExactly(9L, 12L, 15L, 18L, 21L, 24L, 27L);
      assertThat(rest.throughSeq()).isEqualTo(28);

      // one line always comes, however small the bound; the last line reaching it is no cut
      assertThat(log.readThrough(10, 30, LogFilter.ALL, 1).lines()).extracting(LogLine::seq).containsExactly(11L);
      LinesThrough exact = log.readThrough(26, 30, LogFilter.ALL, 40);
      assertThat(exact.lines()).extracting(LogLine::seq).containsExactly(27L, 28L, 29L, 30L);
      assertThat(exact.throughSeq()).isEqualTo(30);
      assertThat(log.readThrough(30, 30, LogFilter.ALL, 1).lines()).isEmpty();
    }
  }

  @Test
  void append_textWithLineBreaks_storesOneLinePerLine() {
    try (JobLog log = store.open("job-1")) {
      List<LogLine> lines = log.append(LogLevel.ERROR, "one\r\ntwo\rthree\nfour");
      assertThat(lines).extracting(LogLine::text).containsExactly("one", "two", "three", "four");
      assertThat(lines).extracting(LogLine::seq).containsExactly(1L, 2L, 3L, 4L);
      assertThat(lines).extracting(LogLine::level).containsOnly(LogLevel.ERROR);
      assertThat(log.read(0, LogFilter.ALL, 10)).containsExactlyElementsOf(lines);
    }
  }

  @Test
  void append_trailingLineBreak_addsNoEmptyLine() {
    try (JobLog log = store.open("job-1")) {
      assertThat(log.append(LogLevel.DETAIL, "done\n")).extracting(LogLine::text).containsExactly("done");
      assertThat(log.append(LogLevel.DETAIL, "a\n\n")).extracting(LogLine::text).containsExactly("a", "");
    }
  }

  @Test
  void append_emptyText_storesOneEmptyLine() throws IOException {
    try (JobLog log = store.open("job-1")) {
      assertThat(log.append(LogLevel.ENDGROUP, "")).extracting(LogLine::text).containsExactly("");
      assertThat(log.read(0, LogFilter.ALL, 10)).extracting(LogLine::text).containsExactly("");
      assertThat(text(log)).isEqualTo("\n");
    }
  }

  @Test
  void append_controlCharacters_areReplacedButTabAndEscSurvive() {
    try (JobLog log = store.open("job-1")) {
      String coloured = "\u001B[31mred\u001B[0m\tcol";
      List<LogLine> lines = log.append(LogLevel.DETAIL, "nul\u0000bell\u0007del\u007F|" + coloured);
      String expected = "nul\uFFFDbell\uFFFDdel\uFFFD|" + coloured;
      assertThat(lines).extracting(LogLine::text).containsExactly(expected);
      assertThat(log.read(0, LogFilter.ALL, 10)).extracting(LogLine::text).containsExactly(expected);
    }
  }

  @Test
  void append_unicode_readsBackTheSameText() {
    try (JobLog log = store.open("job-1")) {
      String text = "Grüße, 日本語, emoji 😀, lone \uD800 surrogate";
      List<LogLine> lines = log.append(LogLevel.NOTICE, text);
      assertThat(lines.get(0).text()).isEqualTo("Grüße, 日本語, emoji 😀, lone \uFFFD surrogate");
      assertThat(log.read(0, LogFilter.ALL, 10)).containsExactlyElementsOf(lines);
      assertThat(log.read(0, LogFilter.BASIC, 10)).containsExactlyElementsOf(lines);
    }
  }

  @Test
  void append_lineLongerThanMax_isSplitWithContinuationMarker() {
    try (JobLog log = store.open("job-1")) {
      int max = LogLine.MAX_TEXT_CHARS;
      String text = "x".repeat(max) + "y".repeat(max) + "z";
      List<LogLine> lines = log.append(LogLevel.DETAIL, text);
      assertThat(lines).hasSize(3);
      assertThat(lines).allSatisfy(line -> assertThat(line.text().length()).isLessThanOrEqualTo(max));
      assertThat(lines.get(0).text()).isEqualTo("x".repeat(max));
      assertThat(lines.get(1).text()).startsWith(LineNormalizer.CONTINUATION_MARKER);
      assertThat(lines.get(2).text()).startsWith(LineNormalizer.CONTINUATION_MARKER);
      String rejoined =
          lines.get(0).text()
              + lines.get(1).text().substring(LineNormalizer.CONTINUATION_MARKER.length())
              + lines.get(2).text().substring(LineNormalizer.CONTINUATION_MARKER.length());
      assertThat(rejoined).isEqualTo(text);
      assertThat(log.read(0, LogFilter.ALL, 10)).containsExactlyElementsOf(lines);
    }
  }

  @Test
  void openText_afterAppends_streamsEveryLineWithNewlines() throws IOException {
    try (JobLog log = store.open("job-1")) {
      log.append(LogLevel.DETAIL, "first");
      log.append(LogLevel.NOTICE, "ünïcode");
      String expected = "first\nünïcode\n";
      assertThat(text(log)).isEqualTo(expected);
      assertThat(log.textBytes()).isEqualTo(expected.getBytes(StandardCharsets.UTF_8).length);
    }
  }

  @Test
  void reopen_afterRestart_keepsSeqsAndContinuesNumbering() throws Exception {
    List<LogLine> before;
    try (JobLog log = store.open("job-1")) {
      log.append(LogLevel.DETAIL, "a");
      log.append(LogLevel.WARNING, "b");
      before = log.read(0, LogFilter.ALL, 10);
    }
    restart();
    try (JobLog log = store.open("job-1")) {
      assertThat(log.read(0, LogFilter.ALL, 10)).containsExactlyElementsOf(before);
      assertThat(log.read(0, LogFilter.BASIC, 10)).extracting(LogLine::seq).containsExactly(2L);
      assertThat(log.append(LogLevel.NOTICE, "c")).extracting(LogLine::seq).containsExactly(3L);
    }
  }

  @Test
  void append_fromSeveralThreads_keepsOneTotalOrderWithoutLostSeqs() throws Exception {
    int threads = 4;
    int perThread = 2_000;
    try (JobLog log = store.open("job-1")) {
      List<LogLine> heard = Collections.synchronizedList(new ArrayList<>());
      log.addListener(heard::addAll);
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int writer = t;
          writers.add(
              pool.submit(
                  () -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                      LogLevel level = i % 10 == 0 ? LogLevel.NOTICE : LogLevel.DETAIL;
                      log.append(level, writer + ":" + i);
                    }
                    return null;
                  }));
        }
        start.countDown();
        for (Future<?> writer : writers) writer.get();
      } finally {
        pool.shutdown();
      }
      List<LogLine> all = readAll(log, LogFilter.ALL);
      assertThat(all)
          .extracting(LogLine::seq)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, threads * perThread).boxed().toList());
      assertThat(heard).containsExactlyElementsOf(all);
      for (int t = 0; t < threads; t++) {
        String prefix = t + ":";
        assertThat(all.stream().map(LogLine::text).filter(text -> text.startsWith(prefix)))
            .containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, perThread).mapToObj(i -> prefix + i).toList());
      }
      assertThat(readAll(log, LogFilter.BASIC))
          .containsExactlyElementsOf(all.stream().filter(LogFilter.BASIC::accepts).toList());
    }
  }

  @Test
  void seal_thenAppend_isRejected() {
    try (JobLog log = store.open("job-1")) {
      log.append(LogLevel.DETAIL, "a");
      log.seal();
      log.seal();
      assertThat(log.isSealed()).isTrue();
      assertThatThrownBy(() -> log.append(LogLevel.DETAIL, "b"))
          .isInstanceOf(IllegalStateException.class);
      assertThat(log.lastSeq()).isEqualTo(1);
      assertThat(log.read(0, LogFilter.ALL, 10)).extracting(LogLine::text).containsExactly("a");
    }
  }

  @Test
  void seal_thenRestart_reopensSealedWithTheSameLines() throws Exception {
    List<LogLine> before;
    try (JobLog log = store.open("job-1")) {
      log.append(LogLevel.DETAIL, "a");
      log.append(LogLevel.ERROR, "b");
      before = log.read(0, LogFilter.ALL, 10);
      log.seal();
    }
    restart();
    try (JobLog log = store.open("job-1")) {
      assertThat(log.isSealed()).isTrue();
      assertThat(log.lastSeq()).isEqualTo(2);
      assertThat(log.read(0, LogFilter.ALL, 10)).containsExactlyElementsOf(before);
      assertThat(log.read(0, LogFilter.BASIC, 10)).containsExactly(before.get(1));
      assertThat(text(log)).isEqualTo("a\nb\n");
      assertThatThrownBy(() -> log.append(LogLevel.DETAIL, "c"))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void listener_hearsAppendsInOrderThenSeal_untilRemoved() {
    try (JobLog log = store.open("job-1")) {
      List<Long> heard = new ArrayList<>();
      List<Long> sealedAt = new ArrayList<>();
      ListenerRegistration registration =
          log.addListener(
              new JobLogListener() {
                @Override
                public void appended(List<LogLine> lines) {
                  lines.forEach(line -> heard.add(line.seq()));
                }

                @Override
                public void sealed(long lastSeq) {
                  sealedAt.add(lastSeq);
                }
              });
      log.append(LogLevel.DETAIL, "a\nb");
      log.append(LogLevel.DETAIL, "c");
      List<Long> removedHeard = new ArrayList<>();
      log.addListener(lines -> lines.forEach(line -> removedHeard.add(line.seq()))).remove();
      log.seal();
      assertThat(heard).containsExactly(1L, 2L, 3L);
      assertThat(sealedAt).containsExactly(3L);
      assertThat(removedHeard).isEmpty();
      registration.remove();
    }
  }

  @Test
  void open_twiceWhileWriting_sharesSeqsAndListeners() {
    try (JobLog writer = store.open("job-1");
        JobLog reader = store.open("job-1")) {
      List<Long> heard = new ArrayList<>();
      reader.addListener(lines -> lines.forEach(line -> heard.add(line.seq())));
      writer.append(LogLevel.DETAIL, "a");
      reader.append(LogLevel.DETAIL, "b");
      writer.append(LogLevel.DETAIL, "c");
      assertThat(heard).containsExactly(1L, 2L, 3L);
      assertThat(reader.lastSeq()).isEqualTo(3);
      assertThat(reader.read(0, LogFilter.ALL, 10)).extracting(LogLine::text).containsExactly("a", "b", "c");
      writer.seal();
      assertThat(reader.isSealed()).isTrue();
    }
  }

  @Test
  void delete_existingLog_opensEmptyAfterwards() {
    try (JobLog log = store.open("job-1")) {
      log.append(LogLevel.DETAIL, "a");
      log.seal();
    }
    store.delete("job-1");
    store.delete("never-existed");
    try (JobLog log = store.open("job-1")) {
      assertThat(log.lastSeq()).isZero();
      assertThat(log.isSealed()).isFalse();
    }
  }

  @Test
  void logs_ofDifferentJobs_areIndependent() {
    try (JobLog one = store.open("job-1");
        JobLog two = store.open("job-2")) {
      one.append(LogLevel.DETAIL, "one");
      two.append(LogLevel.DETAIL, "two");
      two.append(LogLevel.DETAIL, "two again");
      assertThat(one.lastSeq()).isEqualTo(1);
      assertThat(two.read(0, LogFilter.ALL, 10)).extracting(LogLine::text).containsExactly("two", "two again");
    }
  }

  // --- the per-job limit: head, held-back tail, one "left out" line -------------------------

  /** 10,000 bytes, of which 2,000 for the tail. */
  protected static final LogLimit SMALL_LIMIT = new LogLimit(10_000, 2_000);

  /** Appends {@code count} lines "line 0001" ... (10 bytes each with the newline). */
  protected static void appendNumbered(JobLog log, int from, int to) {
    for (int i = from; i <= to; i++) log.append(i % 100 == 0 ? LogLevel.NOTICE : LogLevel.DETAIL, String.format("line %04d", i));
  }

  @Test
  void append_pastLimit_writesOneWarningThenHoldsLinesBack() throws Exception {
    useLimit(SMALL_LIMIT);
    try (JobLog log = store.open("job-1")) {
      appendNumbered(log, 1, 1000);
      long lastSeq = log.lastSeq();
      LogLine last = log.read(lastSeq - 1, LogFilter.ALL, 1).get(0);
      assertThat(last.level()).isEqualTo(LogLevel.WARNING);
      assertThat(last.text()).startsWith("Log limit reached");
      assertThat(log.textBytes()).isLessThanOrEqualTo(SMALL_LIMIT.headBytes());
      assertThat(log.append(LogLevel.DETAIL, "held")).isEmpty();
      assertThat(log.lastSeq()).isEqualTo(lastSeq);
      assertThat(readAll(log, LogFilter.ALL)).extracting(LogLine::seq)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, lastSeq).boxed().toList());
    }
  }

  @Test
  void seal_pastLimit_keepsHeadLeftOutLineAndTailWithContiguousSeqs() throws Exception {
    useLimit(SMALL_LIMIT);
    try (JobLog log = store.open("job-1")) {
      appendNumbered(log, 1, 1000);
      log.seal();
      assertSealedWithinLimit(log, 1000);
    }
  }

  /** Checks the sealed log of lines 1..{@code lastNumber}: head, warning, left-out line, tail. */
  protected static void assertSealedWithinLimit(JobLog log, int lastNumber) throws IOException {
    List<LogLine> lines = readAll(log, LogFilter.ALL);
    assertThat(lines).extracting(LogLine::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, lines.size()).boxed().toList());
    int warning = indexOf(lines, "Log limit reached");
    int leftOut = indexOf(lines, " left out \u2026");
    assertThat(leftOut).isEqualTo(warning + 1);
    List<LogLine> head = lines.subList(0, warning);
    List<LogLine> tail = lines.subList(leftOut + 1, lines.size());
    for (int i = 0; i < head.size(); i++) assertThat(head.get(i).text()).isEqualTo(String.format("line %04d", i + 1));
    for (int i = 0; i < tail.size(); i++) {
      assertThat(tail.get(i).text()).isEqualTo(String.format("line %04d", lastNumber - tail.size() + 1 + i));
    }
    int leftOutLines = lastNumber - head.size() - tail.size();
    assertThat(lines.get(leftOut).text()).isEqualTo("\u2026 " + leftOutLines + " lines (" + LogLimit.humanBytes(leftOutLines * 10L) + ") left out \u2026");
    assertThat(lines.get(leftOut).level()).isEqualTo(LogLevel.WARNING);
    assertThat(tail.size() * 10L).isLessThanOrEqualTo(SMALL_LIMIT.tailBytes()).isGreaterThan(SMALL_LIMIT.tailBytes() - 10);
    assertThat(log.textBytes()).isLessThanOrEqualTo(SMALL_LIMIT.maxBytes() + 1024);
    StringBuilder expected = new StringBuilder();
    for (LogLine line : lines) expected.append(line.text()).append('\n');
    assertThat(text(log)).isEqualTo(expected.toString());
    assertThat(readAll(log, LogFilter.BASIC)).extracting(LogLine::text)
        .contains(lines.get(warning).text(), lines.get(leftOut).text(), String.format("line %04d", lastNumber / 100 * 100));
  }

  private static int indexOf(List<LogLine> lines, String part) {
    for (int i = 0; i < lines.size(); i++) if (lines.get(i).text().contains(part)) return i;
    throw new AssertionError("no line contains '" + part + "'");
  }

  @Test
  void listener_pastLimit_hearsNothingHeldBackThenTheTailBeforeTheSeal() throws Exception {
    useLimit(SMALL_LIMIT);
    try (JobLog log = store.open("job-1")) {
      appendNumbered(log, 1, 800);
      long before = log.lastSeq();
      List<String> heard = new ArrayList<>();
      log.addListener(new JobLogListener() {
        @Override
        public void appended(List<LogLine> lines) {
          for (LogLine line : lines) heard.add(line.seq() + ":" + line.text());
        }

        @Override
        public void sealed(long lastSeq) {
          heard.add("sealed " + lastSeq);
        }
      });
      appendNumbered(log, 801, 1000);
      assertThat(heard).isEmpty();
      log.seal();
      assertThat(heard.get(0)).startsWith((before + 1) + ":\u2026 ");
      assertThat(heard.get(heard.size() - 2)).isEqualTo(log.lastSeq() + ":line 1000");
      assertThat(heard.get(heard.size() - 1)).isEqualTo("sealed " + log.lastSeq());
    }
  }

  @Test
  void restart_pastLimit_goesOnHoldingBackAndSealsTheSameWay() throws Exception {
    useLimit(SMALL_LIMIT);
    try (JobLog log = store.open("job-1")) {
      appendNumbered(log, 1, 900);
    }
    restart();
    try (JobLog log = store.open("job-1")) {
      appendNumbered(log, 901, 1000);
      log.seal();
    }
    restart();
    try (JobLog log = store.open("job-1")) {
      assertThat(log.isSealed()).isTrue();
      assertSealedWithinLimit(log, 1000);
    }
  }

  @Test
  void seal_underLimit_keepsEveryLine() throws Exception {
    useLimit(SMALL_LIMIT);
    try (JobLog log = store.open("job-1")) {
      appendNumbered(log, 1, 100);
      log.seal();
      assertThat(readAll(log, LogFilter.ALL)).hasSize(100);
    }
  }

  // --- batch scopes: the same log as appending one at a time --------------------------------

  /** Appends lines 1..{@code to} like {@link #appendNumbered}, {@code perBatch} lines per batch. */
  protected static void appendNumberedInBatches(JobLog log, int to, int perBatch) {
    for (int from = 1; from <= to; from += perBatch) {
      int first = from;
      log.batch(() -> appendNumbered(log, first, Math.min(to, first + perBatch - 1)));
    }
  }

  @Test
  void batch_appendsInside_areStoredWithTheSeqsAppendReturned() {
    try (JobLog log = store.open("job-1")) {
      log.append(LogLevel.DETAIL, "before");
      List<LogLine> returned = new ArrayList<>();
      log.batch(() -> {
        returned.addAll(log.append(LogLevel.DETAIL, "a\nb"));
        returned.addAll(log.append(LogLevel.NOTICE, "c"));
      });
      assertThat(returned).extracting(LogLine::seq).containsExactly(2L, 3L, 4L);
      assertThat(log.read(1, LogFilter.ALL, 10)).isEqualTo(returned);
      assertThat(log.lastSeq()).isEqualTo(4);
    }
  }

  @Test
  void batch_throwingInside_keepsWhatItAppendedAndRethrows() {
    try (JobLog log = store.open("job-1")) {
      assertThatThrownBy(() -> log.batch(() -> {
        log.append(LogLevel.DETAIL, "kept");
        throw new IllegalArgumentException("boom");
      })).isInstanceOf(IllegalArgumentException.class).hasMessage("boom");
      assertThat(readAll(log, LogFilter.ALL)).extracting(LogLine::text).containsExactly("kept");
    }
  }

  @Test
  void batch_nestedInsideAnother_keepsOneOrder() {
    try (JobLog log = store.open("job-1")) {
      log.batch(() -> {
        log.append(LogLevel.DETAIL, "1");
        log.batch(() -> log.append(LogLevel.DETAIL, "2"));
        log.append(LogLevel.DETAIL, "3");
      });
      assertThat(readAll(log, LogFilter.ALL)).extracting(LogLine::text).containsExactly("1", "2", "3");
    }
  }

  @Test
  void seal_insideBatch_keepsTheLinesAppendedBeforeAndRejectsLaterOnes() {
    try (JobLog log = store.open("job-1")) {
      log.batch(() -> {
        log.append(LogLevel.DETAIL, "last");
        log.seal();
        assertThatThrownBy(() -> log.append(LogLevel.DETAIL, "too late")).isInstanceOf(IllegalStateException.class);
      });
      assertThat(log.isSealed()).isTrue();
      assertThat(readAll(log, LogFilter.ALL)).extracting(LogLine::text).containsExactly("last");
    }
  }

  @Test
  void batch_limitCrossedInsideABatch_sealsTheSameLogAsSingleAppends() throws Exception {
    useLimit(SMALL_LIMIT);
    List<LogLine> single;
    try (JobLog log = store.open("job-single")) {
      appendNumbered(log, 1, 1000);
      log.seal();
      single = readAll(log, LogFilter.ALL);
    }
    try (JobLog log = store.open("job-batched")) {
      appendNumberedInBatches(log, 1000, 160);
      log.seal();
      assertSealedWithinLimit(log, 1000);
      assertThat(readAll(log, LogFilter.ALL))
          .extracting(LogLine::seq, LogLine::level, LogLine::text)
          .containsExactlyElementsOf(single.stream().map(l -> tuple(l.seq(), l.level(), l.text())).toList());
    }
  }
}
