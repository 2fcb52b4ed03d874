package dev.buildcast.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.job.JobRecord;
import dev.buildcast.job.JobState;
import dev.buildcast.job.SecureTokens;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.cluster.AcceptedLines;
import dev.buildcast.log.cluster.AcceptedLinesContract;
import dev.buildcast.log.cluster.AppendResult;
import dev.buildcast.EngineUnavailableException;
import dev.buildcast.log.cluster.LogMark;
import dev.buildcast.log.cluster.LogOwner;
import dev.buildcast.log.cluster.StreamEntry;
import dev.buildcast.log.cluster.StreamPosition;
import io.lettuce.core.StreamMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The accepted-lines contract on a real Redis, what is stored where, and several nodes on one Redis. */
class RedisAcceptedLinesTest extends AcceptedLinesContract {

  private static final Instant AT = Instant.parse("2026-12-03T08:00:00Z");
  @RegisterExtension static final RedisTestEngines engines = new RedisTestEngines();
  private RedisEngine admin;

  @Override
  protected AcceptedLines newEngine() {
    engines.flushAll();
    admin = engines.open();
    return node();
  }

  /** Another node's adapter on the same Redis. */
  private RedisAcceptedLines node() {
    return engines.closedAfterTheTest(new RedisAcceptedLines(engines.open()));
  }

  @Override
  protected void assignOwner(String jobId, LogOwner owner) {
    admin.call("test", r -> r.hset(RedisJobStore.jobKey(jobId), RedisAcceptedLines.LOG_OWNER, owner.token()));
  }

  private Map<String, String> jobHash(String jobId) {
    return admin.call("test", r -> r.hgetall(RedisJobStore.jobKey(jobId)));
  }

  @Test
  void append_storesOneEntryAtTheLastSeq_withCompactFieldsAndCountersInTheJobsHash() {
    engine.append("job-1", N1, 0, List.of(new LogLine(1, 1000, LogLevel.DETAIL, "a"), new LogLine(2, 1003, LogLevel.ERROR, "bc")));
    engine.mark("job-1", N1, 2, 1, LogMark.status("running"));
    List<StreamMessage<String, String>> stored = admin.call("test", r -> r.xrange(RedisAcceptedLines.logKey("job-1"),
        io.lettuce.core.Range.unbounded()));
    assertThat(stored).extracting(StreamMessage::getId).containsExactly("2-0", "2-1");
    assertThat(stored.get(0).getBody()).containsEntry("f", "1").containsEntry("t", "a\nbc\n").containsEntry("m", "1000.0.1,3.3.2")
        .containsKey("c");
    assertThat(stored.get(1).getBody()).containsEntry("k", "status").containsEntry("p", "running");
    assertThat(jobHash("job-1"))
        .containsEntry("logOwner", "n1:1").containsEntry("lastSeq", "2").containsEntry("lastMark", "1").doesNotContainKey("sealed");
  }

  @Test
  void append_answered_isTimedOnceEach_whateverTheAnswer() {
    List<Long> times = new ArrayList<>();
    ((RedisAcceptedLines) engine).timeAppendsWith(times::add);
    engine.append("job-1", N1, 0, List.of(new LogLine(1, 1000, LogLevel.DETAIL, "a")));
    engine.append("job-1", N1, 0, List.of(new LogLine(1, 1000, LogLevel.DETAIL, "a"))); // DUPLICATE: still a round trip
    engine.mark("job-1", N1, 1, 1, LogMark.seal()); // a mark is not an append of lines
    assertThat(times).hasSize(2).allSatisfy(nanos -> assertThat(nanos).isPositive());
  }

  @Test
  void append_textWithLineBreaksAndEmptyLines_readsBackExactly() {
    List<LogLine> sent = List.of(new LogLine(1, -5, LogLevel.SYSTEM, "two\nlines\r\n"), new LogLine(2, 7, LogLevel.DETAIL, ""),
        new LogLine(3, 7, LogLevel.GROUP, "\n"));
    assertThat(engine.append("job-1", N1, 0, sent)).isEqualTo(AppendResult.accepted(3));
    assertThat(((StreamEntry.Lines) engine.read("job-1", StreamPosition.START, 1).get(0)).lines()).containsExactlyElementsOf(sent);
  }

  @Test
  void read_aDamagedEntry_failsNamingIt() {
    engine.append("job-1", N1, 0, lines(1, 1));
    admin.call("test", r -> r.xadd(RedisAcceptedLines.logKey("job-1"), new io.lettuce.core.XAddArgs().id("2-0"), Map.of("f", "2", "t", "x\n", "m", "0.0.1",
        "c", "00000000")));
    assertThatThrownBy(() -> engine.read("job-1", StreamPosition.afterLine(1), 10))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("bc:{job-1}:log 2-0").hasMessageContaining("CRC32C");
  }

  @Test
  void jobStoreAndLog_shareTheJobsHash_withoutTouchingEachOthersFields() {
    RedisJobStore store = new RedisJobStore(engines.open());
    String id = SecureTokens.newId();
    JobRecord job = new JobRecord(id, "hash", "docs", Map.of(), null, JobState.RUNNING, 0, null, null, AT, AT, null,
        List.of(), null);
    store.save(job);
    assignOwner(id, N1);
    engine.append(id, N1, 0, lines(1, 2));
    store.update(0, job);
    assertThat(engine.append(id, N1, 2, lines(3, 3))).isEqualTo(AppendResult.accepted(3));
    engine.delete(id);
    assertThat(store.find(id)).isPresent();
    assertThat(jobHash(id)).containsKeys("rec", "version", "state")
        .doesNotContainKeys("logOwner", "lastSeq", "lastMark", "sealed");
  }

  /** Deletes stream entries as a Redis restarted from an AOF that lost its last second would not have them. */
  private void loseEntries(String jobId, String... ids) {
    admin.call("test", r -> r.xdel(RedisAcceptedLines.logKey(jobId), ids));
  }

  private List<String> entryIds(String jobId) {
    return admin.call("test", r -> r.xrange(RedisAcceptedLines.logKey(jobId), io.lettuce.core.Range.unbounded())).stream()
        .map(StreamMessage::getId).toList();
  }

  @Test
  void append_afterTheStreamLostItsTail_answersGapAtWhatItKept_thenTakesTheSameSeqsAndMarkAgain() {
    engine.append("job-1", N1, 0, lines(1, 2));
    engine.append("job-1", N1, 2, lines(3, 4));
    engine.mark("job-1", N1, 4, 1, LogMark.status("running"));
    engine.append("job-1", N1, 4, lines(5, 6));
    loseEntries("job-1", "4-1", "6-0");

    assertThat(engine.append("job-1", N1, 6, lines(7, 7))).isEqualTo(AppendResult.gap(4));
    assertThat(jobHash("job-1")).containsEntry("lastSeq", "4").containsEntry("lastMark", "0");
    assertThat(engine.mark("job-1", N1, 4, 1, LogMark.status("running"))).isEqualTo(AppendResult.accepted(4));
    assertThat(engine.append("job-1", N1, 4, lines(5, 6))).isEqualTo(AppendResult.accepted(6));
    assertThat(engine.append("job-1", N1, 6, lines(7, 7))).isEqualTo(AppendResult.accepted(7));
    assertThat(entryIds("job-1")).containsExactly("2-0", "4-0", "4-1", "6-0", "7-0");
  }

  @Test
  void mark_afterTheStreamLostEveryEntry_answersGapAtZero_andTheLinesGoInAgainFromOne() {
    engine.append("job-1", N1, 0, lines(1, 2));
    engine.mark("job-1", N1, 2, 1, LogMark.status("running"));
    loseEntries("job-1", "2-0", "2-1");

    assertThat(engine.mark("job-1", N1, 2, 2, LogMark.seal())).isEqualTo(AppendResult.gap(0));
    assertThat(engine.append("job-1", N1, 0, lines(1, 2))).isEqualTo(AppendResult.accepted(2));
    assertThat(engine.mark("job-1", N1, 2, 1, LogMark.status("running"))).isEqualTo(AppendResult.accepted(2));
    assertThat(entryIds("job-1")).containsExactly("2-0", "2-1");
  }

  @Test
  void takeOver_afterTheStreamLostItsTail_answersWhatTheStreamKept() {
    engine.append("job-1", N1, 0, lines(1, 3));
    engine.mark("job-1", N1, 3, 1, LogMark.status("running"));
    engine.append("job-1", N1, 3, lines(4, 5));
    loseEntries("job-1", "5-0");

    AcceptedLines.Takeover takeover = node().takeOver("job-1", "n2");
    assertThat(takeover.lastSeq()).isEqualTo(3);
    assertThat(takeover.lastMark()).isEqualTo(1);
    assertThat(engine.append("job-1", takeover.owner(), 3, lines(4, 4))).isEqualTo(AppendResult.accepted(4));
  }

  @Test
  void awaitEntries_onAnotherNode_returnsWhatTheOwnerAppends() throws Exception {
    RedisAcceptedLines watcher = node();
    CompletableFuture<Map<String, List<StreamEntry>>> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return watcher.awaitEntries(Map.of("job-1", StreamPosition.START), Duration.ofSeconds(60));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    });
    engine.append("job-1", N1, 0, lines(1, 2));
    Map<String, List<StreamEntry>> found = waiting.get(60, TimeUnit.SECONDS);
    assertThat(((StreamEntry.Lines) found.get("job-1").get(0)).lines()).containsExactlyElementsOf(lines(1, 2));
  }

  @Test
  void awaitEntries_farBehind_getsAtMostSixteenEntriesARead() throws Exception {
    for (int seq = 1; seq <= 40; seq++) engine.append("job-1", N1, seq - 1, lines(seq, seq));
    RedisAcceptedLines watcher = node();
    List<StreamEntry> first = watcher.awaitEntries(Map.of("job-1", StreamPosition.START), Duration.ofSeconds(60)).get("job-1");
    assertThat(first).hasSize(16);
    List<StreamEntry> next = watcher.awaitEntries(Map.of("job-1", first.get(15).position()), Duration.ofSeconds(60)).get("job-1");
    assertThat(next).extracting(StreamEntry::position).first().isEqualTo(StreamPosition.afterLine(17));
  }

  @Test
  void awaitEntries_longerThanTheCommandTimeout_returnsEmptyInsteadOfFailing() throws Exception {
    // why 4 s: the read blocks in slices of half the command timeout, so Redis has 2 s to answer each
    RedisAcceptedLines watcher = engines.closedAfterTheTest(new RedisAcceptedLines(engines.open(Duration.ofSeconds(4))));
    assertThat(watcher.awaitEntries(Map.of("job-1", StreamPosition.START), Duration.ofSeconds(5))).isEmpty();
  }

  @Test
  void awaitEntries_interrupted_throwsInterruptedAndTheNextWaitWorks() throws Exception {
    RedisAcceptedLines watcher = node();
    // why a first wait, ended by a wake-up: it opens the blocking connection, so the interrupt
    // below meets the read itself and not the connecting
    watcher.wake();
    assertThat(watcher.awaitEntries(Map.of("job-1", StreamPosition.START), Duration.ofSeconds(60))).isEmpty();
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread waiter = new Thread(() -> {
      try {
        watcher.awaitEntries(Map.of("job-1", StreamPosition.START), Duration.ofSeconds(60));
        outcome.complete(null);
      } catch (Throwable e) {
        outcome.complete(e);
      }
    });
    waiter.start();
    // why wait for the state: the interrupt is to reach a thread blocked in the read, not one starting it
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> waiter.getState() == Thread.State.WAITING
        || waiter.getState() == Thread.State.TIMED_WAITING);
    waiter.interrupt();
    assertThat(outcome.get(60, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    engine.append("job-1", N1, 0, lines(1, 1));
    assertThat(watcher.awaitEntries(Map.of("job-1", StreamPosition.START), Duration.ofSeconds(60))).containsOnlyKeys("job-1");
  }

  @Test
  void everyCall_whileRedisIsKilled_failsAsLogEngineUnavailable_andWorksAgainAfterTheRestart() throws Exception {
    engine.append("job-1", N1, 0, lines(1, 1));
    engines.server().killHard();
    Map<String, ThrowingCallable> calls = new java.util.LinkedHashMap<>();
    calls.put("append", () -> engine.append("job-1", N1, 1, lines(2, 2)));
    calls.put("mark", () -> engine.mark("job-1", N1, 1, 1, LogMark.seal()));
    calls.put("read", () -> engine.read("job-1", StreamPosition.START, 10));
    calls.put("awaitEntries", () -> engine.awaitEntries(Map.of("job-1", StreamPosition.afterLine(1)), Duration.ofSeconds(60)));
    calls.put("delete", () -> engine.delete("job-1"));
    calls.forEach((name, call) -> assertThatThrownBy(call).as(name).isInstanceOf(EngineUnavailableException.class));
    engine.wake();
    engines.server().restart();
    assertThat(engine.awaitEntries(Map.of("job-1", StreamPosition.afterLine(1)), Duration.ofSeconds(60)))
        .as("the wake-up Redis missed still ends the next wait").isEmpty();
    Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreException(EngineUnavailableException.class)
        .until(() -> engine.append("job-1", N1, 1, lines(2, 2)).isStored());
    assertThat(engine.read("job-1", StreamPosition.START, 10)).hasSize(2);
  }
}
