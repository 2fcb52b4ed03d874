package dev.buildcast.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.buildcast.storage.file.FileLogStore;
import dev.buildcast.testing.ReadRecordingJobLog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogBroadcasterTest {

  private static final Duration LONG = Duration.ofSeconds(60);
  /** The key test subscribers encode batches under. */
  private static final String WIRE = "wire";

  @TempDir Path dir;
  private FileLogStore store;
  private ScheduledExecutorService ticker;
  private ExecutorService readers;
  private LogBroadcaster broadcaster;

  @BeforeEach
  void start() {
    store = new FileLogStore(id -> dir.resolve(id), LogStoreOptions.unforced(Clock.systemUTC()));
    ticker = Executors.newSingleThreadScheduledExecutor();
    readers = Executors.newVirtualThreadPerTaskExecutor();
    broadcaster = new LogBroadcaster(ticker, readers, 100);
  }

  @AfterEach
  void stop() {
    ticker.shutdownNow();
    readers.shutdownNow();
    store.close();
  }

  private static List<Long> seqs(long first, long last) {
    return LongStream.rangeClosed(first, last).boxed().toList();
  }

  private static void appendDetails(JobLog log, int count) {
    for (int i = 0; i < count; i++) log.append(LogLevel.DETAIL, "line " + (log.lastSeq() + 1));
  }

  /** A subscriber from {@code since} of a sealed log, once it has caught up to the end. */
  private RecordingSubscriber caughtUpToTheEnd(JobLog log, long since, LogFilter filter, RecordingSubscriber client) {
    broadcaster.subscribe(log, since, filter, client);
    await().atMost(LONG).until(() -> client.caughtUpCalls() == 1);
    return client;
  }

  private static List<LogLine> everything(JobLog log, LogFilter filter) {
    return log.read(0, filter, Integer.MAX_VALUE);
  }

  @Test
  void subscribe_atHead_getsAppendedLinesLiveInOrder() {
    JobLog log = store.open("job-1");
    RecordingSubscriber client = new RecordingSubscriber();
    LogSubscription subscription = broadcaster.subscribe(log, 0, LogFilter.ALL, client);
    assertThat(subscription.isLive()).isTrue();

    appendDetails(log, 1_000);
    log.seal();

    await().until(() -> client.caughtUpCalls() == 1);
    assertThat(client.lines()).containsExactlyElementsOf(everything(log, LogFilter.ALL));
    assertThat(client.violations()).isEmpty();
    assertThat(subscription.isEnded()).isTrue();
    assertThat(subscription.lastSeq()).isEqualTo(1_000);
  }

  @Test
  void subscribe_lateToARunningJob_getsHistoryThenJoinsLive() {
    JobLog log = store.open("job-1");
    appendDetails(log, 550);
    RecordingSubscriber client = new RecordingSubscriber();
    LogSubscription subscription = broadcaster.subscribe(log, 0, LogFilter.ALL, client);

    await().until(subscription::isLive);
    assertThat(client.seqs()).containsExactlyElementsOf(seqs(1, 550));
    appendDetails(log, 450);
    log.seal();

    await().until(() -> client.caughtUpCalls() == 1);
    assertThat(client.seqs()).containsExactlyElementsOf(seqs(1, 1_000));
    assertThat(client.violations()).isEmpty();
    assertThat(client.batches().get(0).lines()).hasSize(100);
  }

  @Test
  void subscribe_withSince_resumesExactlyAfterIt() {
    JobLog log = store.open("job-1");
    appendDetails(log, 100);
    RecordingSubscriber client = new RecordingSubscriber(37);
    LogSubscription subscription = broadcaster.subscribe(log, 37, LogFilter.ALL, client);

    await().until(subscription::isLive);
    log.append(LogLevel.NOTICE, "new");

    await().until(() -> client.seqs().size() == 64);
    assertThat(client.seqs()).containsExactlyElementsOf(seqs(38, 101));
    assertThat(client.batches().get(0).afterSeq()).isEqualTo(37);
    assertThat(client.violations()).isEmpty();
  }

  @Test
  void refusingSubscriber_while100000LinesAppended_endsWithExactlyTheLogAndIsBufferedNowhere() {
    JobLog log = store.open("job-1");
    RecordingSubscriber slow = new RecordingSubscriber();
    RecordingSubscriber slowBasic = new RecordingSubscriber();
    LogSubscription slowSubscription = broadcaster.subscribe(log, 0, LogFilter.ALL, slow);
    broadcaster.subscribe(log, 0, LogFilter.BASIC, slowBasic);
    log.append(LogLevel.NOTICE, "warm up");
    await().until(() -> slow.seqs().size() == 1 && slowBasic.seqs().size() == 1);
    slow.refuse();
    slowBasic.refuse();

    for (int i = 2; i <= 100_001; i++) {
      log.append(i % 10 == 0 ? LogLevel.NOTICE : LogLevel.DETAIL, "line " + i);
    }

    await().atMost(LONG).until(() -> broadcaster.bufferedLineCount() == 0);
    assertThat(slowSubscription.isLive()).isFalse();
    assertThat(slow.seqs()).containsExactly(1L);
    assertThat(slowBasic.seqs()).containsExactly(1L);

    slow.accept();
    slowBasic.accept();
    log.seal();

    await().atMost(LONG).until(() -> slow.caughtUpCalls() == 1 && slowBasic.caughtUpCalls() == 1);
    SequenceAssert.assertSameSequence("slow client", slow.seqs(), seqs(1, 100_001));
    SequenceAssert.assertSameSequence(
        "slow basic client", slowBasic.lines(), everything(log, LogFilter.BASIC));
    assertThat(slow.violations()).isEmpty();
    assertThat(slowBasic.violations()).isEmpty();
    assertThat(broadcaster.activeJobCount()).isZero();
  }

  @Test
  void fiftyLiveSubscribers_shareOneBatchObjectPerFilterPerTick_encodedOnce() {
    // why a chunk above the whole log: a delivery that falls a chunk behind sends the live
    // subscribers to catch-up, whose first batch is their own; this pins the live sharing alone
    broadcaster = new LogBroadcaster(ticker, readers, 10_000);
    JobLog log = store.open("job-1");
    AtomicInteger encodings = new AtomicInteger();
    List<RecordingSubscriber> all = new ArrayList<>();
    List<RecordingSubscriber> basic = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      RecordingSubscriber client =
          new RecordingSubscriber()
              .onAccepted(
                  batch ->
                      batch.encoded(
                          "wire",
                          b -> {
                            encodings.incrementAndGet();
                            return b.toString();
                          }));
      LogFilter filter = i % 2 == 0 ? LogFilter.ALL : LogFilter.BASIC;
      (filter == LogFilter.ALL ? all : basic).add(client);
      assertThat(broadcaster.subscribe(log, 0, filter, client).isLive()).isTrue();
    }

    for (int i = 1; i <= 3_000; i++) {
      log.append(i % 3 == 0 ? LogLevel.WARNING : LogLevel.DETAIL, "line " + i);
    }
    log.seal();

    await().atMost(LONG).until(() -> all.stream().allMatch(c -> c.caughtUpCalls() == 1)
        && basic.stream().allMatch(c -> c.caughtUpCalls() == 1));
    assertSameBatchObjects(all);
    assertSameBatchObjects(basic);
    assertThat(all.get(0).lines()).containsExactlyElementsOf(everything(log, LogFilter.ALL));
    assertThat(basic.get(0).lines()).containsExactlyElementsOf(everything(log, LogFilter.BASIC));
    int distinctBatches = all.get(0).batches().size() + basic.get(0).batches().size();
    assertThat(encodings.get()).isEqualTo(distinctBatches);
  }

  @Test
  void catchUpOfEveryLine_readsWholeChunks_sharedWithTheNextSubscriberWithTheirEncodings() {
    JobLog log = store.open("job-1");
    appendDetails(log, 1_000);
    log.seal();
    AtomicInteger encodings = new AtomicInteger();
    ReadRecordingJobLog secondsReads = new ReadRecordingJobLog(log);

    RecordingSubscriber first = caughtUpToTheEnd(log, 0, LogFilter.ALL, new RecordingSubscriber().encodingAs(WIRE, encodings));
    RecordingSubscriber second = caughtUpToTheEnd(secondsReads, 0, LogFilter.ALL, new RecordingSubscriber().encodingAs(WIRE, encodings));

    assertThat(first.batches()).hasSize(10).allSatisfy(batch -> assertThat(batch.afterSeq() % 100).isZero());
    assertSameEncodings(List.of(first, second));
    assertThat(encodings.get()).as("each chunk encoded once for both").isEqualTo(10);
    assertThat(secondsReads.linesRead()).as("the second read nothing from disk").isZero();
    assertThat(second.lines()).containsExactlyElementsOf(everything(log, LogFilter.ALL));
    assertThat(broadcaster.sharedCatchUpLineCount()).isEqualTo(1_000);
  }

  @Test
  void keptChunk_withoutTheNextSubscribersEncoding_isReadAgain_andKeepsTheEncodingItMakes() {
    JobLog log = store.open("job-1");
    appendDetails(log, 1_000);
    log.seal();
    AtomicInteger wire = new AtomicInteger();
    AtomicInteger other = new AtomicInteger();
    caughtUpToTheEnd(log, 0, LogFilter.ALL, new RecordingSubscriber().encodingAs(WIRE, wire));
    ReadRecordingJobLog secondsReads = new ReadRecordingJobLog(log);
    ReadRecordingJobLog thirdsReads = new ReadRecordingJobLog(log);

    RecordingSubscriber second = caughtUpToTheEnd(secondsReads, 0, LogFilter.ALL, new RecordingSubscriber().encodingAs("other", other));
    RecordingSubscriber third = caughtUpToTheEnd(thirdsReads, 0, LogFilter.ALL, new RecordingSubscriber().encodingAs("other", other));
    RecordingSubscriber linesReader = caughtUpToTheEnd(log, 0, LogFilter.ALL, new RecordingSubscriber());

    assertThat(secondsReads.linesRead()).as("a kept chunk holds no lines: read again").isEqualTo(1_000);
    assertThat(thirdsReads.linesRead()).as("the encoding made of them was kept").isZero();
    assertThat(other.get()).isEqualTo(10);
    assertThat(wire.get()).isEqualTo(10);
    for (RecordingSubscriber client : List.of(second, third, linesReader)) {
      assertThat(client.lines()).containsExactlyElementsOf(everything(log, LogFilter.ALL));
      assertThat(client.violations()).isEmpty();
    }
  }

  @Test
  void catchUpFromInsideAChunk_readsToItsEnd_thenSharesTheWholeChunksAfterIt() {
    JobLog log = store.open("job-1");
    appendDetails(log, 1_000);
    log.seal();
    AtomicInteger encodings = new AtomicInteger();
    RecordingSubscriber fromStart = caughtUpToTheEnd(log, 0, LogFilter.ALL, new RecordingSubscriber().encodingAs(WIRE, encodings));

    RecordingSubscriber resumed = caughtUpToTheEnd(log, 150, LogFilter.ALL, new RecordingSubscriber(150).encodingAs(WIRE, encodings));

    assertThat(resumed.seqs()).containsExactlyElementsOf(seqs(151, 1_000));
    assertThat(resumed.batches().get(0).throughSeq()).isEqualTo(200);
    List<LogBatch> shared = fromStart.batches().subList(2, fromStart.batches().size());
    List<LogBatch> after = resumed.batches().subList(1, resumed.batches().size());
    assertThat(after).hasSameSizeAs(shared);
    for (int i = 0; i < after.size(); i++) {
      assertThat(RecordingSubscriber.encodingOf(after.get(i), WIRE)).isSameAs(RecordingSubscriber.encodingOf(shared.get(i), WIRE));
    }
    assertThat(encodings.get()).as("10 chunks and the part of one").isEqualTo(11);
    assertThat(resumed.violations()).isEmpty();
  }

  @Test
  void catchUpFromTheSameCursorInsideAChunk_sharesThatReadToTheChunksEnd_encodedOnce() {
    JobLog log = store.open("job-1");
    appendDetails(log, 1_000);
    log.seal();
    AtomicInteger encodings = new AtomicInteger();
    RecordingSubscriber first = caughtUpToTheEnd(log, 150, LogFilter.ALL, new RecordingSubscriber(150).encodingAs(WIRE, encodings));

    RecordingSubscriber second = caughtUpToTheEnd(log, 150, LogFilter.ALL, new RecordingSubscriber(150).encodingAs(WIRE, encodings));

    assertThat(second.seqs()).containsExactlyElementsOf(seqs(151, 1_000));
    assertThat(second.batches().get(0).throughSeq()).isEqualTo(200);
    assertThat(RecordingSubscriber.encodingOf(second.batches().get(0), WIRE))
        .isSameAs(RecordingSubscriber.encodingOf(first.batches().get(0), WIRE));
    assertThat(encodings.get()).as("the part of one chunk and 8 whole ones, once").isEqualTo(9);
    assertThat(second.violations()).isEmpty();
  }

  @Test
  void catchUpOfLongLines_readsBatchesBoundedByBytes_gapFree_andSharesTheChunksAfterThem() {
    JobLog log = store.open("job-1");
    appendDetails(log, 100);
    // 120 lines of 60,000 chars: the chunk of lines 101-200 holds 6 MB, more than one read may take
    String wide = "w".repeat(60_000);
    for (int i = 0; i < 120; i++) log.append(LogLevel.DETAIL, wide);
    appendDetails(log, 180);
    log.seal();
    AtomicInteger encodings = new AtomicInteger();

    RecordingSubscriber first = caughtUpToTheEnd(log, 0, LogFilter.ALL, new RecordingSubscriber().encodingAs(WIRE, encodings));
    RecordingSubscriber second = caughtUpToTheEnd(log, 0, LogFilter.ALL, new RecordingSubscriber().encodingAs(WIRE, encodings));

    assertThat(second.lines()).containsExactlyElementsOf(everything(log, LogFilter.ALL));
    assertThat(second.violations()).isEmpty();
    long bound = JobLog.READ_CHUNK_BYTES + 60_001;
    assertThat(second.batches()).allSatisfy(batch -> assertThat(RecordingSubscriber.encodingOf(batch, WIRE).stream()
        .mapToLong(line -> line.text().length() + 1L).sum()).isLessThanOrEqualTo(bound));
    assertThat(second.batches()).as("the chunk of wide lines came in parts").hasSizeGreaterThan(4);
    // the whole chunks before and after the wide ones are shared; the parts of a cut chunk are not kept
    assertThat(RecordingSubscriber.encodingOf(second.batches().get(0), WIRE))
        .isSameAs(RecordingSubscriber.encodingOf(first.batches().get(0), WIRE));
    assertThat(RecordingSubscriber.encodingOf(second.batches().getLast(), WIRE))
        .isSameAs(RecordingSubscriber.encodingOf(first.batches().getLast(), WIRE));
    assertThat(RecordingSubscriber.encodingOf(second.batches().get(1), WIRE))
        .isNotSameAs(RecordingSubscriber.encodingOf(first.batches().get(1), WIRE));
  }

  @Test
  void sharedCatchUpBatches_stayWithinTheirBound() {
    ticker.shutdownNow();
    readers.shutdownNow();
    ticker = Executors.newSingleThreadScheduledExecutor();
    readers = Executors.newVirtualThreadPerTaskExecutor();
    broadcaster = new LogBroadcaster(ticker, readers, 100, 300);
    JobLog log = store.open("job-1");
    for (int i = 1; i <= 1_000; i++) log.append(i % 2 == 0 ? LogLevel.NOTICE : LogLevel.DETAIL, "line " + i);
    log.seal();

    List<RecordingSubscriber> clients = new ArrayList<>();
    AtomicInteger encodings = new AtomicInteger();
    for (LogFilter filter : List.of(LogFilter.ALL, LogFilter.ALL, LogFilter.BASIC, LogFilter.BASIC)) {
      RecordingSubscriber client = new RecordingSubscriber().encodingAs(WIRE, encodings);
      clients.add(client);
      broadcaster.subscribe(log, 0, filter, client);
      await().atMost(LONG).until(() -> client.caughtUpCalls() == 1);
      assertThat(client.lines()).containsExactlyElementsOf(everything(log, filter));
      assertThat(client.violations()).isEmpty();
      assertThat(broadcaster.sharedCatchUpLineCount()).isLessThanOrEqualTo(300);
    }

    // three chunks are kept, the first reader's last three: the second, reading from the start,
    // found none of its chunks and read each again; so did the second basic reader
    for (int pair = 0; pair < 4; pair += 2) {
      List<LogBatch> first = clients.get(pair).batches();
      List<LogBatch> second = clients.get(pair + 1).batches();
      assertThat(second).hasSameSizeAs(first);
      for (int i = 0; i < first.size(); i++) {
        assertThat(RecordingSubscriber.encodingOf(second.get(i), WIRE)).isNotSameAs(RecordingSubscriber.encodingOf(first.get(i), WIRE));
      }
    }
  }

  @Test
  void basicCatchUp_readsWholeChunksOfTheDetailedLog_sharedLikeEveryLine() {
    JobLog log = store.open("job-1");
    for (int i = 1; i <= 1_000; i++) log.append(i % 3 == 0 ? LogLevel.WARNING : LogLevel.DETAIL, "line " + i);
    log.seal();

    AtomicInteger encodings = new AtomicInteger();
    RecordingSubscriber first = caughtUpToTheEnd(log, 0, LogFilter.BASIC, new RecordingSubscriber().encodingAs(WIRE, encodings));
    RecordingSubscriber second = caughtUpToTheEnd(log, 0, LogFilter.BASIC, new RecordingSubscriber().encodingAs(WIRE, encodings));

    assertThat(first.batches()).hasSize(10)
        .allSatisfy(batch -> assertThat(batch.throughSeq() - batch.afterSeq()).isEqualTo(100));
    assertSameEncodings(List.of(first, second));
    assertThat(encodings.get()).isEqualTo(10);
    assertThat(second.lines()).containsExactlyElementsOf(everything(log, LogFilter.BASIC));
  }

  @Test
  void basicCatchUp_ofAMostlyDetailLog_readsOnlyItsBasicLines() {
    JobLog stored = store.open("job-1");
    for (int i = 1; i <= 10_000; i++) stored.append(i % 1_000 == 0 ? LogLevel.NOTICE : LogLevel.DETAIL, "line " + i);
    stored.seal();
    ReadRecordingJobLog counted = new ReadRecordingJobLog(stored);

    RecordingSubscriber client = caughtUpToTheEnd(counted, 0, LogFilter.BASIC, new RecordingSubscriber());

    assertThat(client.seqs()).containsExactlyElementsOf(LongStream.rangeClosed(1, 10).map(k -> k * 1_000).boxed().toList());
    assertThat(counted.linesRead()).as("no basic line read past its chunk and dropped").isEqualTo(10);
    assertThat(client.violations()).isEmpty();
  }

  /** Every client got the same encoding of each batch as the first, in the same batches. */
  private static void assertSameEncodings(List<RecordingSubscriber> clients) {
    List<LogBatch> first = clients.get(0).batches();
    for (RecordingSubscriber client : clients) {
      List<LogBatch> batches = client.batches();
      assertThat(batches).hasSameSizeAs(first);
      for (int i = 0; i < batches.size(); i++) {
        assertThat(batches.get(i).afterSeq()).isEqualTo(first.get(i).afterSeq());
        assertThat(RecordingSubscriber.encodingOf(batches.get(i), WIRE)).isSameAs(RecordingSubscriber.encodingOf(first.get(i), WIRE));
      }
      assertThat(client.violations()).isEmpty();
    }
  }

  private static void assertSameBatchObjects(List<RecordingSubscriber> clients) {
    List<LogBatch> first = clients.get(0).batches();
    for (RecordingSubscriber client : clients) {
      List<LogBatch> batches = client.batches();
      assertThat(batches).hasSameSizeAs(first);
      for (int i = 0; i < batches.size(); i++) assertThat(batches.get(i)).isSameAs(first.get(i));
      assertThat(client.violations()).isEmpty();
    }
  }

  @Test
  void basicSubscriber_getsOnlyBasicLines_andItsCursorIsADetailedSeq() {
    JobLog log = store.open("job-1");
    log.append(LogLevel.DETAIL, "d");
    log.append(LogLevel.GROUP, "step");
    appendDetails(log, 300);
    RecordingSubscriber late = new RecordingSubscriber();
    LogSubscription lateSubscription = broadcaster.subscribe(log, 0, LogFilter.BASIC, late);
    RecordingSubscriber live = new RecordingSubscriber(log.lastSeq());
    LogSubscription liveSubscription =
        broadcaster.subscribe(log, log.lastSeq(), LogFilter.BASIC, live);
    await().until(lateSubscription::isLive);

    log.append(LogLevel.ENDGROUP, "");
    appendDetails(log, 10);
    await().until(() -> liveSubscription.lastSeq() == log.lastSeq());

    assertThat(late.seqs()).containsExactly(2L, 303L);
    assertThat(live.seqs()).containsExactly(303L);
    assertThat(lateSubscription.lastSeq()).isEqualTo(313);
    assertThat(late.batches()).allSatisfy(batch -> assertThat(batch.filter()).isEqualTo(LogFilter.BASIC));
    assertThat(late.violations()).isEmpty();
    assertThat(live.violations()).isEmpty();
  }

  @Test
  void caughtUpToEnd_isCalledOnce_forLiveLateAndAlreadySealedSubscribers() {
    JobLog log = store.open("job-1");
    RecordingSubscriber live = new RecordingSubscriber();
    broadcaster.subscribe(log, 0, LogFilter.ALL, live);
    appendDetails(log, 250);
    RecordingSubscriber late = new RecordingSubscriber();
    broadcaster.subscribe(log, 0, LogFilter.BASIC, late);
    log.seal();
    RecordingSubscriber afterSeal = new RecordingSubscriber();
    broadcaster.subscribe(log, 0, LogFilter.ALL, afterSeal);
    RecordingSubscriber atEnd = new RecordingSubscriber(250);
    LogSubscription atEndSubscription = broadcaster.subscribe(log, 250, LogFilter.ALL, atEnd);

    List<RecordingSubscriber> clients = List.of(live, late, afterSeal, atEnd);
    await().until(() -> clients.stream().allMatch(c -> c.caughtUpCalls() == 1));
    await()
        .during(Duration.ofMillis(100))
        .until(() -> clients.stream().allMatch(c -> c.caughtUpCalls() == 1));
    assertThat(live.seqs()).containsExactlyElementsOf(seqs(1, 250));
    assertThat(afterSeal.seqs()).containsExactlyElementsOf(seqs(1, 250));
    assertThat(late.seqs()).isEmpty();
    assertThat(atEnd.seqs()).isEmpty();
    assertThat(atEndSubscription.isEnded()).isTrue();
    assertThat(broadcaster.activeJobCount()).isZero();
  }

  @Test
  void subscribe_afterSeqBeyondTheHead_startsAtTheHead() {
    JobLog log = store.open("job-1");
    appendDetails(log, 5);
    RecordingSubscriber client = new RecordingSubscriber(5);
    LogSubscription subscription = broadcaster.subscribe(log, 99, LogFilter.ALL, client);
    assertThat(subscription.lastSeq()).isEqualTo(5);
    log.append(LogLevel.DETAIL, "six");
    await().until(() -> client.seqs().equals(List.of(6L)));
    assertThat(client.violations()).isEmpty();
  }

  @Test
  void cancel_stopsDelivery_andDropsTheJobState() {
    JobLog log = store.open("job-1");
    RecordingSubscriber client = new RecordingSubscriber();
    LogSubscription subscription = broadcaster.subscribe(log, 0, LogFilter.ALL, client);
    appendDetails(log, 10);
    await().until(() -> client.seqs().size() == 10);

    subscription.cancel();
    subscription.cancel();
    appendDetails(log, 10);
    log.seal();

    assertThat(subscription.isEnded()).isTrue();
    assertThat(broadcaster.activeJobCount()).isZero();
    assertThat(broadcaster.bufferedLineCount()).isZero();
    await().during(Duration.ofMillis(50)).until(() -> client.seqs().size() == 10);
    assertThat(client.caughtUpCalls()).isZero();
  }

  @Test
  void refusedSubscriber_rejoinsLive_onceItHasCaughtUp() {
    JobLog log = store.open("job-1");
    RecordingSubscriber client = new RecordingSubscriber();
    LogSubscription subscription = broadcaster.subscribe(log, 0, LogFilter.ALL, client);
    client.refuse();
    appendDetails(log, 1_000);
    await().until(() -> !subscription.isLive());

    client.accept();
    await().until(subscription::isLive);
    appendDetails(log, 1_000);
    log.seal();

    await().until(() -> client.caughtUpCalls() == 1);
    assertThat(client.seqs()).containsExactlyElementsOf(seqs(1, 2_000));
    assertThat(client.violations()).isEmpty();
    assertThat(client.refusals()).isPositive();
  }

  @Test
  void catchUpToLiveSwitch_repeatedWhileAWriterRuns_isGapFreeAndDuplicateFree() {
    // why: the test steps the writer itself, so every round really has lines written while the
    // watcher is refused, while it is behind, and while it catches up and switches back to live;
    // a writer thread left to run on its own may finish before the first refusal on a fast machine
    JobLog log = store.open("job-1");
    RecordingSubscriber client = new RecordingSubscriber();
    LogSubscription subscription = broadcaster.subscribe(log, 0, LogFilter.ALL, client);
    int rounds = 20;
    int linesPerStep = 1_000;

    for (int round = 0; round < rounds; round++) {
      client.refuse();
      appendDetails(log, linesPerStep); // offered while refused: the watcher drops out of live
      await().atMost(LONG).until(() -> !subscription.isLive());
      appendDetails(log, linesPerStep); // written while it is out
      client.accept();
      appendDetails(log, linesPerStep); // written while it catches up and switches to live
      await().atMost(LONG).until(subscription::isLive);
    }
    log.seal();

    await().atMost(LONG).until(() -> client.caughtUpCalls() == 1);
    SequenceAssert.assertSameSequence("client", client.seqs(), seqs(1, (long) rounds * 3 * linesPerStep));
    assertThat(client.violations()).isEmpty();
    assertThat(client.refusals()).isGreaterThanOrEqualTo(rounds);
  }

  @Test
  void subscriberThatThrows_isEndedAsFailed_andOthersCarryOn() {
    JobLog log = store.open("job-1");
    AtomicReference<Exception> failure = new AtomicReference<>();
    LogSubscriber broken =
        new LogSubscriber() {
          @Override
          public boolean offer(LogBatch batch) {
            throw new IllegalStateException("socket gone");
          }

          @Override
          public void whenWritable(Runnable callback) {}

          @Override
          public void caughtUpToEnd() {}

          @Override
          public void failed(Exception cause) {
            failure.set(cause);
          }
        };
    LogSubscription brokenSubscription = broadcaster.subscribe(log, 0, LogFilter.ALL, broken);
    RecordingSubscriber healthy = new RecordingSubscriber();
    broadcaster.subscribe(log, 0, LogFilter.ALL, healthy);

    appendDetails(log, 100);
    log.seal();

    await().until(() -> healthy.caughtUpCalls() == 1);
    assertThat(failure.get()).hasMessage("socket gone");
    assertThat(brokenSubscription.isEnded()).isTrue();
    assertThat(healthy.seqs()).containsExactlyElementsOf(seqs(1, 100));
  }

  @Test
  void shortJobs_5000OfThem_leaveNoStateBehind() {
    List<RecordingSubscriber> clients = new ArrayList<>();
    for (int job = 0; job < 5_000; job++) {
      try (JobLog log = store.open("job-" + job)) {
        RecordingSubscriber watcher = new RecordingSubscriber();
        broadcaster.subscribe(log, 0, LogFilter.ALL, watcher);
        log.append(LogLevel.SYSTEM, "started");
        log.append(LogLevel.DETAIL, "working");
        RecordingSubscriber lateWatcher = new RecordingSubscriber();
        broadcaster.subscribe(log, 0, LogFilter.BASIC, lateWatcher);
        log.append(LogLevel.SYSTEM, "finished");
        log.seal();
        clients.add(watcher);
        clients.add(lateWatcher);
      }
    }

    await().atMost(LONG).until(() -> broadcaster.activeJobCount() == 0);
    assertThat(clients).allSatisfy(client -> assertThat(client.caughtUpCalls()).isEqualTo(1));
    for (int i = 0; i < clients.size(); i += 2) {
      assertThat(clients.get(i).seqs()).containsExactly(1L, 2L, 3L);
      assertThat(clients.get(i + 1).seqs()).containsExactly(1L, 3L);
    }
    assertThat(broadcaster.bufferedLineCount()).isZero();
    assertThat(store.openWriterCount()).isZero();
  }
}
