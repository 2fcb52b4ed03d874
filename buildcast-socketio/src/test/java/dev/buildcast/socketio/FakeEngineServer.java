package dev.buildcast.socketio;

import dev.buildcast.socketio.engine.EngineConfig;
import dev.buildcast.socketio.engine.EngineServer;
import dev.buildcast.socketio.engine.EngineSocket;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Handler;

/** An in-memory Engine.IO server for unit tests: {@link #connect()} opens a session. */
final class FakeEngineServer implements EngineServer {
  private final EngineConfig config;
  private final AtomicInteger ids = new AtomicInteger();
  private volatile Consumer<EngineSocket> listener = s -> {};

  FakeEngineServer(EngineConfig config) {
    this.config = config;
  }

  FakeEngineSocket connect() {
    return connect(Map.of());
  }

  FakeEngineSocket connect(Map<String, String> query) {
    FakeEngineSocket socket = new FakeEngineSocket("e" + ids.incrementAndGet(), query);
    listener.accept(socket);
    return socket;
  }

  @Override
  public Handler handler(Handler next) {
    throw new UnsupportedOperationException("no HTTP in unit tests");
  }

  @Override
  public void onConnection(Consumer<EngineSocket> listener) {
    this.listener = listener;
  }

  @Override
  public int sessionCount() {
    return 0;
  }

  @Override
  public EngineConfig config() {
    return config;
  }

  @Override
  public void close() {}
}
