package dev.buildcast.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.storage.file.FileLogStore;
import dev.buildcast.testing.SteppedExecutor;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broadcaster with its deliveries stepped by hand and catch-up run inline, so each test sees
 * one exact interleaving of appends, deliveries and joins. ("Tick" in a test's name is one stepped
 * delivery.)
 */
class LogBroadcasterTickTest {

  @TempDir Path dir;
  private FileLogStore store;
  private SteppedExecutor deliveries;
  private LogBroadcaster broadcaster;
  private JobLog log;

  @BeforeEach
  void start() {
    store = new FileLogStore(id -> dir.resolve(id), LogStoreOptions.unforced(Clock.systemUTC()));
    deliveries = new SteppedExecutor();
    broadcaster = new LogBroadcaster(deliveries, Runnable::run, 4);
    log = store.open("job-1");
  }

  @AfterEach
  void stop() {
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
    append(1);

    deliveries.runAll();
    deliveries.runAll();

    assertThat(all.get(0).batches()).hasSize(1);
    assertThat(all.get(1).batches()).hasSize(1);
    assertThat(all.get(1).batches().get(0)).isSameAs(all.get(0).batches().get(0));
    assertThat(basic.get(1).batches().get(0)).isSameAs(basic.get(0).batches().get(0));
    assertThat(all.get(0).seqs()).containsExactly(1L, 2L, 3L, 4L);
    LogBatch basicBatch = basic.get(0).batches().get(0);
    assertThat(basicBatch.lines()).extracting(LogLine::seq).containsExactly(3L);
    assertThat(basicBatch.throughSeq()).isEqualTo(4);
  }

  @Test
  void appends_betweenTicks_scheduleOneTickForTheJob_andAnIdleJobNone() {
    broadcaster.subscribe(log, 0, LogFilter.ALL, new RecordingSubscriber());
    assertThat(deliveries.queuedCount()).isZero();

    append(3);

    assertThat(deliveries.queuedCount()).isEqualTo(1);
  }

  @Test
  void append_withNoDeliveryUnderWay_handsOneOverAtOnce_andItDeliversThatLineAlone() {
    RecordingSubscriber client = new RecordingSubscriber();
    broadcaster.subscribe(log, 0, LogFilter.ALL, client);

    append(1);

    // no delay, no timer: the delivery is with the executor as the append returns
    assertThat(deliveries.queuedCount()).isEqualTo(1);
    assertThat(deliveries.runNext()).isTrue();
    assertThat(client.batches()).hasSize(1);
    assertThat(client.seqs()).containsExactly(1L);
    assertThat(deliveries.queuedCount()).isZero();
  }

  @Test
  void appends_whileADeliveryWaitsForItsThread_goTogetherInThatDelivery() {
    RecordingSubscriber client = new RecordingSubscriber();
    broadcaster.subscribe(log, 0, LogFilter.ALL, client);
    append(1);

    append(2);
    log.append(LogLevel.NOTICE, "four");

    assertThat(deliveries.queuedCount()).isEqualTo(1);
    deliveries.runNext();
    assertThat(client.batches()).hasSize(1);
    assertThat(client.seqs()).containsExactly(1L, 2L, 3L, 4L);
    assertThat(broadcaster.bufferedLineCount()).isZero();
  }

  @Test
  void appends_pastAChunkWhileADeliveryWaits_areNotKept_andTheLiveSubscribersReadThemFromTheLog() {
    RecordingSubscriber all = new RecordingSubscriber();
    RecordingSubscriber basic = new RecordingSubscriber();
    LogSubscription allSubscription = broadcaster.subscribe(log, 0, LogFilter.ALL, all);
    LogSubscription basicSubscription = broadcaster.subscribe(log, 0, LogFilter.BASIC, basic);
    for (int i = 1; i <= 10; i++) {
      log.append(i % 3 == 0 ? LogLevel.WARNING : LogLevel.DETAIL, "line " + i);
      assertThat(broadcaster.bufferedLineCount()).isLessThanOrEqualTo(4);
    }

    deliveries.runAll();

    assertThat(all.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(basic.seqs()).containsExactly(3L, 6L, 9L);
    assertThat(all.batches()).extracting(LogBatch::lines).allSatisfy(lines -> assertThat(lines).hasSizeLessThanOrEqualTo(4));
    assertThat(allSubscription.isLive()).isTrue();
    assertThat(basicSubscription.isLive()).isTrue();
    append(1);
    log.append(LogLevel.WARNING, "twelve");
    deliveries.runAll();
    assertThat(all.seqs()).endsWith(10L, 11L, 12L);
    assertThat(all.batches().getLast().lines()).hasSize(2);
    assertThat(basic.seqs()).endsWith(9L, 12L);
    assertThat(all.violations()).isEmpty();
    assertThat(basic.violations()).isEmpty();
  }

  @Test
  void appends_pastAChunksText_whileADeliveryWaits_areNotKept_andReachTheSubscriberFromTheLog() {
    LogBroadcaster roomy = new LogBroadcaster(deliveries, Runnable::run, 1_000);
    RecordingSubscriber client = new RecordingSubscriber();
    roomy.subscribe(log, 0, LogFilter.ALL, client);
    String text = "x".repeat(60 * 1024);
    long lines = JobLog.READ_CHUNK_BYTES / text.length() + 2;
    int mostBuffered = 0;
    for (int i = 0; i < lines; i++) {
      log.append(LogLevel.DETAIL, text);
      mostBuffered = Math.max(mostBuffered, roomy.bufferedLineCount());
    }

    deliveries.runAll();

    assertThat((long) mostBuffered * text.length()).isLessThanOrEqualTo(JobLog.READ_CHUNK_BYTES);
    assertThat(client.seqs()).hasSize((int) lines).doesNotHaveDuplicates().isSorted();
    assertThat(client.lines()).extracting(LogLine::text).containsOnly(text);
    assertThat(client.violations()).isEmpty();
  }

  @Test
  void append_afterADeliveryTookItsLines_schedulesTheNextOne_withOnlyTheNewLines() {
    RecordingSubscriber client = new RecordingSubscriber();
    broadcaster.subscribe(log, 0, LogFilter.ALL, client);
    append(2);
    deliveries.runNext();

    append(3);

    assertThat(deliveries.queuedCount()).isEqualTo(1);
    deliveries.runNext();
    assertThat(client.batches()).extracting(batch -> batch.lines().size()).containsExactly(2, 3);
    assertThat(client.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(client.violations()).isEmpty();
  }

  @Test
  void append_duringADelivery_isLeftForTheNextOne_neverLostNorSentTwice() {
    RecordingSubscriber client = new RecordingSubscriber();
    broadcaster.subscribe(log, 0, LogFilter.ALL, client);
    // the delivery's own offer appends: the line arrives while that delivery is running
    client.onAccepted(batch -> {
      if (log.lastSeq() < 3) log.append(LogLevel.DETAIL, "written during delivery");
    });
    append(1);

    deliveries.runNext();

    assertThat(client.seqs()).containsExactly(1L);
    assertThat(deliveries.queuedCount()).isEqualTo(1);
    deliveries.runAll();
    assertThat(client.seqs()).containsExactly(1L, 2L, 3L);
    assertThat(client.batches()).hasSize(3);
    assertThat(client.violations()).isEmpty();
  }

  @Test
  void appends_withoutLiveSubscribers_areNeitherKeptNorTicked() {
    RecordingSubscriber client = new RecordingSubscriber();
    LogSubscription subscription = broadcaster.subscribe(log, 0, LogFilter.ALL, client);
    client.refuse();
    append(1);
    deliveries.runAll();
    assertThat(subscription.isLive()).isFalse();
    int queued = deliveries.queuedCount();

    append(50);

    assertThat(broadcaster.bufferedLineCount()).isZero();
    assertThat(deliveries.queuedCount()).isEqualTo(queued);
  }

  @Test
  void refusal_inATick_dropsToCatchUpFromTheCursor_thenRejoinsLiveAtTheHead() {
    RecordingSubscriber client = new RecordingSubscriber();
    LogSubscription subscription = broadcaster.subscribe(log, 0, LogFilter.ALL, client);
    append(3);
    deliveries.runAll();
    client.refuse();
    append(3);
    deliveries.runAll();
    assertThat(subscription.isLive()).isFalse();
    assertThat(subscription.lastSeq()).isEqualTo(3);
    append(7);

    client.accept();

    assertThat(subscription.isLive()).isTrue();
    assertThat(client.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L);
    assertThat(client.batches()).extracting(LogBatch::lines).allSatisfy(lines -> assertThat(lines).hasSizeLessThanOrEqualTo(4));
    append(1);
    deliveries.runAll();
    assertThat(client.seqs()).hasSize(14);
    assertThat(client.violations()).isEmpty();
  }

  @Test
  void lateJoiner_readingLinesStillPendingForTheTick_getsNoneTwice() {
    RecordingSubscriber early = new RecordingSubscriber();
    broadcaster.subscribe(log, 0, LogFilter.ALL, early);
    append(3);
    deliveries.runAll();
    append(2);
    RecordingSubscriber late = new RecordingSubscriber();
    LogSubscription lateSubscription = broadcaster.subscribe(log, 0, LogFilter.ALL, late);
    assertThat(late.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(lateSubscription.isLive()).isTrue();

    deliveries.runAll();

    assertThat(early.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(late.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L);
    append(1);
    deliveries.runAll();
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

    deliveries.runAll();

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

    deliveries.runAll();

    assertThat(early.seqs()).containsExactly(1L, 2L, 3L);
    assertThat(resumed.seqs()).containsExactly(3L);
    assertThat(resumed.batches().get(0).afterSeq()).isEqualTo(2);
    assertThat(atHead.seqs()).isEmpty();
    assertThat(atHeadSubscription.lastSeq()).isEqualTo(3);
    append(1);
    deliveries.runAll();
    assertThat(resumed.batches().get(1)).isSameAs(early.batches().get(1));
    assertThat(atHead.batches().get(0)).isSameAs(early.batches().get(1));
  }

  @Test
  void basicSubscriber_tickOfDetailLinesOnly_movesItsCursorWithoutABatch() {
    RecordingSubscriber client = new RecordingSubscriber();
    LogSubscription subscription = broadcaster.subscribe(log, 0, LogFilter.BASIC, client);
    append(5);

    deliveries.runAll();

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

    deliveries.runAll();

    assertThat(client.seqs()).containsExactly(1L, 2L);
    assertThat(client.caughtUpCalls()).isEqualTo(1);
    assertThat(subscription.isEnded()).isTrue();
    assertThat(broadcaster.activeJobCount()).isZero();
  }
}
