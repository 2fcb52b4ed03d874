package dev.buildcast.log.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import dev.buildcast.testing.MemoryAcceptedLines;
import dev.buildcast.testing.MemoryLogSegments;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The node's feed: engine entries into mirrors, in stream order. */
class MirrorFeedTest {

  private static final LogOwner OWNER = new LogOwner("n1", 1);
  /** Generous: every wait here is ended early by what the test does. */
  private static final Duration LONG_WAIT = Duration.ofSeconds(60);

  private final MemoryAcceptedLines engine = new MemoryAcceptedLines();
  private final MemoryLogSegments segments = new MemoryLogSegments();
  private final MirrorFeed feed = new MirrorFeed(engine);

  @BeforeEach
  void own() {
    engine.assignOwner("job-1", OWNER);
    engine.assignOwner("job-2", OWNER);
  }

  private static List<LogLine> lines(long from, long to) {
    List<LogLine> lines = new ArrayList<>();
    for (long seq = from; seq <= to; seq++) lines.add(new LogLine(seq, seq, LogLevel.DETAIL, "line " + seq));
    return lines;
  }

  private int poll() throws InterruptedException {
    return feed.pollOnce(Duration.ZERO);
  }

  @Test
  void pollOnce_entriesOfSeveralJobs_fillEachMirrorInOrderAndTheSealEndsTheWatch() throws Exception {
    try (LogMirror one = LogMirror.open("job-1", segments);
        LogMirror two = LogMirror.open("job-2", segments)) {
      feed.watch(one);
      feed.watch(two);
      engine.append("job-1", OWNER, 0, lines(1, 2));
      engine.mark("job-1", OWNER, 2, 1, LogMark.status("running"));
      engine.append("job-1", OWNER, 2, lines(3, 3));
      engine.append("job-2", OWNER, 0, lines(1, 1));
      assertThat(poll()).isEqualTo(4);
      engine.mark("job-1", OWNER, 3, 2, LogMark.seal());
      poll();
      assertThat(one.read(0, LogFilter.ALL, 10)).containsExactlyElementsOf(lines(1, 3));
      assertThat(two.read(0, LogFilter.ALL, 10)).containsExactlyElementsOf(lines(1, 1));
      assertThat(one.isSealed()).isTrue();
      assertThat(feed.watchedCount()).isEqualTo(1);
    }
  }

  @Test
  void watch_whileAReadIsBlocked_wakesItToReadTheNewSet() throws Exception {
    try (LogMirror one = LogMirror.open("job-1", segments)) {
      poll(); // consumes nothing; the feed watches nothing yet
      CompletableFuture<Integer> blocked = CompletableFuture.supplyAsync(() -> {
        try {
          return feed.pollOnce(LONG_WAIT);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      });
      feed.watch(one);
      assertThat(blocked.get(LONG_WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
      engine.append("job-1", OWNER, 0, lines(1, 1));
      assertThat(poll()).isEqualTo(1);
      assertThat(one.lastSeq()).isEqualTo(1);
    }
  }

  @Test
  void watch_aMirrorThatHoldsLines_readsFromItsEndAndSkipsWhatARepeatedBatchHolds() throws Exception {
    engine.append("job-1", OWNER, 0, lines(1, 4));
    try (LogMirror one = LogMirror.open("job-1", segments)) {
      one.replicate(lines(1, 2));
      feed.watch(one);
      engine.append("job-1", OWNER, 4, lines(5, 5));
      poll();
      assertThat(one.read(0, LogFilter.ALL, 10)).containsExactlyElementsOf(lines(1, 5));
    }
  }

  @Test
  void unwatch_stopsFillingTheMirror() throws Exception {
    try (LogMirror one = LogMirror.open("job-1", segments)) {
      feed.watch(one);
      feed.unwatch("job-1");
      engine.append("job-1", OWNER, 0, lines(1, 1));
      assertThat(poll()).isZero();
      assertThat(one.lastSeq()).isZero();
    }
  }
}
