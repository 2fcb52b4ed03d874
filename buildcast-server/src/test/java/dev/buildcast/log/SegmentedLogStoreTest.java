package dev.buildcast.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.testing.ManualRepeater;
import dev.buildcast.testing.MemoryLogSegments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The store's own rules over any segments: when it forces (time driven by the test through a
 * {@link ManualRepeater}), and that a line is stored before anyone hears of it.
 */
class SegmentedLogStoreTest {

  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);

  /** Memory segments that count forces and seals, and record the extent each append left. */
  private static final class CountingSegments implements LogSegments {
    final MemoryLogSegments memory = new MemoryLogSegments();
    final AtomicInteger forces = new AtomicInteger();
    final List<Boolean> sealsDurable = new ArrayList<>();
    final List<Boolean> closesDurable = new ArrayList<>();
    /** The next this many appends fail, as a full disk would. */
    final AtomicInteger failingAppends = new AtomicInteger();

    @Override
    public Optional<LogExtent> sealedExtent(String jobId) {
      return memory.sealedExtent(jobId);
    }

    @Override
    public LogSegmentReader reader(String jobId) {
      return memory.reader(jobId);
    }

    @Override
    public void delete(String jobId) {
      memory.delete(jobId);
    }

    @Override
    public JobLogSegments openForAppend(String jobId) {
      JobLogSegments open = memory.openForAppend(jobId);
      return new JobLogSegments() {
        @Override public LogExtent extent() { return open.extent(); }
        @Override public LogSegmentReader reader() { return open.reader(); }
        @Override public void append(List<LogLine> lines, List<byte[]> bytes) {
          if (failingAppends.getAndUpdate(n -> Math.max(0, n - 1)) > 0) throw new UncheckedIOException(new IOException("disk full"));
          open.append(lines, bytes);
        }
        @Override public void truncate(LogExtent extent) { open.truncate(extent); }
        @Override public boolean wasSealed() { return open.wasSealed(); }
        @Override public Optional<HeldBackLines> heldBack() { return open.heldBack(); }
        @Override public HeldBackLines startHoldingBack(long tailBytes, LogExtent head) { return open.startHoldingBack(tailBytes, head); }
        @Override public void force() { forces.incrementAndGet(); open.force(); }
        @Override public void seal(boolean durable) { sealsDurable.add(durable); open.seal(durable); }
        @Override public void close(boolean durable) { closesDurable.add(durable); open.close(durable); }
      };
    }
  }

  @Test
  void periodicForcing_eachRun_forcesOnlyLogsWrittenSinceTheRunBefore() {
    CountingSegments segments = new CountingSegments();
    ManualRepeater repeater = new ManualRepeater();
    try (SegmentedLogStore store = new SegmentedLogStore(segments,
        new LogStoreOptions(CLOCK, LogLimit.NONE, LogForcing.every(Duration.ofSeconds(1), repeater)))) {
      assertThat(repeater.intervals()).containsExactly(Duration.ofSeconds(1));
      JobLog log = store.open("job-1");
      repeater.runDue();
      assertThat(segments.forces).hasValue(0);
      log.append(LogLevel.DETAIL, "a");
      log.append(LogLevel.DETAIL, "b");
      repeater.runDue();
      assertThat(segments.forces).hasValue(1);
      repeater.runDue();
      assertThat(segments.forces).hasValue(1);
      log.append(LogLevel.DETAIL, "c");
      repeater.runDue();
      assertThat(segments.forces).hasValue(2);
      log.seal();
      assertThat(segments.sealsDurable).containsExactly(true);
    }
    assertThat(repeater.intervals()).isEmpty();
  }

  @Test
  void periodicForcing_closingTheLastHandle_closesDurably() {
    CountingSegments segments = new CountingSegments();
    try (SegmentedLogStore store = new SegmentedLogStore(segments,
        new LogStoreOptions(CLOCK, LogLimit.NONE, LogForcing.every(Duration.ofSeconds(1), new ManualRepeater())))) {
      store.open("job-1").close();
    }
    assertThat(segments.closesDurable).containsExactly(true);
  }

  @Test
  void neverForcing_schedulesNothingAndSealsWithoutForcing() {
    CountingSegments segments = new CountingSegments();
    try (SegmentedLogStore store = new SegmentedLogStore(segments, LogStoreOptions.unforced(CLOCK))) {
      try (JobLog log = store.open("job-1")) {
        log.append(LogLevel.DETAIL, "a");
        log.seal();
      }
      try (JobLog log = store.open("job-2")) {
        log.append(LogLevel.DETAIL, "b");
      }
    }
    assertThat(segments.forces).hasValue(0);
    assertThat(segments.sealsDurable).containsExactly(false);
    assertThat(segments.closesDurable).containsExactly(false);
  }

  @Test
  void counter_isToldOfEachAppendAtOnce_andOfABatchsAppendsTogetherWhenItEnds() {
    CountingSegments segments = new CountingSegments();
    List<String> told = new ArrayList<>();
    try (SegmentedLogStore store = new SegmentedLogStore(segments, LogStoreOptions.unforced(CLOCK))) {
      store.countAppendsWith((lines, bytes) -> told.add(lines + " lines, " + bytes + " bytes"));
      try (JobLog log = store.open("job-1")) {
        log.append(LogLevel.DETAIL, "one\ntwo");
        assertThat(told).containsExactly("2 lines, 8 bytes");

        log.batch(() -> {
          log.append(LogLevel.DETAIL, "abc");
          log.append(LogLevel.NOTICE, "de");
          assertThat(told).as("not yet: the batch is open").hasSize(1);
        });
        assertThat(told).containsExactly("2 lines, 8 bytes", "2 lines, 7 bytes");

        assertThatThrownBy(() -> log.batch(() -> {
          log.append(LogLevel.DETAIL, "kept");
          throw new IllegalStateException("the generator's reader failed");
        })).hasMessage("the generator's reader failed");
        assertThat(told).as("a batch that failed still counts what it appended").last().isEqualTo("1 lines, 5 bytes");
      }
    }
  }

  @Test
  void counter_countsLinesTheLimitHoldsBack() {
    CountingSegments segments = new CountingSegments();
    long[] counted = new long[2];
    // why 2 KiB: the head (80 %) less the room kept for the limit's own line leaves a few hundred bytes
    try (SegmentedLogStore store = new SegmentedLogStore(segments, LogStoreOptions.unforced(CLOCK).withLimit(LogLimit.of(2048)))) {
      store.countAppendsWith((lines, bytes) -> {
        counted[0] += lines;
        counted[1] += bytes;
      });
      try (JobLog log = store.open("job-1")) {
        log.batch(() -> {
          for (int i = 0; i < 100; i++) log.append(LogLevel.DETAIL, "line %03d".formatted(i));
        });
        assertThat(log.lastSeq()).as("most were held back").isLessThan(100);
      }
    }
    assertThat(counted).containsExactly(100, 900);
  }

  @Test
  void options_withoutAClockLimitOrForcing_areRefusedWithWhatIsMissing() {
    assertThatThrownBy(() -> new LogStoreOptions(CLOCK, LogLimit.NONE, null)).hasMessageContaining("forcing");
    assertThatThrownBy(() -> new LogStoreOptions(null, LogLimit.NONE, LogForcing.never())).hasMessageContaining("clock");
    assertThatThrownBy(() -> new LogStoreOptions(CLOCK, null, LogForcing.never())).hasMessageContaining("limit");
    assertThatThrownBy(() -> LogForcing.every(Duration.ZERO, new ManualRepeater())).hasMessageContaining("at least 1 ms");
    assertThatThrownBy(() -> LogForcing.every(Duration.ofSeconds(1), null)).hasMessageContaining("repeater");
  }

  @Test
  void listener_hearsALineOnlyOnceTheSegmentsStoredIt() {
    CountingSegments segments = new CountingSegments();
    try (SegmentedLogStore store = new SegmentedLogStore(segments, LogStoreOptions.unforced(CLOCK));
        JobLog log = store.open("job-1")) {
      List<Long> storedWhenHeard = new ArrayList<>();
      log.addListener(lines -> {
        LogLine last = lines.getLast();
        storedWhenHeard.add(segments.reader("job-1").read(new LogExtent(last.seq(), 0, last.seq()), last.seq() - 1, LogFilter.ALL, 1)
            .stream().mapToLong(LogLine::seq).findFirst().orElse(-1));
      });
      log.append(LogLevel.DETAIL, "a");
      log.batch(() -> {
        log.append(LogLevel.DETAIL, "b");
        log.append(LogLevel.DETAIL, "c");
      });
      assertThat(storedWhenHeard).containsExactly(1L, 3L);
    }
  }

  @Test
  void append_segmentsFailToStore_throwsTellsNobodyAndTheSeqIsTakenByTheNextLine() {
    CountingSegments segments = new CountingSegments();
    try (SegmentedLogStore store = new SegmentedLogStore(segments, LogStoreOptions.unforced(CLOCK));
        JobLog log = store.open("job-1")) {
      List<Long> heard = new ArrayList<>();
      log.addListener(lines -> lines.forEach(line -> heard.add(line.seq())));
      log.append(LogLevel.DETAIL, "a");
      segments.failingAppends.set(1);
      assertThatThrownBy(() -> log.batch(() -> {
        log.append(LogLevel.DETAIL, "lost");
        log.append(LogLevel.DETAIL, "lost too");
      })).isInstanceOf(UncheckedIOException.class);
      assertThat(log.lastSeq()).isEqualTo(1);
      assertThat(log.append(LogLevel.DETAIL, "b")).extracting(LogLine::seq).containsExactly(2L);
      assertThat(heard).containsExactly(1L, 2L);
      assertThat(log.read(0, LogFilter.ALL, 10)).extracting(LogLine::text).containsExactly("a", "b");
    }
  }
}
