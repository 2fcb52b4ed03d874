package dev.buildcast.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.cluster.LogMark;
import dev.buildcast.log.cluster.LogOwner;
import dev.buildcast.log.cluster.StreamPosition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The archive queue on a real Redis, two nodes sharing it: the seal queues the job in its own
 * step, a job taken is held from the other node, a node that lost the race changes nothing,
 * dropping the stream keeps the log sealed, and deleting the job removes it from both sets.
 */
class RedisArchiveQueueTest {

  private static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");
  private static final String JOB = "aaaaaaaaaaaaaaaaaaaaaa";
  private static final LogOwner N1 = new LogOwner("n1", 0);
  @RegisterExtension static final RedisTestEngines engines = new RedisTestEngines();

  private RedisEngine admin;
  private RedisAcceptedLines lines;
  private RedisArchiveQueue n1;
  private RedisArchiveQueue n2;

  @BeforeEach
  void setUp() {
    engines.flushAll();
    admin = engines.open();
    lines = engines.closedAfterTheTest(new RedisAcceptedLines(engines.open()));
    n1 = new RedisArchiveQueue(engines.open());
    n2 = new RedisArchiveQueue(engines.open());
    admin.call("test", r -> r.hset(RedisJobStore.jobKey(JOB), RedisAcceptedLines.LOG_OWNER, N1.token()));
    lines.append(JOB, N1, 0, List.of(new LogLine(1, 5, LogLevel.SYSTEM, "one")));
  }

  private void seal() {
    assertThat(lines.mark(JOB, N1, 1, 1, LogMark.seal()).isStored()).isTrue();
  }

  @Test
  void seal_queuesTheJobDueAtOnce_andAStatusMarkDoesNot() {
    lines.mark(JOB, N1, 1, 1, LogMark.status("running"));
    assertThat(n1.pendingCount()).isZero();
    assertThat(lines.mark(JOB, N1, 1, 2, LogMark.seal()).isStored()).isTrue();
    assertThat(n1.pendingCount()).isEqualTo(1);
    assertThat(n2.takeDue(NOW, NOW.plusSeconds(60), 10)).containsExactly(JOB);
  }

  @Test
  void takeDue_jobTakenByOneNode_isHeldFromTheOtherUntilItsHoldPasses() {
    seal();
    assertThat(n1.takeDue(NOW, NOW.plusSeconds(60), 10)).containsExactly(JOB);
    assertThat(n2.takeDue(NOW.plusSeconds(59), NOW.plusSeconds(120), 10)).isEmpty();
    assertThat(n2.takeDue(NOW.plusSeconds(60), NOW.plusSeconds(120), 10)).as("the first node died with it").containsExactly(JOB);
  }

  @Test
  void archived_byOneNode_makesTheOthersRetryAndArchivedAMiss() {
    seal();
    n1.takeDue(NOW, NOW.plusSeconds(60), 10);
    assertThat(n1.archived(JOB, NOW.plusSeconds(5))).isTrue();
    n2.retryAt(JOB, NOW);
    assertThat(n2.archived(JOB, NOW.plusSeconds(9))).isFalse();
    assertThat(n2.pendingCount()).isZero();
    assertThat(n2.takeDue(NOW.plusSeconds(600), NOW.plusSeconds(700), 10)).isEmpty();
  }

  @Test
  void dropStreams_afterItsTime_deletesOnlyTheStream_theLogStaysSealedAndFenced() {
    seal();
    n1.takeDue(NOW, NOW.plusSeconds(60), 10);
    n1.archived(JOB, NOW.plusSeconds(5));
    assertThat(n2.dropStreams(NOW.plusMillis(4999), 10)).isEmpty();
    assertThat(lines.read(JOB, StreamPosition.START, 10)).isNotEmpty();

    assertThat(n2.dropStreams(NOW.plusSeconds(5), 10)).containsExactly(JOB);

    assertThat(lines.read(JOB, StreamPosition.START, 10)).isEmpty();
    assertThat(lines.takeOver(JOB, "n2").sealed()).isTrue();
    assertThat(lines.append(JOB, N1, 1, List.of(new LogLine(2, 6, LogLevel.SYSTEM, "late"))).isStored()).isFalse();
    assertThat(n1.dropStreams(NOW.plusSeconds(600), 10)).isEmpty();
  }

  @Test
  void deleteOfTheJob_removesItFromBothSets() {
    seal();
    String other = "bbbbbbbbbbbbbbbbbbbbbb";
    admin.call("test", r -> r.zadd(RedisArchiveQueue.ARCHIVED, 1.0, other));
    RedisJobStore store = new RedisJobStore(admin);
    store.delete(JOB);
    store.delete(other);
    Long left = admin.call("test", r -> r.exists(RedisArchiveQueue.PENDING, RedisArchiveQueue.ARCHIVED));
    assertThat(left).isZero();
  }
}
