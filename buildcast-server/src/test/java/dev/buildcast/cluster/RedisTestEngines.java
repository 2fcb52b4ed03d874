package dev.buildcast.cluster;

import dev.buildcast.testing.RedisServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's own redis-server (started before its first test, stopped after its last) and the
 * engines each test opens against it, all closed after that test. Registered as a static
 * {@code @RegisterExtension} field. why a generous command timeout: these tests check what the
 * adapters do, not how fast a busy machine answers.
 */
final class RedisTestEngines implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {

  static final Duration PATIENT = Duration.ofSeconds(30);

  private RedisServerProcess redis;
  private final List<AutoCloseable> opened = new ArrayList<>();

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    redis = RedisServerProcess.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (redis != null) redis.close();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    for (int i = opened.size() - 1; i >= 0; i--) {
      try {
        opened.get(i).close();
      } catch (Exception e) {
        throw new IllegalStateException("could not close " + opened.get(i), e);
      }
    }
    opened.clear();
  }

  /** The class's redis-server, for what a test does to it (kill, restart, its port). */
  RedisServerProcess server() {
    return redis;
  }

  /** Deletes every key, so a test starts from an empty Redis. */
  void flushAll() {
    try {
      redis.flushAll();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
}
