package dev.buildcast.socketio.engine;

import java.util.function.Consumer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;

/**
 * TEMPORARY placeholder so branch {@code socketio} compiles before branch {@code engine} lands; the
 * real implementation lives on branch {@code engine}. On merge, take the engine branch's file.
 */
final class JettyEngineServer implements EngineServer {
  JettyEngineServer(Server jetty, EngineConfig config) {
    throw new UnsupportedOperationException("Engine.IO server not merged yet (branch engine)");
  }

  @Override
  public Handler handler(Handler next) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void onConnection(Consumer<EngineSocket> listener) {
    throw new UnsupportedOperationException();
  }

  @Override
  public int sessionCount() {
    return 0;
  }

  @Override
  public EngineConfig config() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {}
}
