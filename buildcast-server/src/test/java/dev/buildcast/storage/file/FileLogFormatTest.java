package dev.buildcast.storage.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.buildcast.log.JobLog;
import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLimit;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.LogStoreOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job folder written byte by byte as docs/log-storage.md describes the files (as every earlier
 * version wrote them) opens, reads and seals the same: the format is the contract with the data
 * already on disk, not whatever the writer of the day produces.
 */
class FileLogFormatTest {

  private static final long T = 1_700_000_000_000L;
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(T + 99), ZoneOffset.UTC);

  @TempDir Path dir;

  private Path job() throws IOException {
    return Files.createDirectories(dir.resolve("job-1"));
  }

  private FileLogStore store(LogLimit limit) {
    return new FileLogStore(dir::resolve, LogStoreOptions.unforced(CLOCK).withLimit(limit));
  }

  /** detailed.log, detailed.idx (end offset, timestamp, level code) and detailed.basic.idx. */
  private static void writeLines(Path job, Object... levelsAndTexts) throws IOException {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    ByteArrayOutputStream index = new ByteArrayOutputStream();
    ByteArrayOutputStream basic = new ByteArrayOutputStream();
    for (int i = 0; i < levelsAndTexts.length; i += 2) {
      LogLevel level = (LogLevel) levelsAndTexts[i];
      text.writeBytes((levelsAndTexts[i + 1] + "\n").getBytes(StandardCharsets.UTF_8));
      index.writeBytes(ByteBuffer.allocate(17).putLong(text.size()).putLong(T + i / 2).put((byte) level.ordinal()).array());
      if (level != LogLevel.DETAIL) basic.writeBytes(ByteBuffer.allocate(8).putLong(i / 2 + 1).array());
    }
    Files.write(job.resolve("detailed.log"), text.toByteArray());
    Files.write(job.resolve("detailed.idx"), index.toByteArray());
    Files.write(job.resolve("detailed.basic.idx"), basic.toByteArray());
  }

  /** One held-back record: lines and bytes so far, timestamp, level code, length, text. */
  private static byte[] tailRecord(long linesSoFar, long bytesSoFar, String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(29 + utf8.length).putLong(linesSoFar).putLong(bytesSoFar).putLong(T + 50 + linesSoFar)
        .put((byte) LogLevel.DETAIL.ordinal()).putInt(utf8.length).put(utf8).array();
  }

  @Test
  void open_sealedLogInTheDocumentedFormat_readsItsLinesLevelsAndTimes() throws IOException {
    Path job = job();
    writeLines(job, LogLevel.DETAIL, "one", LogLevel.NOTICE, "twö", LogLevel.DETAIL, "three");
    long textBytes = Files.size(job.resolve("detailed.log"));
    Files.writeString(job.resolve("detailed.sealed"), "lines=3\nbasicLines=1\ntextBytes=" + textBytes + "\n");
    try (FileLogStore store = store(LogLimit.NONE);
        JobLog log = store.open("job-1")) {
      assertThat(log.isSealed()).isTrue();
      assertThat(log.read(0, LogFilter.ALL, 10)).extracting(LogLine::seq, LogLine::timestampMillis, LogLine::level, LogLine::text)
          .containsExactly(tuple(1L, T, LogLevel.DETAIL, "one"), tuple(2L, T + 1, LogLevel.NOTICE, "twö"),
              tuple(3L, T + 2, LogLevel.DETAIL, "three"));
      assertThat(log.read(0, LogFilter.BASIC, 10)).extracting(LogLine::seq).containsExactly(2L);
      assertThat(log.textBytes()).isEqualTo(textBytes);
      assertThat(store.openWriterCount()).isZero();
    }
  }

  @Test
  void open_unsealedLogOverItsLimitInTheDocumentedFormat_goesOnHoldingBackAndSealsHeadLeftOutAndTail() throws IOException {
    Path job = job();
    writeLines(job, LogLevel.DETAIL, "head", LogLevel.WARNING, "Log limit reached");
    Files.writeString(job.resolve("detailed.limit"), "tailBytes=20\nheadLines=2\nheadBasicLines=1\nheadTextBytes=23\n");
    ByteArrayOutputStream tail = new ByteArrayOutputStream();
    for (int i = 1; i <= 5; i++) tail.writeBytes(tailRecord(i, i * 7L, "tail " + i));
    Files.write(job.resolve("detailed.tail.0"), tail.toByteArray());
    Files.write(job.resolve("detailed.tail.1"), new byte[0]);
    try (FileLogStore store = store(new LogLimit(30, 20));
        JobLog log = store.open("job-1")) {
      assertThat(log.isSealed()).isFalse();
      assertThat(log.lastSeq()).isEqualTo(2);
      assertThat(log.append(LogLevel.DETAIL, "tail 6")).isEmpty();
      log.seal();
      assertThat(log.read(0, LogFilter.ALL, 10)).extracting(LogLine::seq, LogLine::level, LogLine::text)
          .containsExactly(tuple(1L, LogLevel.DETAIL, "head"), tuple(2L, LogLevel.WARNING, "Log limit reached"),
              tuple(3L, LogLevel.WARNING, "\u2026 4 lines (28 B) left out \u2026"),
              tuple(4L, LogLevel.DETAIL, "tail 5"), tuple(5L, LogLevel.DETAIL, "tail 6"));
      assertThat(log.read(3, LogFilter.ALL, 2)).extracting(LogLine::timestampMillis).containsExactly(T + 55, T + 99);
    }
    assertThat(Files.readString(job.resolve("detailed.sealed"))).isEqualTo("lines=5\nbasicLines=2\ntextBytes=69\n");
    assertThat(job.resolve("detailed.limit")).doesNotExist();
    assertThat(job.resolve("detailed.tail.0")).doesNotExist();
    assertThat(job.resolve("detailed.tail.1")).doesNotExist();
  }
}
