package dev.buildcast.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.EngineUnavailableException;
import dev.buildcast.job.JobRecord;
import dev.buildcast.job.JobState;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.cluster.AppendResult;
import dev.buildcast.log.cluster.LogMark;
import dev.buildcast.log.cluster.LogOwner;
import dev.buildcast.testing.RedisServerProcess;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code cluster.redis.minReplicasAck} on a real primary and replica ({@code redis-server
 * --replicaof}): an append counts only once the replica has it, and one the replica did not
 * acknowledge in time fails as unavailable (not shown), lands once when retried, and counts then.
 *
 * <p>why the generous acknowledgement timeout where the replica is expected to answer: on a busy
 * machine a healthy replica may take longer than the production default of 100 ms; the short one
 * is used only where the replica is hung ({@code SIGSTOP}) and can never answer.
 */
class RedisReplicaAckTest {

  private static final Duration PATIENT = Duration.ofSeconds(30);
  private static final ReplicaAcks ONE_PATIENT = new ReplicaAcks(1, Duration.ofSeconds(20));
  private static final ReplicaAcks ONE_SOON = new ReplicaAcks(1, Duration.ofMillis(300));
  private static final LogOwner N1 = new LogOwner("n1", 0);
  private static final Instant AT = Instant.parse("2026-12-03T08:00:00Z");

  private static RedisServerProcess primary;
  private static RedisServerProcess replica;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeAll
  static void startPrimaryAndReplica() throws Exception {
    primary = RedisServerProcess.start();
    replica = RedisServerProcess.startReplicaOf(primary);
  }

  @AfterAll
  static void stopThem() {
    if (replica != null) replica.close();
    if (primary != null) primary.close();
  }

  @BeforeEach
  void emptyAndInSync() throws Exception {
    primary.flushAll();
    replica.awaitInSync();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closing.reversed()) c.close();
  }

  private RedisEngine engine(String url, ReplicaAcks acks) {
    RedisEngine engine = RedisEngine.connect(url, Optional.empty(), PATIENT, acks);
    closing.add(engine);
    return engine;
  }

  private static List<LogLine> lines(long from, long to) {
    return LongStream.rangeClosed(from, to).mapToObj(seq -> new LogLine(seq, 1000 + seq, LogLevel.DETAIL, "line " + seq)).toList();
  }

  private static List<String> entryIds(RedisEngine on, String jobId) {
    List<StreamMessage<String, String>> entries = on.call("test", r -> r.xrange(RedisAcceptedLines.logKey(jobId), Range.unbounded()));
    return entries.stream().map(StreamMessage::getId).toList();
  }

  private void ownedBy(RedisEngine engine, String jobId, LogOwner owner) {
    engine.call("test", r -> r.hset(RedisJobStore.jobKey(jobId), RedisAcceptedLines.LOG_OWNER, owner.token()));
  }

  @Test
  void append_withOneReplicaToWaitFor_returnsOnlyOnceTheReplicaHasTheEntry() {
    RedisEngine engine = engine(primary.url(), ONE_PATIENT);
    RedisAcceptedLines lines = new RedisAcceptedLines(engine);
    ownedBy(engine, "job-1", N1);
    RedisEngine onReplica = engine(replica.url(), ReplicaAcks.NONE);

    assertThat(lines.append("job-1", N1, 0, lines(1, 3))).isEqualTo(AppendResult.accepted(3));
    // no waiting here: the WAIT inside append is what makes the replica have it already
    assertThat(entryIds(onReplica, "job-1")).containsExactly("3-0");
    assertThat(lines.mark("job-1", N1, 3, 1, LogMark.status("running"))).isEqualTo(AppendResult.accepted(3));
    assertThat(entryIds(onReplica, "job-1")).containsExactly("3-0", "3-1");
  }

  @Test
  void append_whileTheReplicaIsHung_failsAsUnavailableNamingTheSetting_thenTheRetryLandsOnceAndCounts() throws Exception {
    RedisAcceptedLines soon = new RedisAcceptedLines(engine(primary.url(), ONE_SOON));
    RedisEngine patient = engine(primary.url(), ONE_PATIENT);
    ownedBy(patient, "job-1", N1);
    RedisEngine onReplica = engine(replica.url(), ReplicaAcks.NONE);
    assertThat(new RedisAcceptedLines(patient).append("job-1", N1, 0, lines(1, 1)).isStored()).isTrue();

    replica.hang();
    try {
      assertThatThrownBy(() -> soon.append("job-1", N1, 1, lines(2, 4)))
          .isInstanceOf(EngineUnavailableException.class)
          .hasMessageContaining("cluster.redis.minReplicasAck").hasMessageContaining("not shown yet");
      assertThat(entryIds(patient, "job-1")).as("on the primary, not counted").containsExactly("1-0", "4-0");
      // a job-control write is not failed by the missing acknowledgement: it stands on the primary
      RedisJobStore store = new RedisJobStore(engine(primary.url(), ONE_SOON));
      JobRecord job = new JobRecord("job0000000000000000002", "hash", "docs", Map.of(), null, JobState.QUEUED, 0, null, null, AT, null, null, List.of(), null);
      store.save(job);
      assertThat(store.find(job.id())).contains(job);
    } finally {
      replica.resume();
    }

    // the shipper's retry: the same append, which the primary has, answered as a duplicate once the replica has it too
    assertThat(new RedisAcceptedLines(patient).append("job-1", N1, 1, lines(2, 4))).isEqualTo(AppendResult.duplicate(4));
    assertThat(entryIds(onReplica, "job-1")).containsExactly("1-0", "4-0");
  }

  @Test
  void shipper_whileTheReplicaIsHung_showsNoLine_thenShowsEachOnceWhenItCatchesUp() throws Exception {
    RedisEngine engine = engine(primary.url(), ONE_SOON);
    ownedBy(engine, "job-1", N1);
    dev.buildcast.testing.MemoryLogStore spools = new dev.buildcast.testing.MemoryLogStore(java.time.Clock.systemUTC());
    dev.buildcast.log.JobLog spool = spools.open("job-1");
    dev.buildcast.testing.SteppedExecutor appends = new dev.buildcast.testing.SteppedExecutor();
    List<Runnable> retries = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<LogLine> shown = new java.util.concurrent.CopyOnWriteArrayList<>();
    dev.buildcast.log.cluster.LogShipper shipper = new dev.buildcast.log.cluster.LogShipper("job-1", N1, new RedisAcceptedLines(engine),
        spool, 0, 0, appends, (task, delay) -> retries.add(task), new dev.buildcast.log.cluster.ShippingListener() {
          @Override public void accepted(List<LogLine> lines) { shown.addAll(lines); }
          @Override public void fenced(long engineLastSeq) { throw new AssertionError("fenced at " + engineLastSeq); }
        });
    closing.add(spool::close);
    closing.add(shipper::close);
    shipper.start();

    replica.hang();
    try {
      spool.append(LogLevel.DETAIL, "one");
      spool.append(LogLevel.DETAIL, "two");
      appends.runAll();
      assertThat(entryIds(engine, "job-1")).as("on the primary").isNotEmpty();
      assertThat(shown).as("shown before a replica has it").isEmpty();
      assertThat(retries).as("the append is to be retried").hasSize(1);
    } finally {
      replica.resume();
    }
    replica.awaitInSync();
    // the retry, as the shipper's timer would run it: the primary answers DUPLICATE, the WAIT succeeds now
    Awaitility.await().atMost(PATIENT).until(() -> {
      Runnable retry = retries.isEmpty() ? null : retries.removeFirst();
      if (retry != null) retry.run();
      appends.runAll();
      return !shown.isEmpty();
    });
    assertThat(shown).extracting(LogLine::text).containsExactly("one", "two");
    assertThat(entryIds(engine(replica.url(), ReplicaAcks.NONE), "job-1")).isEqualTo(entryIds(engine, "job-1"));
  }

  @Test
  void append_withoutReplicaAcks_sendsNoWait_andSucceedsWhileTheReplicaIsHung() throws Exception {
    RedisEngine engine = engine(primary.url(), ReplicaAcks.NONE);
    ownedBy(engine, "job-1", N1);
    replica.hang();
    try {
      assertThat(new RedisAcceptedLines(engine).append("job-1", N1, 0, lines(1, 2))).isEqualTo(AppendResult.accepted(2));
    } finally {
      replica.resume();
    }
  }

  @Test
  void connect_withAnAckTimeoutNotShorterThanTheCommandTimeout_isRefused() {
    assertThatThrownBy(() -> RedisEngine.connect(primary.url(), Optional.empty(), Duration.ofSeconds(1), new ReplicaAcks(1, Duration.ofSeconds(1))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ackTimeout");
  }
}
