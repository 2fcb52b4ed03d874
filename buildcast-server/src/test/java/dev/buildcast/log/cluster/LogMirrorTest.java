package dev.buildcast.log.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.log.JobLogListener;
import dev.buildcast.log.LogBroadcaster;
import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.LogSegments;
import dev.buildcast.log.LogSubscription;
import dev.buildcast.storage.file.FileLogSegments;
import dev.buildcast.testing.SteppedExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node's mirror of a job it watches, in today's file format, served by today's broadcaster. */
class LogMirrorTest {

  @TempDir Path dir;
  private LogSegments files;

  @BeforeEach
  void createFiles() {
    files = new FileLogSegments(dir::resolve);
  }

  /** Lines {@code from..to} as the owner numbered them: "line N", level cycling, time 1000 + N. */
  private static List<LogLine> lines(long from, long to) {
    List<LogLine> lines = new ArrayList<>();
    for (long seq = from; seq <= to; seq++) {
      LogLevel level = seq % 3 == 0 ? LogLevel.NOTICE : LogLevel.DETAIL;
      lines.add(new LogLine(seq, 1000 + seq, level, "line " + seq + " ünï"));
    }
    return lines;
  }

  private static String text(LogMirror mirror) throws IOException {
    try (InputStream in = mirror.openText()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void replicate_linesWithTheirSeqs_storesThemAsGivenAndTellsListeners() throws IOException {
    try (LogMirror mirror = LogMirror.open("job-1", files)) {
      List<LogLine> heard = new ArrayList<>();
      mirror.addListener(heard::addAll);
      assertThat(mirror.replicate(lines(1, 3))).containsExactlyElementsOf(lines(1, 3));
      mirror.replicate(lines(4, 5));
      assertThat(mirror.read(0, LogFilter.ALL, 100)).containsExactlyElementsOf(lines(1, 5));
      assertThat(mirror.read(0, LogFilter.BASIC, 100)).containsExactly(lines(3, 3).get(0));
      assertThat(heard).containsExactlyElementsOf(lines(1, 5));
      assertThat(mirror.lastSeq()).isEqualTo(5);
      StringBuilder expected = new StringBuilder();
      for (LogLine line : lines(1, 5)) expected.append(line.text()).append('\n');
      assertThat(text(mirror)).isEqualTo(expected.toString());
      assertThat(mirror.textBytes()).isEqualTo(expected.toString().getBytes(StandardCharsets.UTF_8).length);
    }
  }

  @Test
  void replicate_batchStartingBelowTheMirrorsEnd_skipsWhatItHolds() {
    try (LogMirror mirror = LogMirror.open("job-1", files)) {
      mirror.replicate(lines(1, 4));
      assertThat(mirror.replicate(lines(3, 7))).containsExactlyElementsOf(lines(5, 7));
      assertThat(mirror.replicate(lines(2, 6))).isEmpty();
      assertThat(mirror.read(0, LogFilter.ALL, 100)).containsExactlyElementsOf(lines(1, 7));
    }
  }

  @Test
  void replicate_batchLeavingAHole_isAnErrorNamingBothSeqsAndStoresNothing() {
    try (LogMirror mirror = LogMirror.open("job-1", files)) {
      mirror.replicate(lines(1, 3));
      assertThatThrownBy(() -> mirror.replicate(lines(6, 8)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("up to seq 3")
          .hasMessageContaining("seq 6");
      List<LogLine> holey = new ArrayList<>(lines(4, 4));
      holey.addAll(lines(6, 6));
      assertThatThrownBy(() -> mirror.replicate(holey)).isInstanceOf(IllegalArgumentException.class);
      assertThat(mirror.lastSeq()).isEqualTo(3);
    }
  }

  @Test
  void replicate_textHoldingALineBreak_isRefusedAndStoresNothing() {
    try (LogMirror mirror = LogMirror.open("job-1", files)) {
      List<LogLine> hostile = List.of(new LogLine(1, 1, LogLevel.DETAIL, "a"), new LogLine(2, 1, LogLevel.DETAIL, "b\nforged"));
      assertThatThrownBy(() -> mirror.replicate(hostile)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("line 2");
      assertThat(mirror.lastSeq()).isZero();
    }
  }

  @Test
  void append_onAMirror_isRefused() {
    try (LogMirror mirror = LogMirror.open("job-1", files)) {
      assertThatThrownBy(() -> mirror.append(LogLevel.DETAIL, "x")).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("owner");
    }
  }

  @Test
  void seal_thenReopen_isSealedWithTheSameLines() {
    List<String> heard = new ArrayList<>();
    try (LogMirror mirror = LogMirror.open("job-1", files)) {
      mirror.addListener(new JobLogListener() {
        @Override
        public void appended(List<LogLine> lines) {
          heard.add("lines to " + lines.get(lines.size() - 1).seq());
        }

        @Override
        public void sealed(long lastSeq) {
          heard.add("sealed at " + lastSeq);
        }
      });
      mirror.replicate(lines(1, 2));
      mirror.seal();
      mirror.seal();
      assertThatThrownBy(() -> mirror.replicate(lines(3, 3))).isInstanceOf(IllegalStateException.class);
    }
    assertThat(heard).containsExactly("lines to 2", "sealed at 2");
    try (LogMirror reopened = LogMirror.open("job-1", files)) {
      assertThat(reopened.isSealed()).isTrue();
      assertThat(reopened.read(0, LogFilter.ALL, 10)).containsExactlyElementsOf(lines(1, 2));
    }
  }

  @Test
  void open_afterACrashTornWrite_repairsAndContinuesWithTheSameSeqs() throws IOException {
    try (LogMirror mirror = LogMirror.open("job-1", files)) {
      mirror.replicate(lines(1, 3));
    }
    Files.write(dir.resolve("job-1").resolve("detailed.log"), "line 4 torn ha".getBytes(StandardCharsets.UTF_8),
        StandardOpenOption.APPEND);
    try (LogMirror mirror = LogMirror.open("job-1", files)) {
      assertThat(mirror.read(0, LogFilter.ALL, 10)).containsExactlyElementsOf(lines(1, 3));
      mirror.replicate(lines(2, 5));
      assertThat(mirror.read(0, LogFilter.ALL, 10)).containsExactlyElementsOf(lines(1, 5));
    }
  }

  @Test
  void delete_aClosedMirror_opensEmptyAgain() {
    try (LogMirror mirror = LogMirror.open("job-1", files)) {
      mirror.replicate(lines(1, 3));
      mirror.seal();
    }
    files.delete("job-1");
    try (LogMirror mirror = LogMirror.open("job-1", files)) {
      assertThat(mirror.lastSeq()).isZero();
      assertThat(mirror.isSealed()).isFalse();
      mirror.replicate(lines(1, 1));
      assertThat(mirror.lastSeq()).isEqualTo(1);
    }
  }

  @Test
  void broadcaster_servesSinceCatchUpLiveAndTheEndFromAMirror() {
    SteppedExecutor deliveries = new SteppedExecutor();
    SteppedExecutor readers = new SteppedExecutor();
    LogBroadcaster broadcaster = new LogBroadcaster(deliveries, readers, 2);
    try (LogMirror mirror = LogMirror.open("job-1", files)) {
      mirror.replicate(lines(1, 5));
      RecordingWatcher resumed = new RecordingWatcher(2);
      RecordingWatcher fromStart = new RecordingWatcher(0);
      LogSubscription one = broadcaster.subscribe(mirror, 2, LogFilter.ALL, resumed);
      LogSubscription two = broadcaster.subscribe(mirror, 0, LogFilter.ALL, fromStart);
      runAll(deliveries, readers);
      mirror.replicate(lines(4, 8));
      runAll(deliveries, readers);
      mirror.replicate(lines(9, 9));
      mirror.seal();
      runAll(deliveries, readers);
      assertThat(resumed.lines).containsExactlyElementsOf(lines(3, 9));
      assertThat(fromStart.lines).containsExactlyElementsOf(lines(1, 9));
      assertThat(resumed.caughtUpToEnd).isTrue();
      assertThat(fromStart.caughtUpToEnd).isTrue();
      one.cancel();
      two.cancel();
    }
  }

  @Test
  void fail_tellsLiveAndLaterWatchersAClearError_andKeepsItsLinesReadable() {
    SteppedExecutor deliveries = new SteppedExecutor();
    SteppedExecutor readers = new SteppedExecutor();
    LogBroadcaster broadcaster = new LogBroadcaster(deliveries, readers, 2);
    try (LogMirror mirror = LogMirror.open("job-1", files)) {
      mirror.replicate(lines(1, 3));
      RecordingWatcher live = new RecordingWatcher(0);
      broadcaster.subscribe(mirror, 0, LogFilter.ALL, live);
      runAll(deliveries, readers);
      assertThat(live.lines).containsExactlyElementsOf(lines(1, 3));

      mirror.fail("the entry bc:{job-1}:log 4-0 is damaged");
      runAll(deliveries, readers);

      assertThat(live.failure).isInstanceOf(MirrorFailedException.class)
          .hasMessageContaining("job-1").hasMessageContaining("after line 3").hasMessageContaining("4-0 is damaged");
      assertThat(live.caughtUpToEnd).isFalse();
      RecordingWatcher later = new RecordingWatcher(1);
      broadcaster.subscribe(mirror, 1, LogFilter.ALL, later);
      runAll(deliveries, readers);
      assertThat(later.failure).isInstanceOf(MirrorFailedException.class);
      assertThatThrownBy(() -> mirror.replicate(lines(4, 4))).isInstanceOf(IllegalStateException.class).hasMessageContaining("failed");
      assertThat(mirror.read(0, LogFilter.ALL, 10)).containsExactlyElementsOf(lines(1, 3));
      assertThat(mirror.isSealed()).isFalse();
      assertThat(broadcaster.activeJobCount()).as("the failed watchers hold nothing").isZero();
    }
  }

  private static void runAll(SteppedExecutor... executors) {
    boolean ran = true;
    while (ran) {
      ran = false;
      for (SteppedExecutor executor : executors) ran |= executor.runAll() > 0;
    }
  }
}
