package dev.buildcast.log.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.log.JobLog;
import dev.buildcast.log.LogBroadcaster;
import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.LogSubscription;
import dev.buildcast.testing.MemoryAcceptedLines;
import dev.buildcast.testing.MemoryLogSegments;
import dev.buildcast.testing.MemoryLogStore;
import dev.buildcast.testing.SteppedExecutor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The design's guarantees on the whole engine-neutral path, with the in-memory engine and every
 * thread stepped by the test: an owner node (spool, shipper) and watching nodes (mirror, feed,
 * today's broadcaster). Gap-free and duplicate-free here means: what a watcher received is a
 * contiguous run of the owner's spool, with the same seqs, text, time and level.
 */
class ClusterLogPathTest {

  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
  private static final String JOB = "job-1";

  private final MemoryAcceptedLines engine = new MemoryAcceptedLines();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) toClose.get(i).close();
  }

  /** The node running the job: its spool and shipper; shows lines locally once accepted. */
  private final class OwnerNode implements ShippingListener {
    final SteppedExecutor executor = new SteppedExecutor();
    final ManualRetryTimer retries = new ManualRetryTimer();
    final JobLog spool;
    final LogShipper shipper;
    final List<LogLine> shown = new ArrayList<>();
    boolean fenced;

    OwnerNode(LogOwner owner) {
      engine.assignOwner(JOB, owner);
      spool = new MemoryLogStore(CLOCK).open(JOB);
      shipper = new LogShipper(JOB, owner, engine, spool, 0, 0, executor, retries, this);
      toClose.add(spool);
      toClose.add(shipper);
      shipper.start();
    }

    void print(int from, int to) {
      for (int i = from; i <= to; i++) spool.append(i % 5 == 0 ? LogLevel.NOTICE : LogLevel.DETAIL, "line " + i);
    }

    void ship() {
      executor.runAll();
    }

    List<LogLine> spooled() {
      return spool.read(0, LogFilter.ALL, Integer.MAX_VALUE);
    }

    @Override
    public void accepted(List<LogLine> lines) {
      shown.addAll(lines);
    }

    @Override
    public void fenced(long engineLastSeq) {
      fenced = true;
    }
  }

  /** A node watching the job it does not run: mirror, feed, broadcaster. */
  private final class WatchingNode {
    final SteppedExecutor deliveries = new SteppedExecutor();
    final SteppedExecutor readers = new SteppedExecutor();
    final LogBroadcaster broadcaster = new LogBroadcaster(deliveries, readers, 3);
    final MirrorFeed feed = new MirrorFeed(engine);
    final LogMirror mirror = LogMirror.open(JOB, new MemoryLogSegments());

    WatchingNode() {
      toClose.add(mirror);
      feed.watch(mirror);
    }

    RecordingWatcher watch(long since) {
      RecordingWatcher watcher = new RecordingWatcher(since);
      LogSubscription subscription = broadcaster.subscribe(mirror, since, LogFilter.ALL, watcher);
      toClose.add(subscription::cancel);
      step();
      return watcher;
    }

    /** One read of the engine, then every delivery and catch-up read it caused. */
    void step() {
      try {
        feed.pollOnce(Duration.ZERO);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      boolean ran = true;
      while (ran) ran = deliveries.runAll() + readers.runAll() > 0;
    }
  }

  @Test
  void resume_onAnotherNodeWithSince_getsEveryLaterLineExactlyOnce() {
    OwnerNode owner = new OwnerNode(new LogOwner("n1", 1));
    WatchingNode n2 = new WatchingNode();
    owner.print(1, 10);
    owner.ship();
    RecordingWatcher first = n2.watch(0);
    owner.print(11, 14);
    owner.ship();
    n2.step();
    long k = first.lines.get(first.lines.size() - 1).seq();
    assertThat(first.lines).containsExactlyElementsOf(owner.spooled());

    WatchingNode n3 = new WatchingNode();
    n3.step();
    RecordingWatcher resumed = n3.watch(k);
    owner.print(15, 20);
    owner.ship();
    n3.step();
    owner.spool.seal();
    owner.ship();
    n3.step();
    assertThat(resumed.lines).containsExactlyElementsOf(owner.spooled().subList((int) k, 20));
    assertThat(resumed.caughtUpToEnd).isTrue();
    assertThat(n3.mirror.isSealed()).isTrue();
    assertThat(n3.feed.watchedCount()).isZero();
  }

  @Test
  void lateJoiner_onANodeWithoutAMirrorYet_getsTheWholeLogThenLive() {
    OwnerNode owner = new OwnerNode(new LogOwner("n1", 1));
    owner.print(1, 7);
    owner.ship();
    WatchingNode late = new WatchingNode();
    RecordingWatcher watcher = late.watch(0);
    owner.print(8, 9);
    owner.ship();
    late.step();
    assertThat(watcher.lines).containsExactlyElementsOf(owner.spooled());
  }

  @Test
  void engineLosingItsLastEntries_getsThemShippedAgainWithTheSameSeqsAndText() {
    OwnerNode owner = new OwnerNode(new LogOwner("n1", 1));
    WatchingNode n2 = new WatchingNode();
    RecordingWatcher watcher = n2.watch(0);
    owner.print(1, 3);
    owner.ship();
    owner.print(4, 6);
    owner.ship();
    n2.step();
    engine.loseLastEntries(JOB, 1);
    owner.print(7, 7);
    owner.ship();
    n2.step();
    WatchingNode n3 = new WatchingNode();
    RecordingWatcher fresh = n3.watch(0);
    assertThat(engine.lines(JOB)).containsExactlyElementsOf(owner.spooled());
    assertThat(watcher.lines).containsExactlyElementsOf(owner.spooled());
    assertThat(fresh.lines).containsExactlyElementsOf(owner.spooled());
    assertThat(owner.shown).containsExactlyElementsOf(owner.spooled());
  }

  @Test
  void oldOwner_afterAnEpochBump_isFencedAndNothingItSentAfterIsEverVisible() {
    LogOwner old = new LogOwner("n1", 1);
    OwnerNode zombie = new OwnerNode(old);
    WatchingNode n2 = new WatchingNode();
    RecordingWatcher watcher = n2.watch(0);
    zombie.print(1, 3);
    zombie.ship();
    n2.step();
    List<LogLine> beforeTheFence = zombie.spooled();

    // the reaper on n3 takes the job over: epoch first, then its line and the seal
    LogOwner reaper = new LogOwner("n3", 2);
    engine.assignOwner(JOB, reaper);
    LogLine reaperLine = new LogLine(4, 1, LogLevel.ERROR, "the server running this job stopped responding");
    engine.append(JOB, reaper, 3, List.of(reaperLine));
    engine.mark(JOB, reaper, 4, 1, LogMark.seal());

    zombie.print(4, 6);
    zombie.ship();
    n2.step();
    WatchingNode n4 = new WatchingNode();
    RecordingWatcher late = n4.watch(0);

    List<LogLine> expected = new ArrayList<>(beforeTheFence);
    expected.add(reaperLine);
    assertThat(zombie.fenced).isTrue();
    assertThat(zombie.shown).containsExactlyElementsOf(beforeTheFence);
    assertThat(engine.lines(JOB)).containsExactlyElementsOf(expected);
    assertThat(watcher.lines).containsExactlyElementsOf(expected);
    assertThat(late.lines).containsExactlyElementsOf(expected);
    assertThat(watcher.caughtUpToEnd).isTrue();
    zombie.print(7, 7);
    assertThat(zombie.executor.queuedCount()).isZero();
  }
}
