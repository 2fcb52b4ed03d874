package dev.buildcast.socketio.engine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A real Jetty server on a free port with an engine on {@code /engine.io/}, an HTTP client for
 * long-polling, and a Jetty WebSocket client. Every new session is offered to {@link #sockets}.
 */
final class EngineFixture implements AutoCloseable {
  static final String PATH = "/engine.io/";

  final Server jetty = new Server();
  final EngineServer engine;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final WebSocketClient wsClient = new WebSocketClient();
  final BlockingQueue<EngineSocket> sockets = new LinkedBlockingQueue<>();
  final List<EngineSocket> allSockets = new CopyOnWriteArrayList<>();
  final int port;
  private final Map<String, CompletableFuture<String>> closeReasons = new ConcurrentHashMap<>();

  /**
   * The defaults, but a ping only every ten minutes: a test that expects a certain packet from a
   * poll must not get a ping instead because this machine took longer than the default 25 s to
   * get there. Tests of the heartbeat set their own interval.
   */
  static EngineConfig config() {
    return EngineConfig.defaults().withPath(PATH).withPingInterval(Duration.ofMinutes(10));
  }

  EngineFixture() throws Exception {
    this(config());
  }

  EngineFixture(EngineConfig config) throws Exception {
    this(config, (Executor) null);
  }

  /** @param writers runs the WebSocket writers (a test's stepped executor), or null for the default */
  EngineFixture(EngineConfig config, Executor writers) throws Exception {
    this(jetty -> new JettyEngineServer(jetty, config, writers));
  }

  /** The engine's timed tasks run when the test moves {@code timer}, whose clock the engine reads too. */
  EngineFixture(EngineConfig config, ManualTimer timer) throws Exception {
    this(jetty -> new JettyEngineServer(jetty, config, null, timer::nanoTime, timer));
  }

  private EngineFixture(Function<Server, EngineServer> engineOn) throws Exception {
    ServerConnector connector = new ServerConnector(jetty);
    connector.setPort(0);
    jetty.addConnector(connector);
    engine = engineOn.apply(jetty);
    engine.onConnection(s -> {
      // registered here, before any event of the session can fire
      s.onClose(closeReason(s)::complete);
      allSockets.add(s);
      sockets.add(s);
    });
    jetty.setHandler(engine.handler(null));
    jetty.start();
    port = connector.getLocalPort();
    wsClient.start();
  }

  /** Completes with the close reason of a session connected through the fixture's listener. */
  CompletableFuture<String> closeReason(EngineSocket socket) {
    return closeReasons.computeIfAbsent(socket.id(), id -> new CompletableFuture<>());
  }

  /** Connections the server holds open (HTTP and WebSocket). */
  int openConnections() {
    return ((ServerConnector) jetty.getConnectors()[0]).getConnectedEndPoints().size();
  }

  URI uri(String query) {
    return URI.create("http://127.0.0.1:" + port + PATH + "?" + query);
  }

  URI wsUri(String query) {
    return URI.create("ws://127.0.0.1:" + port + PATH + "?" + query);
  }

  HttpResponse<String> get(String query) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(query)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  HttpResponse<String> post(String query, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(query)).timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** Opens a polling session; returns its sid. */
  String handshake() throws Exception {
    HttpResponse<String> r = get("EIO=4&transport=polling");
    if (r.statusCode() != 200) throw new AssertionError("handshake failed: " + r.statusCode() + " " + r.body());
    return sidOf(r.body());
  }

  static String sidOf(String openPacket) {
    int start = openPacket.indexOf("\"sid\":\"") + 7;
    return openPacket.substring(start, openPacket.indexOf('"', start));
  }

  /** The server side of the session the last handshake opened. */
  EngineSocket nextSocket() throws InterruptedException {
    EngineSocket s = sockets.poll(60, TimeUnit.SECONDS);
    if (s == null) throw new AssertionError("no connection event");
    return s;
  }

  WsPeer connectWs(String query) throws Exception {
    return connectWs(query, new WsPeer());
  }

  WsPeer connectWs(String query, WsPeer peer) throws Exception {
    wsClient.connect(peer, wsUri(query)).get(60, TimeUnit.SECONDS);
    return peer;
  }

  @Override
  public void close() {
    try {
      wsClient.stop();
      engine.close();
      jetty.stop();
      http.close();
    } catch (Exception e) {
      throw new IllegalStateException("fixture did not stop cleanly", e);
    }
  }
}
