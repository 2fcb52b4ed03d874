package dev.buildcast.socketio.engine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * The {@link EngineServer} on Jetty 12: owns the session registry, the shared timer (heartbeats,
 * upgrade timeouts), the virtual-thread pool that runs listeners and WebSocket writers, and
 * session creation. Request
 * routing and validation live in {@link EngineHandler}.
 */
final class JettyEngineServer implements EngineServer {
  private final Server jetty;
  private final EngineConfig config;
  private final Map<String, EngineSession> sessions = new ConcurrentHashMap<>();
  private final SessionsPerAddress perAddress;
  private final SessionIds ids;
  private final OriginPolicy origins;
  private final ScheduledExecutorService timer;
  private final ExecutorService listenerPool;
  private final LatePolls latePolls;
  private final QueuedMessageMemory queuedMessageMemory;
  /** Runs WebSocket writers: the listener pool, or a test's stepped executor. */
  private final Executor writers;
  private final LongSupplier nanoClock;
  private volatile Consumer<EngineSocket> connectionListener;
  private volatile boolean closed;
  /** At most this many sessions closed by their client are owed a noop for a late poll. */
  private static final int MAX_LATE_POLLS = 10_000;

  JettyEngineServer(Server jetty, EngineConfig config) {
    this(jetty, config, null);
  }

  /** @param writers runs WebSocket writers; null for the listener pool (tests pass one they step) */
  JettyEngineServer(Server jetty, EngineConfig config, Executor writers) {
    this(jetty, config, writers, System::nanoTime);
  }

  /**
   * @param nanoClock what sessions measure their clients' pace and heartbeat deadlines with, and
   *     how long a closed session's late poll is answered (tests pass one they step)
   */
  JettyEngineServer(Server jetty, EngineConfig config, Executor writers, LongSupplier nanoClock) {
    this(jetty, config, writers, nanoClock, null);
  }

  /** @param timer runs the engine's timed tasks; null for its own timer thread (tests pass one they step) */
  JettyEngineServer(Server jetty, EngineConfig config, Executor writers, LongSupplier nanoClock, ScheduledExecutorService timer) {
    this.jetty = jetty;
    this.nanoClock = nanoClock;
    this.config = config;
    this.origins = new OriginPolicy(config.allowedOrigins());
    this.perAddress = new SessionsPerAddress(config.maxSessionsPerAddress());
    this.ids = new SessionIds(config.sessionIdTag());
    // why the ping timeout: the longest the engine waits for a client's packet that is on its way
    this.latePolls = new LatePolls(config.pingTimeout(), MAX_LATE_POLLS, nanoClock);
    this.queuedMessageMemory = new QueuedMessageMemory(config.maxQueuedBytesAllSessions());
    this.timer = timer == null ? ownTimer() : timer;
    this.listenerPool = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("engineio-listener-", 0).factory());
    this.writers = writers == null ? listenerPool : writers;
    // why: stopping Jetty without closing the engine would leave its timer thread and sessions
    jetty.addEventListener(new LifeCycle.Listener() {
      @Override
      public void lifeCycleStopping(LifeCycle event) {
        close();
      }
    });
  }

  private static ScheduledExecutorService ownTimer() {
    // One platform thread is plenty: its tasks only queue packets or flag timeouts.
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "engineio-timer");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true); // cancelled pings must not pile up
    return timer;
  }

  @Override
  public Handler handler(Handler next) {
    return new EngineHandler(this, next);
  }

  @Override
  public void onConnection(Consumer<EngineSocket> listener) {
    this.connectionListener = listener;
  }

  @Override
  public int sessionCount() {
    return sessions.size();
  }

  @Override
  public EngineConfig config() {
    return config;
  }

  @Override
  public void close() {
    closed = true;
    for (EngineSession s : List.copyOf(sessions.values())) {
      s.close("server shutting down", EngineSession.CloseMode.ABORT);
    }
    timer.shutdownNow();
    listenerPool.shutdown(); // queued onClose calls still run
  }

  Server jetty() {
    return jetty;
  }

  OriginPolicy origins() {
    return origins;
  }

  ScheduledExecutorService timer() {
    return timer;
  }

  ExecutorService listenerPool() {
    return listenerPool;
  }

  LongSupplier nanoClock() {
    return nanoClock;
  }

  Executor writers() {
    return writers;
  }

  /** Sessions closed by their client whose GET may still arrive (see {@link LatePolls}). */
  LatePolls latePolls() {
    return latePolls;
  }

  /** What all sessions' outbound queues hold, against the server-wide bound. */
  QueuedMessageMemory queuedMessageMemory() {
    return queuedMessageMemory;
  }

  EngineSession session(String sid) {
    return sessions.get(sid);
  }

  void remove(EngineSession session) {
    if (sessions.remove(session.id(), session)) perAddress.release(session.remoteAddress());
  }

  /** Whether one more session from this request's address would be admitted now. */
  boolean admits(Request request) {
    return perAddress.hasRoom(request.getConnectionMetaData().getRemoteSocketAddress());
  }

  /** Creates a long-polling session; the caller writes the returned handshake. */
  EngineSession openPollingSession(Request request) {
    if (closed) return null;
    HandshakeInfo handshake = HandshakeInfo.of(request);
    if (!perAddress.tryAcquire(handshake.remoteAddress())) return null;
    EngineSession s = new EngineSession(ids.next(), handshake, this);
    sessions.put(s.id(), s);
    s.start(connectionListener);
    return s;
  }

  /** Creates a WebSocket-only session on an opened socket; its first frame is the handshake. */
  EngineSession openWebSocketSession(WebSocketTransport ws, HandshakeInfo handshake) {
    if (closed) return null;
    if (!perAddress.tryAcquire(handshake.remoteAddress())) return null;
    EngineSession s = new EngineSession(ids.next(), handshake, this, ws);
    ws.bind(s);
    s.queue().offerControl(OutboundPacket.control(EnginePacketCodec.handshake(s.id(), false, config)));
    sessions.put(s.id(), s);
    s.start(connectionListener);
    s.flush();
    return s;
  }

  /** Makes {@code ws} the upgrade probe of session {@code sid}, or returns null to refuse it. */
  EngineSession attachProbe(String sid, WebSocketTransport ws) {
    EngineSession s = sessions.get(sid);
    if (s == null || s.polling() == null || !s.attachProbe(ws)) return null;
    // bound before the socket demands its first frame, so no frame can miss its session
    ws.bind(s);
    return s;
  }
}
