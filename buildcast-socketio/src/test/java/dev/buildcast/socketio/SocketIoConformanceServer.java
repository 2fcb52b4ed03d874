package dev.buildcast.socketio;

import dev.buildcast.socketio.engine.EngineConfig;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The server the official Socket.IO protocol test suite ({@code test-suite/} of
 * socketio/socket.io-protocol) expects on http://localhost:3000: 300 ms ping interval, 200 ms ping
 * timeout, 1,000,000 bytes maxPayload; namespaces "/" and "/custom" that emit {@code auth} with the
 * CONNECT payload on connection, echo {@code message} as {@code message-back} and acknowledge
 * {@code message-with-ack} with its own arguments. Run by {@code scripts/conformance-socketio.sh}.
 */
public final class SocketIoConformanceServer {
  private SocketIoConformanceServer() {}

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    // the product's thread pool (BuildcastServer): Jetty reads and handles on virtual threads, so
    // the suite exercises the paths the product runs (e.g. listeners run on the reading thread)
    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("conformance-http");
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    Server jetty = new Server(threads);
    ServerConnector connector = new ServerConnector(jetty);
    connector.setPort(port);
    jetty.addConnector(connector);

    EngineConfig engine =
        EngineConfig.defaults()
            .withPingInterval(Duration.ofMillis(300))
            .withPingTimeout(Duration.ofMillis(200))
            .withMaxPayloadBytes(1_000_000);
    // the default 45 s connect timeout, as the reference: a shorter one closes sessions in the
    // suite's Engine.IO heartbeat cases (which never send CONNECT) before their third ping; the
    // "no handshake" case is closed by the 200 ms ping timeout, since its raw client never pongs
    SocketIoConfig config = SocketIoConfig.defaults().withEngine(engine);
    SocketIoServer io = SocketIoServer.create(jetty, config);
    for (String name : new String[] {"/", "/custom"}) {
      io.namespace(name).onConnect(socket -> {
        socket.emit("auth", socket.handshake().auth());
        socket.on("message", (a, ack) -> socket.emit("message-back", a.toArray()));
        socket.on("message-with-ack", (a, ack) -> ack.send(a.toArray()));
      });
    }
    jetty.setHandler(io.handler(null));
    jetty.start();
    System.out.println("conformance server listening on " + connector.getLocalPort());
    jetty.join();
  }
}
