package dev.buildcast.cluster;

import dev.buildcast.testing.RedisServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The engines one test opens against its class's Redis, all closed after it. why a generous
 * command timeout: these tests check what the adapters do, not how fast a busy machine answers.
 */
final class RedisTestEngines implements AutoCloseable {

  static final Duration PATIENT = Duration.ofSeconds(30);

  private final RedisServerProcess redis;
  private final List<AutoCloseable> opened = new ArrayList<>();

  RedisTestEngines(RedisServerProcess redis) {
    this.redis = redis;
  }

  /** A new engine (one node's connection) to the class's Redis. */
  RedisEngine open() {
    return open(PATIENT);
  }

  RedisEngine open(Duration commandTimeout) {
    return closedAfterTheTest(RedisEngine.connect(redis.url(), commandTimeout));
  }

  <T extends AutoCloseable> T closedAfterTheTest(T resource) {
    opened.add(resource);
    return resource;
  }

  @Override
  public void close() {
    for (int i = opened.size() - 1; i >= 0; i--) {
      try {
        opened.get(i).close();
      } catch (Exception e) {
        throw new IllegalStateException("could not close " + opened.get(i), e);
      }
    }
    opened.clear();
  }
}
