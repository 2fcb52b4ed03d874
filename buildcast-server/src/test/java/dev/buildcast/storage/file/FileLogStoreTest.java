package dev.buildcast.storage.file;

import dev.buildcast.log.LogStoreOptions;
import dev.buildcast.log.LogForcing;
import dev.buildcast.time.Repeater;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.log.JobLog;
import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLimit;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.LogStore;
import dev.buildcast.log.LogStoreContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class FileLogStoreTest extends LogStoreContract {

  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);

  @Override
  protected LogStore newStore(Path dir) {
    return newStore(dir, LogLimit.NONE);
  }

  @Override
  protected LogStore newStore(Path dir, LogLimit limit) {
    return new FileLogStore(jobId -> dir.resolve("jobs").resolve(jobId), LogStoreOptions.unforced(CLOCK).withLimit(limit));
  }

  private FileLogStore fileStore() {
    return (FileLogStore) store;
  }

  private Path jobFile(String name) {
    return dir.resolve("jobs").resolve("job-1").resolve(name);
  }

  private void writeLines(String... texts) {
    try (JobLog log = store.open("job-1")) {
      for (String text : texts) {
        log.append(text.startsWith("!") ? LogLevel.NOTICE : LogLevel.DETAIL, text);
      }
    }
  }

  private static void appendBytes(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes, StandardOpenOption.APPEND);
  }

  private static void truncate(Path file, long size) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(size);
    }
  }

  private List<LogLine> reopenAndReadAll() throws Exception {
    restart();
    try (JobLog log = store.open("job-1")) {
      return readAll(log, LogFilter.ALL);
    }
  }

  @Test
  void files_afterAppends_holdPlainTextAndFixedWidthIndexes() throws IOException {
    writeLines("one", "!two", "three");
    assertThat(Files.readString(jobFile("detailed.log"))).isEqualTo("one\n!two\nthree\n");
    assertThat(Files.size(jobFile("detailed.idx"))).isEqualTo(3 * LineIndex.RECORD_BYTES);
    ByteBuffer basic = ByteBuffer.wrap(Files.readAllBytes(jobFile("detailed.basic.idx")));
    assertThat(basic.remaining()).isEqualTo(Long.BYTES);
    assertThat(basic.getLong()).isEqualTo(2);
    ByteBuffer index = ByteBuffer.wrap(Files.readAllBytes(jobFile("detailed.idx")));
    LineIndex.Entry first = LineIndex.get(index);
    assertThat(first.endOffset()).isEqualTo(4);
    assertThat(first.timestampMillis()).isEqualTo(CLOCK.millis());
    assertThat(first.level()).isEqualTo(LogLevel.DETAIL);
    assertThat(LineIndex.get(index).level()).isEqualTo(LogLevel.NOTICE);
  }

  @Test
  void open_indexWithPartialRecord_cutsItToWholeRecords() throws Exception {
    writeLines("a", "b", "c");
    appendBytes(jobFile("detailed.idx"), new byte[] {0, 0, 0, 0, 9});
    assertThat(reopenAndReadAll()).extracting(LogLine::text).containsExactly("a", "b", "c");
    assertThat(Files.size(jobFile("detailed.idx"))).isEqualTo(3 * LineIndex.RECORD_BYTES);
    try (JobLog log = store.open("job-1")) {
      assertThat(log.append(LogLevel.DETAIL, "d")).extracting(LogLine::seq).containsExactly(4L);
    }
    assertThat(Files.readString(jobFile("detailed.log"))).isEqualTo("a\nb\nc\nd\n");
  }

  @Test
  void open_textBeyondLastIndexedLine_isCutSoSeqsKeepTheirLines() throws Exception {
    writeLines("a", "b");
    appendBytes(jobFile("detailed.log"), "unindexed\ntorn hal".getBytes(StandardCharsets.UTF_8));
    assertThat(reopenAndReadAll()).extracting(LogLine::text).containsExactly("a", "b");
    assertThat(Files.readString(jobFile("detailed.log"))).isEqualTo("a\nb\n");
    try (JobLog log = store.open("job-1")) {
      assertThat(log.append(LogLevel.DETAIL, "c")).extracting(LogLine::seq).containsExactly(3L);
      assertThat(log.read(2, LogFilter.ALL, 10)).extracting(LogLine::text).containsExactly("c");
    }
  }

  @Test
  void open_indexRecordPointingPastTextEnd_isDropped() throws Exception {
    writeLines("a", "b", "ccc");
    truncate(jobFile("detailed.log"), "a\nb\ncc".length());
    assertThat(reopenAndReadAll()).extracting(LogLine::text).containsExactly("a", "b");
    assertThat(Files.readString(jobFile("detailed.log"))).isEqualTo("a\nb\n");
    assertThat(Files.size(jobFile("detailed.idx"))).isEqualTo(2 * LineIndex.RECORD_BYTES);
  }

  @Test
  void open_zeroFilledTailsAfterPowerLoss_areDropped() throws Exception {
    writeLines("a", "!b");
    appendBytes(jobFile("detailed.idx"), new byte[3 * LineIndex.RECORD_BYTES]);
    appendBytes(jobFile("detailed.log"), new byte[40]);
    appendBytes(jobFile("detailed.basic.idx"), new byte[2 * Long.BYTES]);
    assertThat(reopenAndReadAll()).extracting(LogLine::text).containsExactly("a", "!b");
    try (JobLog log = store.open("job-1")) {
      assertThat(log.read(0, LogFilter.BASIC, 10)).extracting(LogLine::seq).containsExactly(2L);
      assertThat(log.textBytes()).isEqualTo(5);
    }
  }

  @Test
  void open_basicIndexWithPartialAndBogusEntries_keepsOnlyRealBasicLines() throws Exception {
    writeLines("a", "!b", "c", "!d");
    ByteBuffer bogus = ByteBuffer.allocate(Long.BYTES + 3).putLong(99);
    appendBytes(jobFile("detailed.basic.idx"), bogus.array());
    restart();
    try (JobLog log = store.open("job-1")) {
      assertThat(log.read(0, LogFilter.BASIC, 10)).extracting(LogLine::seq).containsExactly(2L, 4L);
      log.append(LogLevel.ERROR, "e");
      assertThat(log.read(0, LogFilter.BASIC, 10)).extracting(LogLine::seq).containsExactly(2L, 4L, 5L);
    }
  }

  @Test
  void open_basicIndexMissingEntries_restoresThemFromTheLineIndex() throws Exception {
    writeLines("a", "!b", "c", "!d", "!e");
    truncate(jobFile("detailed.basic.idx"), Long.BYTES);
    restart();
    try (JobLog log = store.open("job-1")) {
      assertThat(log.read(0, LogFilter.BASIC, 10)).extracting(LogLine::seq).containsExactly(2L, 4L, 5L);
    }
  }

  @Test
  void open_sealMarkerNotMatchingText_repairsAndStaysSealed() throws Exception {
    try (JobLog log = store.open("job-1")) {
      log.append(LogLevel.DETAIL, "a");
      log.seal();
    }
    appendBytes(jobFile("detailed.log"), "stray".getBytes(StandardCharsets.UTF_8));
    restart();
    try (JobLog log = store.open("job-1")) {
      assertThat(log.isSealed()).isTrue();
      assertThat(readAll(log, LogFilter.ALL)).extracting(LogLine::text).containsExactly("a");
      assertThat(text(log)).isEqualTo("a\n");
    }
    assertThat(fileStore().openWriterCount()).isZero();
  }

  @Test
  void writer_isReleasedWhenSealedOrLastHandleClosed() {
    JobLog first = store.open("job-1");
    JobLog second = store.open("job-1");
    assertThat(fileStore().openWriterCount()).isEqualTo(1);
    first.close();
    assertThat(fileStore().openWriterCount()).isEqualTo(1);
    second.close();
    assertThat(fileStore().openWriterCount()).isZero();

    try (JobLog log = store.open("job-1")) {
      log.append(LogLevel.DETAIL, "a");
      log.seal();
      assertThat(fileStore().openWriterCount()).isZero();
      assertThat(log.read(0, LogFilter.ALL, 10)).hasSize(1);
    }
    try (JobLog sealed = store.open("job-1")) {
      assertThat(sealed.isSealed()).isTrue();
      assertThat(fileStore().openWriterCount()).isZero();
    }
  }

  @Test
  void append_onInterruptedThread_failsAndLeavesTheLogWhole() throws Exception {
    try (JobLog log = store.open("job-1")) {
      log.append(LogLevel.DETAIL, "before");
      AtomicReference<RuntimeException> failure = new AtomicReference<>();
      Thread interrupted =
          Thread.ofPlatform()
              .start(
                  () -> {
                    Thread.currentThread().interrupt();
                    try {
                      log.append(LogLevel.DETAIL, "lost\nlost too");
                    } catch (RuntimeException e) {
                      failure.set(e);
                    }
                  });
      interrupted.join();
      assertThat(failure.get()).isInstanceOf(UncheckedIOException.class);
      assertThat(log.lastSeq()).isEqualTo(1);
      assertThat(log.append(LogLevel.DETAIL, "after")).extracting(LogLine::seq).containsExactly(2L);
    }
    assertThat(reopenAndReadAll()).extracting(LogLine::text).containsExactly("before", "after");
    assertThat(Files.readString(jobFile("detailed.log"))).isEqualTo("before\nafter\n");
  }

  @Test
  void read_basicLinesOfALongLog_findsThemThroughTheBasicIndex() {
    int lines = 100_000;
    try (JobLog log = store.open("job-1")) {
      for (int i = 1; i <= lines; i++) {
        log.append(i % 25_000 == 0 ? LogLevel.NOTICE : LogLevel.DETAIL, "line " + i);
      }
      assertThat(log.read(0, LogFilter.BASIC, 10))
          .extracting(LogLine::seq)
          .containsExactly(25_000L, 50_000L, 75_000L, 100_000L);
      assertThat(log.read(50_000, LogFilter.BASIC, 1)).extracting(LogLine::text).containsExactly("line 75000");
      assertThat(log.read(99_998, LogFilter.ALL, 10)).extracting(LogLine::seq).containsExactly(99_999L, 100_000L);
    }
  }

  @Test
  void periodicForce_withWrittenLogs_keepsAppendingAndClosesCleanly() throws Exception {
    ScheduledExecutorService forcer = Executors.newSingleThreadScheduledExecutor();
    try (FileLogStore forcing =
        new FileLogStore(id -> dir.resolve("forced").resolve(id),
            new LogStoreOptions(CLOCK, LogLimit.NONE, LogForcing.every(Duration.ofMillis(1), Repeater.on(forcer))))) {
      JobLog log = forcing.open("job-1");
      for (int i = 0; i < 2_000; i++) log.append(LogLevel.DETAIL, "line " + i);
      assertThat(log.lastSeq()).isEqualTo(2_000);
      log.seal();
      assertThatThrownBy(() -> log.append(LogLevel.DETAIL, "late")).isInstanceOf(IllegalStateException.class);
    } finally {
      forcer.shutdownNow();
    }
  }

  @Test
  void reopen_crashWhileAppendingTheTail_appendsTheSameTailAgain() throws Exception {
    useLimit(SMALL_LIMIT);
    try (JobLog log = store.open("job-1")) {
      appendNumbered(log, 1, 1000);
    }
    Path saved = dir.resolve("saved");
    Files.createDirectories(saved);
    for (String name : List.of("detailed.limit", "detailed.tail.0", "detailed.tail.1")) {
      Files.copy(jobFile(name), saved.resolve(name));
    }
    List<LogLine> sealed;
    try (JobLog log = store.open("job-1")) {
      log.seal();
      sealed = readAll(log, LogFilter.ALL);
    }
    store = closeAndKeep();
    // the state of a crash after the tail was appended but before the ring was removed and the
    // log sealed; the last lines are also torn
    for (String name : List.of("detailed.limit", "detailed.tail.0", "detailed.tail.1")) {
      Files.copy(saved.resolve(name), jobFile(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Files.delete(jobFile("detailed.sealed"));
    truncate(jobFile("detailed.log"), Files.size(jobFile("detailed.log")) - 25);
    store = newStore(dir, limit);
    try (JobLog log = store.open("job-1")) {
      assertThat(log.isSealed()).isFalse();
      assertThat(readAll(log, LogFilter.ALL)).usingElementComparator(FileLogStoreTest::sameSeqAndText)
          .containsExactlyElementsOf(sealed);
      log.seal();
      assertSealedWithinLimit(log, 1000);
    }
    assertThat(Files.exists(jobFile("detailed.limit"))).isFalse();
    assertThat(Files.exists(jobFile("detailed.tail.0"))).isFalse();
  }

  private static int sameSeqAndText(LogLine a, LogLine b) {
    return a.seq() == b.seq() && a.text().equals(b.text()) && a.level() == b.level() ? 0 : 1;
  }

  private LogStore closeAndKeep() throws Exception {
    if (store instanceof AutoCloseable closeable) closeable.close();
    return null;
  }

  @Test
  void reopen_tornRecordInTheTail_isCutAndTheRestKept() throws Exception {
    useLimit(SMALL_LIMIT);
    try (JobLog log = store.open("job-1")) {
      appendNumbered(log, 1, 1000);
    }
    Path current = Files.size(jobFile("detailed.tail.0")) >= Files.size(jobFile("detailed.tail.1"))
        ? jobFile("detailed.tail.1") : jobFile("detailed.tail.0");
    // whichever was written last: append a record header cut short to both, as a crash would
    appendBytes(jobFile("detailed.tail.0"), new byte[] {0, 0, 0, 0, 0, 1});
    appendBytes(current, new byte[] {0, 0, 0});
    restart();
    try (JobLog log = store.open("job-1")) {
      log.seal();
      assertSealedWithinLimit(log, 1000);
    }
  }

  @Test
  void files_pastLimit_neverHoldMoreThanTheLimitPlusTheTail() throws Exception {
    useLimit(SMALL_LIMIT);
    try (JobLog log = store.open("job-1")) {
      for (int i = 1; i <= 5000; i++) {
        log.append(LogLevel.DETAIL, String.format("line %04d", i % 10_000));
        if (i % 500 == 0) assertThat(diskBytes()).isLessThanOrEqualTo(SMALL_LIMIT.maxBytes() + SMALL_LIMIT.tailBytes() * 2);
      }
      log.seal();
      assertThat(log.textBytes()).isLessThanOrEqualTo(SMALL_LIMIT.maxBytes() + 1024);
    }
    assertThat(Files.exists(jobFile("detailed.tail.1"))).isFalse();
  }

  /** Text on disk: the log and the held-back tail (records carry 29 bytes of header per line). */
  private long diskBytes() throws IOException {
    long bytes = Files.size(jobFile("detailed.log"));
    for (String name : List.of("detailed.tail.0", "detailed.tail.1")) {
      if (Files.exists(jobFile(name))) bytes += Files.size(jobFile(name)) * 10 / 39;
    }
    return bytes;
  }
}
