package dev.buildcast.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.log.JobLogListener;
import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.cluster.LogMirror;
import dev.buildcast.log.cluster.LogOwner;
import dev.buildcast.log.cluster.MirrorFailedException;
import dev.buildcast.log.cluster.MirrorFeed;
import dev.buildcast.testing.MemoryLogSegments;
import io.lettuce.core.XAddArgs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A node's mirror feed reading other nodes' jobs from Redis, where a stream may hold a damaged entry. */
class RedisMirrorFeedTest {

  @RegisterExtension static final RedisTestEngines engines = new RedisTestEngines();
  private static final LogOwner OWNER = new LogOwner("n1", 1);
  /** Generous: every read here finds entries waiting and returns at once. */
  private static final Duration LONG_WAIT = Duration.ofSeconds(60);

  private RedisEngine admin;
  private RedisAcceptedLines owner;
  private MirrorFeed feed;
  private final MemoryLogSegments segments = new MemoryLogSegments();

  @BeforeEach
  void twoNodes() {
    engines.flushAll();
    admin = engines.open();
    owner = engines.closedAfterTheTest(new RedisAcceptedLines(engines.open()));
    feed = new MirrorFeed(engines.closedAfterTheTest(new RedisAcceptedLines(engines.open())));
    for (String job : List.of("job-1", "job-2")) {
      admin.call("test", r -> r.hset(RedisJobStore.jobKey(job), RedisAcceptedLines.LOG_OWNER, OWNER.token()));
    }
  }

  private static List<LogLine> lines(long from, long to) {
    List<LogLine> lines = new ArrayList<>();
    for (long seq = from; seq <= to; seq++) lines.add(new LogLine(seq, seq, LogLevel.DETAIL, "line " + seq));
    return lines;
  }

  /** What a listener of a mirror heard of a failure. */
  private static final class FailureListener implements JobLogListener {
    volatile RuntimeException failure;

    @Override
    public void appended(List<LogLine> lines) {}

    @Override
    public void failed(RuntimeException cause) {
      failure = cause;
    }
  }

  @Test
  void pollOnce_aDamagedEntryOfOneJob_failsOnlyThatJobsMirror_andTheOtherJobsLinesKeepFlowing() throws Exception {
    try (LogMirror damaged = LogMirror.open("job-1", segments);
        LogMirror healthy = LogMirror.open("job-2", segments)) {
      FailureListener watcher = new FailureListener();
      damaged.addListener(watcher);
      feed.watch(damaged);
      feed.watch(healthy);
      owner.append("job-1", OWNER, 0, lines(1, 2));
      // a bad checksum, as a torn or tampered write would leave it
      admin.call("test", r -> r.xadd(RedisAcceptedLines.logKey("job-1"), new XAddArgs().id("3-0"),
          Map.of("f", "3", "t", "x\n", "m", "0.0.1", "c", "00000000")));
      owner.append("job-2", OWNER, 0, lines(1, 2));

      feed.pollOnce(LONG_WAIT);

      assertThat(healthy.read(0, LogFilter.ALL, 10)).containsExactlyElementsOf(lines(1, 2));
      assertThat(damaged.read(0, LogFilter.ALL, 10)).as("the lines before the damaged entry").containsExactlyElementsOf(lines(1, 2));
      assertThat(damaged.failure()).isPresent();
      assertThat(watcher.failure).isInstanceOf(MirrorFailedException.class)
          .hasMessageContaining("job-1").hasMessageContaining("bc:{job-1}:log 3-0").hasMessageContaining("CRC32C");
      assertThat(damaged.isSealed()).isFalse();
      assertThat(feed.watchedCount()).isEqualTo(1);

      owner.append("job-2", OWNER, 2, lines(3, 4));
      assertThat(feed.pollOnce(LONG_WAIT)).isEqualTo(1);
      assertThat(healthy.read(0, LogFilter.ALL, 10)).containsExactlyElementsOf(lines(1, 4));
    }
  }

  @Test
  void pollOnce_aDamagedEntryAfterGoodOnesInOneRead_keepsTheGoodOnes() throws Exception {
    try (LogMirror mirror = LogMirror.open("job-1", segments)) {
      feed.watch(mirror);
      owner.append("job-1", OWNER, 0, lines(1, 1));
      owner.append("job-1", OWNER, 1, lines(2, 3));
      admin.call("test", r -> r.xadd(RedisAcceptedLines.logKey("job-1"), new XAddArgs().id("4-0"), Map.of("t", "x\n")));
      assertThat(feed.pollOnce(LONG_WAIT)).isEqualTo(2);
      assertThat(mirror.read(0, LogFilter.ALL, 10)).containsExactlyElementsOf(lines(1, 3));
      assertThat(mirror.failure()).get().extracting(Throwable::getMessage).asString().contains("after line 3").contains("4-0");
    }
  }
}
