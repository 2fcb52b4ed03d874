package dev.buildcast.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.storage.file.FileLogStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broadcaster with ticks stepped by hand (the scheduled ones are an hour away) and catch-up
 * run inline, so each test sees one exact interleaving of appends, ticks and joins.
 */
class LogBroadcasterTickTest {

  @TempDir Path dir;
  private FileLogStore store;
  private ScheduledThreadPoolExecutor ticker;
  private LogBroadcaster broadcaster;
  private JobLog log;

  @BeforeEach
  void start() {
    store = new FileLogStore(id -> dir.resolve(id), Clock.systemUTC());
    ticker = new ScheduledThreadPoolExecutor(1);
    broadcaster = new LogBroadcaster(ticker, Duration.ofHours(1), Runnable::run, 4);
    log = store.open("job-1");
  }

  @AfterEach
  void stop() {
    ticker.shutdownNow();
    log.close();
    store.close();
  }

  private void append(int count) {
    for (int i = 0; i < count; i++) log.append(LogLevel.DETAIL, "line " + (log.lastSeq() + 1));
  }

  @Test
  void tick_withPendingLines_offersTheSameBatchObjectToEveryLiveSubscriberOfAFilter() {
    List<RecordingSubscriber> all = List.of(new RecordingSubscriber(), new RecordingSubscriber());
    List<RecordingSubscriber> basic = List.of(new RecordingSubscriber(), new RecordingSubscriber());
    all.forEach(client -> broadcaster.subscribe(log, 0, LogFilter.ALL, client));
    basic.forEach(client -> broadcaster.subscribe(log, 0, LogFilter.BASIC, client));
    append(2);
    log.append(LogLevel.NOTICE, "three");
    append(2);

    broadcaster.tickNow();
    broadcaster.tickNow();

    assertThat(all.get(0).batches()).hasSize(1);
    assertThat(all.get(1).batches()).hasSize(1);
    assertThat(all.get(1).batches().get(0)).isSameAs(all.get(0).batches().get(0));
    assertThat(basic.get(1).batches().get(0)).isSameAs(basic.get(0).batches().get(0));
    assertThat(all.get(0).seqs()).containsExactly(1L, 2L, 3L, 4L, 5L);
    LogBatch basicBatch = basic.get(0).batches().get(0);
    assertThat(basicBatch.lines()).extracting(LogLine::seq).containsExactly(3L);
    assertThat(basicBatch.throughSeq()).isEqualTo(5);
  }

  @Test
  void appends_betweenTicks_scheduleOneTickForTheJob_andAnIdleJobNone() {
    broadcaster.subscribe(log, 0, LogFilter.ALL, new RecordingSubscriber());
    assertThat(ticker.getQueue()).isEmpty();

    append(3);

    assertThat(ticker.getQueue()).hasSize(1);
  }

  @Test
  void appends_withoutLiveSubscribers_areNeitherKeptNorTicked() {
    RecordingSubscriber client = new RecordingSubscriber();
    LogSubscription subscription = broadcaster.subscribe(log, 0, LogFilter.ALL, client);
    client.refuse();
    append(1);
    broadcaster.tickNow();
    assertThat(subscription.isLive()).isFalse();
    int queued = ticker.getQueue().size();

    append(50);

    assertThat(broadcaster.bufferedLineCount()).isZero();
    assertThat(ticker.getQueue()).hasSize(queued);
  }

  @Test
  void refusal_inATick_dropsToCatchUpFromTheCursor_thenRejoinsLiveAtTheHead() {
    RecordingSubscriber client = new RecordingSubscriber();
    LogSubscription subscription = broadcaster.subscribe(log, 0, LogFilter.ALL, client);
    append(3);
    broadcaster.tickNow();
    client.refuse();
    append(3);
    broadcaster.tickNow();
    assertThat(subscription.isLive()).isFalse();
    assertThat(subscription.lastSeq()).isEqualTo(3);
    append(7);

    client.accept();

    assertThat(subscription.isLive()).isTrue();
    assertThat(client.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L);
    assertThat(client.batches()).extracting(LogBatch::lines).allSatisfy(lines -> assertThat(lines).hasSizeLessThanOrEqualTo(4));
    append(1);
    broadcaster.tickNow();
    assertThat(client.seqs()).hasSize(14);
    assertThat(client.violations()).isEmpty();
  }

  @Test
  void lateJoiner_readingLinesStillPendingForTheTick_getsNoneTwice() {
    RecordingSubscriber early = new RecordingSubscriber();
    broadcaster.subscribe(log, 0, LogFilter.ALL, early);
    append(3);
    broadcaster.tickNow();
    append(2);
    RecordingSubscriber late = new RecordingSubscriber();
    LogSubscription lateSubscription = broadcaster.subscribe(log, 0, LogFilter.ALL, late);
    assertThat(late.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(lateSubscription.isLive()).isTrue();

    broadcaster.tickNow();

    assertThat(early.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(late.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L);
    append(1);
    broadcaster.tickNow();
    assertThat(late.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(late.batches().get(late.batches().size() - 1)).isSameAs(early.batches().get(2));
    assertThat(late.violations()).isEmpty();
  }

  @Test
  void subscriber_atTheLiveHeadWithLinesPending_joinsLiveAtOnce() {
    RecordingSubscriber early = new RecordingSubscriber();
    broadcaster.subscribe(log, 0, LogFilter.ALL, early);
    append(3);
    RecordingSubscriber joiner = new RecordingSubscriber();
    LogSubscription subscription = broadcaster.subscribe(log, 0, LogFilter.ALL, joiner);
    assertThat(subscription.isLive()).isTrue();

    broadcaster.tickNow();

    assertThat(joiner.batches()).containsExactlyElementsOf(early.batches());
    assertThat(joiner.seqs()).containsExactly(1L, 2L, 3L);
  }

  @Test
  void subscriber_joiningLivePartWayThroughPendingLines_getsOnlyTheLinesAfterItsCursor() {
    RecordingSubscriber early = new RecordingSubscriber();
    broadcaster.subscribe(log, 0, LogFilter.ALL, early);
    append(3);
    RecordingSubscriber resumed = new RecordingSubscriber(2);
    LogSubscription resumedSubscription = broadcaster.subscribe(log, 2, LogFilter.ALL, resumed);
    RecordingSubscriber atHead = new RecordingSubscriber(3);
    LogSubscription atHeadSubscription = broadcaster.subscribe(log, 3, LogFilter.ALL, atHead);
    assertThat(resumedSubscription.isLive()).isTrue();

    broadcaster.tickNow();

    assertThat(early.seqs()).containsExactly(1L, 2L, 3L);
    assertThat(resumed.seqs()).containsExactly(3L);
    assertThat(resumed.batches().get(0).afterSeq()).isEqualTo(2);
    assertThat(atHead.seqs()).isEmpty();
    assertThat(atHeadSubscription.lastSeq()).isEqualTo(3);
    append(1);
    broadcaster.tickNow();
    assertThat(resumed.batches().get(1)).isSameAs(early.batches().get(1));
    assertThat(atHead.batches().get(0)).isSameAs(early.batches().get(1));
  }

  @Test
  void basicSubscriber_tickOfDetailLinesOnly_movesItsCursorWithoutABatch() {
    RecordingSubscriber client = new RecordingSubscriber();
    LogSubscription subscription = broadcaster.subscribe(log, 0, LogFilter.BASIC, client);
    append(5);

    broadcaster.tickNow();

    assertThat(client.batches()).isEmpty();
    assertThat(subscription.lastSeq()).isEqualTo(5);
    assertThat(subscription.isLive()).isTrue();
  }

  @Test
  void seal_afterTheLastTick_endsLiveSubscribersOnTheNextTick() {
    RecordingSubscriber client = new RecordingSubscriber();
    LogSubscription subscription = broadcaster.subscribe(log, 0, LogFilter.ALL, client);
    append(2);
    log.seal();
    assertThat(client.caughtUpCalls()).isZero();

    broadcaster.tickNow();

    assertThat(client.seqs()).containsExactly(1L, 2L);
    assertThat(client.caughtUpCalls()).isEqualTo(1);
    assertThat(subscription.isEnded()).isTrue();
    assertThat(broadcaster.activeJobCount()).isZero();
  }
}
