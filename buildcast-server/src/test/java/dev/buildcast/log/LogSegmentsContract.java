package dev.buildcast.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every adapter of the {@link LogSegments} port must do: store numbered lines and read them
 * back up to an extent, cut back, seal, hold back a tail, and keep all of it across a reopen.
 * An adapter's test extends this and supplies {@link #newSegments}.
 */
public abstract class LogSegmentsContract {

  private static final long T = 1_700_000_000_000L;

  @TempDir protected Path dir;
  protected LogSegments segments;
  private final List<JobLogSegments> opened = new ArrayList<>();

  /** Segments keeping their data under {@code dir}; called again for a restart on the same data. */
  protected abstract LogSegments newSegments(Path dir);

  @BeforeEach
  void create() {
    segments = newSegments(dir);
  }

  @AfterEach
  void closeOpened() {
    opened.forEach(open -> open.close(false));
  }

  private JobLogSegments open(String jobId) {
    JobLogSegments open = segments.openForAppend(jobId);
    opened.add(open);
    return open;
  }

  /** Closes what is open and starts again on the same data, as a server restart does. */
  private void restart() {
    closeOpened();
    opened.clear();
    segments = newSegments(dir);
  }

  /** Numbered lines continuing {@code after}, one per text; texts starting with "!" are basic. */
  private static List<LogLine> lines(LogExtent after, String... texts) {
    List<LogLine> lines = new ArrayList<>();
    for (String text : texts) {
      LogLevel level = text.startsWith("!") ? LogLevel.NOTICE : LogLevel.DETAIL;
      lines.add(new LogLine(after.lines() + lines.size() + 1, T + lines.size(), level, text));
    }
    return lines;
  }

  private static void append(JobLogSegments log, String... texts) {
    List<LogLine> lines = lines(log.extent(), texts);
    log.append(lines, lines.stream().map(line -> PendingLine.bytes(line.text())).toList());
  }

  private static String text(LogSegmentReader reader, LogExtent upTo) throws IOException {
    try (InputStream in = reader.openText(upTo)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<PendingLine> pending(int from, int to) {
    List<PendingLine> lines = new ArrayList<>();
    for (int i = from; i <= to; i++) lines.add(new PendingLine(T + i, LogLevel.DETAIL, String.format("held %04d", i)));
    return lines;
  }

  @Test
  void openForAppend_newJob_isEmptyUnsealedAndHoldsNothingBack() throws IOException {
    JobLogSegments log = open("job-1");
    assertThat(log.extent()).isEqualTo(LogExtent.EMPTY);
    assertThat(log.wasSealed()).isFalse();
    assertThat(log.heldBack()).isEmpty();
    assertThat(log.reader().read(LogExtent.EMPTY, 0, LogFilter.ALL, 10)).isEmpty();
    assertThat(text(log.reader(), log.extent())).isEmpty();
    assertThat(segments.sealedExtent("job-1")).isEmpty();
  }

  @Test
  void append_numberedLines_movesTheExtentAndReadsThemBack() throws IOException {
    JobLogSegments log = open("job-1");
    append(log, "a", "!b", "ü");
    assertThat(log.extent()).isEqualTo(new LogExtent(3, 1, "a\n!b\nü\n".getBytes(StandardCharsets.UTF_8).length));
    assertThat(log.reader().read(log.extent(), 0, LogFilter.ALL, 10))
        .containsExactlyElementsOf(lines(LogExtent.EMPTY, "a", "!b", "ü"));
    assertThat(log.reader().read(log.extent(), 0, LogFilter.BASIC, 10)).extracting(LogLine::seq).containsExactly(2L);
    assertThat(log.reader().read(log.extent(), 1, LogFilter.ALL, 1)).extracting(LogLine::text).containsExactly("!b");
    assertThat(text(log.reader(), log.extent())).isEqualTo("a\n!b\nü\n");
  }

  @Test
  void read_upToAnEarlierExtent_neverLooksPastIt() throws IOException {
    JobLogSegments log = open("job-1");
    append(log, "a", "!b");
    LogExtent earlier = log.extent();
    append(log, "c", "!d");
    assertThat(log.reader().read(earlier, 0, LogFilter.ALL, 10)).extracting(LogLine::text).containsExactly("a", "!b");
    assertThat(log.reader().read(earlier, 0, LogFilter.BASIC, 10)).extracting(LogLine::text).containsExactly("!b");
    assertThat(text(log.reader(), earlier)).isEqualTo("a\n!b\n");
    assertThat(segments.reader("job-1").read(log.extent(), 2, LogFilter.ALL, 10)).extracting(LogLine::text).containsExactly("c", "!d");
  }

  @Test
  void append_linesNotContinuingTheLog_areRefusedAndNothingIsStored() {
    JobLogSegments log = open("job-1");
    append(log, "a");
    List<LogLine> gap = List.of(new LogLine(3, T, LogLevel.DETAIL, "c"));
    assertThatThrownBy(() -> log.append(gap, List.of(PendingLine.bytes("c")))).isInstanceOf(IllegalArgumentException.class);
    assertThat(log.extent().lines()).isEqualTo(1);
  }

  @Test
  void reopen_afterClose_keepsTheLinesAndTheExtent() {
    JobLogSegments log = open("job-1");
    append(log, "a", "!b");
    LogExtent extent = log.extent();
    restart();
    JobLogSegments again = open("job-1");
    assertThat(again.extent()).isEqualTo(extent);
    assertThat(again.reader().read(extent, 0, LogFilter.ALL, 10)).containsExactlyElementsOf(lines(LogExtent.EMPTY, "a", "!b"));
    append(again, "c");
    assertThat(again.extent().lines()).isEqualTo(3);
  }

  @Test
  void truncate_toAnEarlierExtent_dropsTheRestAndAppendingGoesOnThere() throws IOException {
    JobLogSegments log = open("job-1");
    append(log, "a", "!b");
    LogExtent head = log.extent();
    append(log, "!c", "d");
    log.truncate(head);
    assertThat(log.extent()).isEqualTo(head);
    append(log, "e");
    assertThat(log.reader().read(log.extent(), 0, LogFilter.ALL, 10)).extracting(LogLine::text).containsExactly("a", "!b", "e");
    assertThat(log.reader().read(log.extent(), 0, LogFilter.BASIC, 10)).extracting(LogLine::text).containsExactly("!b");
    restart();
    JobLogSegments again = open("job-1");
    assertThat(text(again.reader(), again.extent())).isEqualTo("a\n!b\ne\n");
  }

  @Test
  void seal_thenSealedExtent_isTheFinalExtentAndTheLinesStayReadable() {
    JobLogSegments log = open("job-1");
    append(log, "a", "!b");
    LogExtent last = log.extent();
    log.seal(false);
    assertThat(segments.sealedExtent("job-1")).contains(last);
    restart();
    assertThat(segments.sealedExtent("job-1")).contains(last);
    assertThat(segments.reader("job-1").read(last, 0, LogFilter.ALL, 10)).extracting(LogLine::text).containsExactly("a", "!b");
  }

  @Test
  void seal_durable_forcesAndSealsTheSame() {
    JobLogSegments log = open("job-1");
    append(log, "a");
    log.force();
    log.seal(true);
    assertThat(segments.sealedExtent("job-1")).contains(new LogExtent(1, 0, 2));
  }

  @Test
  void heldBack_linesAddedThenReopened_keepAtLeastTheLastTailBytesAndCountEveryLine() {
    JobLogSegments log = open("job-1");
    append(log, "a");
    LogExtent head = log.extent();
    HeldBackLines held = log.startHoldingBack(100, head);
    held.add(pending(1, 50));
    held.add(pending(51, 100));
    held.force();
    restart();
    HeldBackLines again = open("job-1").heldBack().orElseThrow();
    assertThat(again.head()).isEqualTo(head);
    assertThat(again.tailBytes()).isEqualTo(100);
    assertThat(again.totalLines()).isEqualTo(100);
    assertThat(again.totalBytes()).isEqualTo(100 * 10);
    List<PendingLine> kept = new ArrayList<>();
    again.forEachKept(0, 7, batch -> {
      assertThat(batch).hasSizeLessThanOrEqualTo(7);
      kept.addAll(batch);
    });
    assertThat(kept.size() * 10L).isEqualTo(again.keptBytes()).isGreaterThanOrEqualTo(100);
    assertThat(kept).hasSize((int) again.keptLines());
    assertThat(kept).containsExactlyElementsOf(pending(101 - kept.size(), 100));
    List<Long> sizes = new ArrayList<>();
    again.forEachKeptSize(sizes::add);
    assertThat(sizes).hasSize(kept.size()).containsOnly(10L);
    List<PendingLine> skipped = new ArrayList<>();
    again.forEachKept(kept.size() - 2, 100, skipped::addAll);
    assertThat(skipped).containsExactlyElementsOf(pending(99, 100));
  }

  @Test
  void heldBack_lineLongerThanTheTail_isStillKept() {
    HeldBackLines held = open("job-1").startHoldingBack(5, LogExtent.EMPTY);
    held.add(pending(1, 3));
    List<PendingLine> kept = new ArrayList<>();
    held.forEachKept(0, 10, kept::addAll);
    assertThat(kept).isNotEmpty().last().isEqualTo(pending(3, 3).getFirst());
  }

  @Test
  void heldBack_deleted_isGoneAfterAReopen() {
    JobLogSegments log = open("job-1");
    HeldBackLines held = log.startHoldingBack(100, LogExtent.EMPTY);
    held.add(pending(1, 3));
    held.delete();
    restart();
    assertThat(open("job-1").heldBack()).isEmpty();
  }

  @Test
  void delete_aJobsLog_leavesNothingBehind() {
    JobLogSegments log = open("job-1");
    append(log, "a");
    log.startHoldingBack(100, log.extent()).add(pending(1, 2));
    log.seal(false);
    segments.delete("job-1");
    segments.delete("never-existed");
    assertThat(segments.sealedExtent("job-1")).isEmpty();
    JobLogSegments again = open("job-1");
    assertThat(again.extent()).isEqualTo(LogExtent.EMPTY);
    assertThat(again.heldBack()).isEmpty();
  }

  @Test
  void logs_ofDifferentJobs_areIndependent() {
    JobLogSegments one = open("job-1");
    JobLogSegments two = open("job-2");
    append(one, "one");
    append(two, "two", "two again");
    assertThat(one.extent().lines()).isEqualTo(1);
    assertThat(two.reader().read(two.extent(), 0, LogFilter.ALL, 10)).extracting(LogLine::text).containsExactly("two", "two again");
  }
}
