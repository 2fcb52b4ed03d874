package dev.buildcast.log.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import dev.buildcast.testing.MemoryAcceptedLines;
import dev.buildcast.testing.MemoryLogSegments;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The feed's thread: rounds until closed, and the pauses while the engine is down, stepped by the test. */
class MirrorFeedLoopTest {

  private static final LogOwner OWNER = new LogOwner("n1", 1);
  /** Generous: every wait here is ended early by what the test does. */
  private static final Duration LONG_WAIT = Duration.ofSeconds(60);

  private final MemoryAcceptedLines engine = new MemoryAcceptedLines();
  private final MirrorFeed feed = new MirrorFeed(engine);
  private final SteppedPause pause = new SteppedPause();
  private MirrorFeedLoop loop;

  /** A pause that records each delay asked and returns only when the test releases it. */
  private static final class SteppedPause implements MirrorFeedLoop.Pause {
    final BlockingQueue<Duration> asked = new LinkedBlockingQueue<>();
    final Semaphore released = new Semaphore(0);

    @Override
    public void pause(Duration delay) throws InterruptedException {
      asked.add(delay);
      released.acquire();
    }

    Duration nextAsked() throws InterruptedException {
      Duration delay = asked.poll(LONG_WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(delay).as("the loop paused").isNotNull();
      return delay;
    }
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (loop != null) loop.close(LONG_WAIT);
  }

  private static List<LogLine> lines(long from, long to) {
    List<LogLine> lines = new ArrayList<>();
    for (long seq = from; seq <= to; seq++) lines.add(new LogLine(seq, seq, LogLevel.DETAIL, "line " + seq));
    return lines;
  }

  @Test
  void loop_fillsWatchedMirrorsAsLinesArrive_untilClosed() throws Exception {
    engine.assignOwner("job-1", OWNER);
    try (LogMirror mirror = LogMirror.open("job-1", new MemoryLogSegments())) {
      loop = MirrorFeedLoop.start(feed, pause);
      feed.watch(mirror);
      engine.append("job-1", OWNER, 0, lines(1, 2));
      Awaitility.await().atMost(LONG_WAIT).until(() -> mirror.lastSeq() == 2);
      engine.append("job-1", OWNER, 2, lines(3, 3));
      Awaitility.await().atMost(LONG_WAIT).until(() -> mirror.lastSeq() == 3);
      loop.close(LONG_WAIT);
      assertThat(loop.isRunning()).isFalse();
      assertThat(pause.asked).isEmpty();
    }
  }

  @Test
  void loop_whileTheEngineIsDown_pausesDoublingToTheCap_andAfterItIsBackStartsShortAgain() throws Exception {
    engine.assignOwner("job-1", OWNER);
    engine.goDown();
    try (LogMirror mirror = LogMirror.open("job-1", new MemoryLogSegments())) {
      feed.watch(mirror);
      loop = MirrorFeedLoop.start(feed, pause);
      List<Long> delays = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        delays.add(pause.nextAsked().toMillis());
        pause.released.release();
      }
      assertThat(delays).containsExactly(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L);
      Duration pending = pause.nextAsked();
      assertThat(pending).isEqualTo(Duration.ofMillis(5000));
      engine.comeBack();
      engine.append("job-1", OWNER, 0, lines(1, 1));
      pause.released.release();
      Awaitility.await().atMost(LONG_WAIT).until(() -> mirror.lastSeq() == 1);
      engine.goDown();
      feed.unwatch("job-1"); // why: a wake-up ends the round under way, so the next one meets the engine down
      assertThat(pause.nextAsked()).isEqualTo(Duration.ofMillis(100));
      pause.released.release();
    }
  }

  @Test
  void close_duringAPause_endsTheThread() throws Exception {
    engine.goDown();
    loop = MirrorFeedLoop.start(feed, pause);
    pause.nextAsked();
    loop.close(LONG_WAIT);
    assertThat(loop.isRunning()).isFalse();
  }
}
