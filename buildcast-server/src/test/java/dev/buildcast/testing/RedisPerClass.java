package dev.buildcast.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@code redis-server} for a test class ({@code @RegisterExtension static}), emptied before each
 * test and stopped after the last. why one per class: a start costs a process, and tests of one
 * class never run at once.
 */
public final class RedisPerClass implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

  private RedisServerProcess server;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    server = RedisServerProcess.start();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    server.flushAll();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) server.close();
  }

  public RedisServerProcess server() {
    return server;
  }
}
