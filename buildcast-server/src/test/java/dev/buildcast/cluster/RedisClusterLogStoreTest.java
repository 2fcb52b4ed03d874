package dev.buildcast.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.log.JobLog;
import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLimit;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.LogStore;
import dev.buildcast.log.LogStoreContract;
import dev.buildcast.log.LogStoreOptions;
import dev.buildcast.log.cluster.ClusterLogStore;
import dev.buildcast.log.cluster.MirrorFeed;
import dev.buildcast.log.cluster.RetryTimer;
import dev.buildcast.storage.file.FileLogSegments;
import dev.buildcast.storage.file.FileLogStore;
import dev.buildcast.testing.RedisPerClass;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The log store contract on the cluster store as a node wires it (this node's log files as spools
 * and mirrors, a node {@link ClusterLogStore.Writer}, jobs taken over through the engine) over a
 * real {@code redis-server}: every script, the stream's entry format and its reads go through
 * Redis. Shipping runs on the appending thread, so a line is accepted (hence readable) before
 * {@code append} returns and the contract's cases hold as written; the shipping thread's own
 * timing is {@code LogShipperTest}'s. A restart is a new store on the same folder and the same
 * Redis, as a node restarted by its operator.
 */
class RedisClusterLogStoreTest extends LogStoreContract {

  @RegisterExtension static final RedisPerClass REDIS = new RedisPerClass();

  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
  private static final Duration PATIENT = Duration.ofSeconds(30);
  /** why fail: Redis answers every call here; a retry would mean an append the engine refused. */
  private static final RetryTimer NO_RETRIES = (task, delay) -> {
    throw new AssertionError("the shipper asked for a retry: Redis refused or missed an append");
  };

  private final List<AutoCloseable> opened = new ArrayList<>();
  private final List<String> fenced = new ArrayList<>();

  @Override
  protected LogStore newStore(Path dir) {
    return newStore(dir, LogLimit.NONE);
  }

  @Override
  protected LogStore newStore(Path dir, LogLimit limit) {
    return node("n1", dir, limit, jobId -> true);
  }

  /** A node {@code nodeId} keeping its log files under {@code dir}, running the jobs {@code runsHere} accepts. */
  private ClusterLogStore node(String nodeId, Path dir, LogLimit limit, Predicate<String> runsHere) {
    RedisEngine engine = RedisEngine.connect(REDIS.server().url(), PATIENT);
    opened.add(engine);
    RedisAcceptedLines lines = new RedisAcceptedLines(engine);
    Function<String, Path> jobDir = jobId -> dir.resolve("jobs").resolve(jobId);
    FileLogStore spools = new FileLogStore(jobDir, LogStoreOptions.unforced(CLOCK).withLimit(limit));
    opened.add(spools);
    return new ClusterLogStore(spools, new FileLogSegments(jobDir), lines, new MirrorFeed(lines),
        ClusterLogStore.runner(lines, nodeId, runsHere), Runnable::run, NO_RETRIES, fenced::add,
        new ClusterLogStore.Writer(nodeId, CLOCK));
  }

  /** why after the contract's own close: the store closes first, then its spools and Redis connections. */
  @AfterEach
  void closeConnections() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) opened.get(i).close();
    opened.clear();
    assertThat(fenced).as("no job of this node was fenced").isEmpty();
  }

  @Test
  void append_isInTheRedisStream_whichANodeWithNoCopyReadsBackTheSame() throws Exception {
    List<LogLine> written;
    String writtenText;
    try (JobLog log = store.open("job-1")) {
      log.append(LogLevel.GROUP, "step");
      log.append(LogLevel.DETAIL, "Grüße\tund 😀");
      log.append(LogLevel.ERROR, "x".repeat(LogLine.MAX_TEXT_CHARS + 5));
      log.seal();
      written = readAll(log, LogFilter.ALL);
      writtenText = text(log);
    }

    try (ClusterLogStore n2 = node("n2", dir.resolve("n2"), LogLimit.NONE, jobId -> false); JobLog copy = n2.open("job-1")) {
      assertThat(copy.isSealed()).isTrue();
      assertThat(readAll(copy, LogFilter.ALL)).hasSize(4).containsExactlyElementsOf(written);
      assertThat(text(copy)).isEqualTo(writtenText);
    }
  }
}
