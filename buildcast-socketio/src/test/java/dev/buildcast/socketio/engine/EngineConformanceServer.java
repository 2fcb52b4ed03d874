package dev.buildcast.socketio.engine;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The server the official Engine.IO test suite expects (see the suite's README): port 3000, path
 * /engine.io/, pingInterval 300 ms, pingTimeout 200 ms, maxPayload 1,000,000, any origin, and
 * every message echoed back. Run by scripts/conformance-engine.sh; not a unit test.
 */
public final class EngineConformanceServer {
  private EngineConformanceServer() {}

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    // the product's thread pool (BuildcastServer): Jetty reads and handles on virtual threads, so
    // the suite exercises the paths the product runs (e.g. listeners run on the reading thread)
    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("engine-conformance-http");
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    Server jetty = new Server(threads);
    ServerConnector connector = new ServerConnector(jetty);
    connector.setPort(port);
    jetty.addConnector(connector);
    EngineConfig config = new EngineConfig("/engine.io/", Duration.ofMillis(300), Duration.ofMillis(200),
        1_000_000, Duration.ofSeconds(10), 8L * 1024 * 1024, 10_000, 256L * 1024 * 1024, List.of("*"), false, 1024, 0, Optional.empty());
    EngineServer engine = EngineServer.create(jetty, config);
    engine.onConnection(socket -> socket.onMessage(socket::send));
    jetty.setHandler(engine.handler(null));
    jetty.start();
    System.out.println("engine conformance server listening on " + port);
    jetty.join();
  }
}
