package dev.buildcast.socketio.engine;

import java.net.SocketAddress;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO session: its state (polling, upgrading, websocket, closed), its outbound queue,
 * its heartbeat, and the hand-off of incoming packets to the listeners.
 *
 * <p>Locking: {@code lock} guards the state, the queue, the close request the WebSocket writer
 * reads with it ({@link #nextWrite}), the client's pace and the transport references, and is held only for
 * bookkeeping; every write to the network happens after it is released, so no I/O call (which may
 * complete synchronously and call back in) runs under it.
 */
final class EngineSession implements EngineSocket {
  private static final Logger LOG = LoggerFactory.getLogger(EngineSession.class);

  enum State { POLLING, UPGRADING, WEBSOCKET, CLOSED }

  /** How a close treats what is still queued. */
  enum CloseMode {
    /** The client asked for it: a pending poll gets a noop (as the reference server does). */
    CLIENT,
    /**
     * The application asked: queued packets are flushed before the transport closes. On polling,
     * or in the middle of an upgrade, the session stays registered (closed for the application)
     * until the client's next poll or the upgrade's end carries them, or the ping timeout passes.
     */
    GRACEFUL,
    /** Timeout, error, shutdown: queued packets are dropped. */
    ABORT
  }

  final Object lock = new Object();
  private final String id;
  private final HandshakeInfo handshake;
  private final JettyEngineServer server;
  private final OutboundQueue queue;
  private final SerialExecutor events;
  private final Heartbeat heartbeat;
  private final PollingTransport polling;
  private WebSocketTransport websocket;
  private WebSocketTransport probe;
  /**
   * A WebSocket naming this session was accepted, at {@link #upgradeRequestedAt} on the engine's
   * clock, and has not yet become the probe (its 101 may be on its way back before Jetty opens it
   * here); with {@link #probe}, see {@link #upgradeUnderWay}. A socket that never opens (its client
   * went away mid-handshake) stops counting after the upgrade timeout, as a probe would.
   */
  private boolean upgradeRequested;
  private long upgradeRequestedAt;
  private ScheduledFuture<?> upgradeTimer;
  private State state;
  /** A graceful close is under way: closed for the application, still flushing to the client. */
  private boolean closing;
  private String closingReason;
  private ScheduledFuture<?> closingDeadline;
  /**
   * Set by a graceful close that ended a WebSocket session: the socket closes with this reason once
   * the queue is written. Kept here, under the lock with the queue, so the writer reads both in one
   * look (see {@link #nextWrite}).
   */
  private String closeOnceWritten;
  /** How far behind the WebSocket client is; see {@link ClientPace}. */
  private final ClientPace pace;
  /** The heartbeat's ping waits for the WebSocket writer, which sends it ahead of queued messages. */
  private boolean pingOwed;
  /** The packet after whose write the WebSocket writer pauses for {@link #pauseLength} ({@link #sendThenPause}). */
  private OutboundPacket pauseAfter;
  private Duration pauseLength;
  /** While set, the WebSocket writer writes nothing until {@link #pausedUntil} on the engine's clock. */
  private boolean paused;
  private long pausedUntil;
  private boolean pauseWakeScheduled;
  /** The writer left messages queued because the client was behind: a pong must restart it. */
  private boolean heldForClient;
  private volatile String transportName;

  private volatile Consumer<EngineMessage> messageListener;
  private volatile Consumer<String> closeListener;
  private volatile Runnable drainListener;

  /** A session that starts on long-polling. */
  EngineSession(String id, HandshakeInfo handshake, JettyEngineServer server) {
    this(id, handshake, server, null);
  }

  /** A session that starts on (and stays on) the given WebSocket. */
  EngineSession(String id, HandshakeInfo handshake, JettyEngineServer server, WebSocketTransport websocket) {
    EngineConfig config = server.config();
    this.id = id;
    this.handshake = handshake;
    this.server = server;
    this.queue = new OutboundQueue(config.maxQueuedBytes(), config.maxQueuedMessages(), server.queuedMessageMemory());
    this.events = new SerialExecutor(server.listenerPool());
    this.heartbeat = new Heartbeat(server.timer(), server.nanoClock(), config.pingInterval(), config.pingTimeout(),
        this::sendPing, () -> close("ping timeout", CloseMode.ABORT));
    this.pace = new ClientPace(server.nanoClock());
    if (websocket == null) {
      this.polling = new PollingTransport(this, config.maxPayloadBytes());
      this.state = State.POLLING;
      this.transportName = "polling";
    } else {
      this.polling = null;
      this.websocket = websocket;
      this.state = State.WEBSOCKET;
      this.transportName = "websocket";
    }
  }

  // ---- EngineSocket ----

  @Override public String id() { return id; }
  @Override public String transport() { return transportName; }
  @Override public Map<String, String> query() { return handshake.query(); }
  @Override public Map<String, String> headers() { return handshake.headers(); }
  @Override public SocketAddress remoteAddress() { return handshake.remoteAddress(); }

  @Override
  public boolean send(List<EngineMessage> messages) {
    return sendThenPause(messages, Duration.ZERO);
  }

  @Override
  public boolean sendThenPause(List<EngineMessage> messages, Duration pause) {
    boolean wasEmpty;
    synchronized (lock) {
      if (state == State.CLOSED || closing) return false;
      if (messages.isEmpty()) return true;
      wasEmpty = queue.isEmpty();
      if (!queue.offer(messages)) return false;
      if (state == State.WEBSOCKET && pause.isPositive()) {
        pauseAfter = queue.last();
        pauseLength = pause;
      }
    }
    flush(wasEmpty);
    return true;
  }

  @Override
  public boolean sendEvenIfFull(List<EngineMessage> messages) {
    synchronized (lock) {
      if (state == State.CLOSED || closing) return false;
      queue.offerPastBound(messages);
    }
    flush();
    return true;
  }

  @Override
  public long queuedBytes() {
    synchronized (lock) {
      return queue.bytes();
    }
  }

  /** Whether no listener call of this session is queued or running (tests wait on it). */
  boolean listenerCallsIdle() {
    return events.isIdle();
  }

  @Override public void onMessage(Consumer<EngineMessage> listener) { this.messageListener = listener; }
  @Override public void onClose(Consumer<String> listener) { this.closeListener = listener; }
  @Override public void onDrain(Runnable listener) { this.drainListener = listener; }

  @Override
  public void close(String reason) {
    close(reason, CloseMode.GRACEFUL);
  }

  @Override
  public void abort(String reason) {
    close(reason, CloseMode.ABORT);
  }

  @Override
  public boolean isOpen() {
    synchronized (lock) {
      return state != State.CLOSED && !closing;
    }
  }

  // ---- engine internals ----

  State state() {
    synchronized (lock) {
      return state;
    }
  }

  /** Whether a graceful close is flushing the last packets; read under {@link #lock}. */
  boolean isClosing() {
    synchronized (lock) {
      return closing;
    }
  }

  OutboundQueue queue() {
    return queue;
  }

  /**
   * What a WebSocket writer does next: the heartbeat's ping if it is owed, then the first queued
   * packets (at most {@code maxPackets}, and {@code maxBytes} of messages unless the first alone is
   * larger; only the control packets ahead of the first message while the client is behind), then
   * a probe ping if one is due; or, once a graceful close has ended the session and nothing is
   * left, the reason to close the socket with; or nothing.
   */
  NextWrite nextWrite(int maxPackets, long maxBytes) {
    synchronized (lock) {
      if (paused) {
        long left = pausedUntil - server.nanoClock().getAsLong();
        if (left > 0) {
          wakeWriterIn(left);
          return new NextWrite(List.of(), 0, null);
        }
        paused = false;
      }
      long allowed = pace.allowance();
      boolean behind = allowed == 0;
      List<OutboundPacket> first = queue.peekFirst(maxPackets, Math.min(maxBytes, allowed), !behind);
      heldForClient = behind && first.size() < queue.size();
      int pauseAt = pauseAfter == null ? -1 : first.indexOf(pauseAfter);
      if (pauseAt >= 0) {
        first = new ArrayList<>(first.subList(0, pauseAt + 1));
        pauseAfter = null;
        paused = true;
        pausedUntil = server.nanoClock().getAsLong() + pauseLength.toNanos();
      }
      // the pace hears of the pings in the order they are written: the owed one, the queue's, the probe
      boolean heartbeatAhead = pingOwed;
      pingOwed = false;
      if (heartbeatAhead) pace.pingSent(true);
      long messageBytes = 0;
      for (OutboundPacket p : first) {
        messageBytes += p.queuedSize();
        if (p == OutboundPacket.PING) pace.pingSent(true); // queued on polling, before the upgrade
      }
      pace.sent(messageBytes);
      boolean probe = pace.probeDue();
      if (probe) pace.pingSent(false);
      List<OutboundPacket> packets = first;
      if (heartbeatAhead || probe) {
        packets = new ArrayList<>(first.size() + 2);
        if (heartbeatAhead) packets.add(OutboundPacket.PING);
        packets.addAll(first);
        if (probe) packets.add(OutboundPacket.PING);
      }
      // why one look under the lock: a writer that saw an empty queue and then, in a second look,
      // the close request would close without the packets queued in between (the DISCONNECT of
      // disconnect(true)), and the client would take the close for a lost connection
      return new NextWrite(packets, first.size(), queue.isEmpty() ? closeOnceWritten : null);
    }
  }

  /**
   * The writer's next step: {@code packets} to write, of which {@code fromQueue} are the queue's
   * first (they leave it once written), else close with {@code closeReason} if it is set, else
   * wait for more.
   */
  record NextWrite(List<OutboundPacket> packets, int fromQueue, String closeReason) {}

  PollingTransport polling() {
    return polling;
  }

  /** Called once the session is registered and its handshake is on its way. */
  void start(Consumer<EngineSocket> connectionListener) {
    heartbeat.start();
    if (connectionListener != null) events.execute(() -> connectionListener.accept(this));
  }

  /**
   * The heartbeat's ping: a WebSocket writer sends it ahead of what is queued, as it only has to
   * wait for what the client has not read yet; on polling it is queued like any control packet.
   */
  void sendPing() {
    synchronized (lock) {
      if (state == State.CLOSED) return;
      if (state == State.WEBSOCKET) pingOwed = true;
      else queue.offerControl(OutboundPacket.PING);
    }
    flush();
  }

  /** A pong answers the oldest ping out; the writer resumes if it was waiting for the client. */
  private void onPong() {
    boolean heartbeatAnswered;
    WebSocketTransport resume = null;
    synchronized (lock) {
      heartbeatAnswered = pace.pongReceived();
      if (heldForClient && pace.allowance() > 0) {
        heldForClient = false;
        resume = websocket; // also once a graceful close ended the session: it still flushes
      }
    }
    if (heartbeatAnswered) heartbeat.onPong();
    else heartbeat.onOtherPong();
    if (resume != null) resume.flush();
  }

  /** Has the WebSocket writer look again once {@code nanos} have passed; one wake-up at a time. */
  private void wakeWriterIn(long nanos) {
    if (pauseWakeScheduled) return;
    WebSocketTransport ws = websocket;
    if (ws == null) return;
    pauseWakeScheduled = true;
    Runnable wake = () -> {
      synchronized (lock) {
        pauseWakeScheduled = false;
      }
      ws.flush();
    };
    // why at least 1 µs: a wake-up due at once would find the pause not over and schedule again
    if (scheduleOrNull(wake, Duration.of(Math.max(1, TimeUnit.NANOSECONDS.toMicros(nanos)), ChronoUnit.MICROS)) == null) {
      pauseWakeScheduled = false; // the server is stopping: its sessions close
    }
  }

  /** Queues a control packet (never refused) and writes it out when the transport can. */
  void sendControl(OutboundPacket packet) {
    synchronized (lock) {
      if (state == State.CLOSED) return;
      queue.offerControl(packet);
    }
    flush();
  }

  /** Hands queued packets to the active transport; during an upgrade they wait. */
  void flush() {
    flush(false);
  }

  /**
   * @param toIdleSocket the packets just queued are all the socket has to write: a WebSocket may
   *     then be written by the sending task's own thread ({@link WritesAfterTask})
   */
  private void flush(boolean toIdleSocket) {
    State s;
    WebSocketTransport ws;
    synchronized (lock) {
      s = state;
      ws = websocket;
    }
    if (s == State.POLLING) polling.flush();
    else if (s == State.WEBSOCKET && ws != null) ws.flush(toIdleSocket);
  }

  void fireDrain() {
    events.execute(() -> {
      Runnable l = drainListener;
      if (l != null) l.run();
    });
  }

  /** A packet from the client, over {@code from} (the polling transport or a WebSocket). */
  void onPacket(Packet packet, Object from) {
    boolean alive = checkAlive();
    // why even when closed: a WebSocket closed gracefully still writes what is queued, at its
    // client's pace, which only pongs tell
    if (packet.type() == Packet.PONG) {
      onPong();
      return;
    }
    if (!alive) return;
    switch (packet.type()) {
      case Packet.MESSAGE -> events.runHereOrExecute(() -> {
        Consumer<EngineMessage> l = messageListener;
        if (l != null) l.accept(packet.message());
      });
      case Packet.PING -> {
        if (packet.isProbe() && from instanceof WebSocketTransport ws) onProbe(ws);
        else sendControl(OutboundPacket.control("3" + packet.data()));
      }
      case Packet.UPGRADE -> {
        if (from instanceof WebSocketTransport ws) onUpgrade(ws);
      }
      case Packet.CLOSE -> close("transport close", CloseMode.CLIENT);
      default -> { } // noop
    }
  }

  /**
   * Closes the session if its pong deadline has passed, even when the timer thread has not run
   * yet (it can be late on a busy machine), so a request arriving after the deadline never sees a
   * session that is already dead by the protocol's rules.
   *
   * @return whether the session's transport is still open (also while a graceful close flushes)
   */
  boolean checkAlive() {
    if (heartbeat.expired()) close("ping timeout", CloseMode.ABORT);
    return state() != State.CLOSED; // a closing session still takes polls and the upgrade's end
  }

  /** A client sent something unparseable: the spec says the session ends. */
  void onMalformed(String detail) {
    LOG.debug("session {} closed on malformed packet: {}", id, detail);
    close("parse error", CloseMode.ABORT);
  }

  // ---- upgrade ----

  /**
   * How long a GET that arrived after the WebSocket was requested is held past the probe: up to the
   * upgrade packet (then it was sent after it, see {@link PollingTransport#endPollAtUpgrade}), at
   * most this long. Why 10 ms: a client that sends "5" at once sends it with the "2probe", read a
   * moment after it; a compliant client's poll that raced the socket's opening (about half of
   * engine.io-client's upgrades here) waits this out before it can send "5". The reference holds
   * every poll during a probe, up to its 100 ms upgrade check.
   */
  static final Duration HOLD_POLL_DURING_UPGRADE = Duration.ofMillis(10);

  /** Jetty accepted a WebSocket upgrade naming this session; it is opened (and attached) next. */
  void onUpgradeRequested() {
    synchronized (lock) {
      if (state != State.POLLING) return;
      upgradeRequested = true;
      upgradeRequestedAt = server.nanoClock().getAsLong();
    }
  }

  /** Under the lock: whether a WebSocket for this session is probing, or was requested within the upgrade timeout. */
  boolean upgradeUnderWay() {
    if (probe != null) return true;
    if (upgradeRequested && server.nanoClock().getAsLong() - upgradeRequestedAt >= server.config().upgradeTimeout().toNanos()) {
      upgradeRequested = false; // its socket never opened
    }
    return upgradeRequested;
  }

  /** A WebSocket with this sid opened; it becomes the probe, or is refused if one is under way. */
  boolean attachProbe(WebSocketTransport ws) {
    synchronized (lock) {
      upgradeRequested = false;
      if (state != State.POLLING || probe != null) return false;
      upgradeTimer = scheduleOrNull(() -> abandonProbe(ws), server.config().upgradeTimeout());
      if (upgradeTimer == null) return false; // the server is stopping
      probe = ws;
      return true;
    }
  }

  private void onProbe(WebSocketTransport ws) {
    synchronized (lock) {
      if (probe != ws || state != State.POLLING) return;
      state = State.UPGRADING;
    }
    // decided before the pong, so a client that has read it finds the held GET's fate settled
    boolean kept = polling.keepPollSentDuringUpgrade(HOLD_POLL_DURING_UPGRADE);
    ws.sendDirect(OutboundPacket.PONG_PROBE);
    // why: the client paused polling; a GET still hanging must end now or it would hold a
    // connection and could carry packets that belong on the new transport.
    if (!kept) polling.answerPending(OutboundPacket.NOOP);
  }

  private void onUpgrade(WebSocketTransport ws) {
    synchronized (lock) {
      if (probe != ws || (state != State.UPGRADING && state != State.POLLING)) return;
      probe = null;
      websocket = ws;
      state = State.WEBSOCKET;
      transportName = "websocket";
      if (upgradeTimer != null) upgradeTimer.cancel(false);
      upgradeTimer = null;
    }
    polling.endPollAtUpgrade();
    String reason;
    synchronized (lock) {
      reason = closing ? closingReason : null;
    }
    // a graceful close that waited for the upgrade: the new socket carries what is queued, then closes
    if (reason != null) finish(reason, CloseMode.GRACEFUL);
    else ws.flush();
  }

  private void abandonProbe(WebSocketTransport ws) {
    boolean resume;
    synchronized (lock) {
      if (probe != ws) return;
      probe = null;
      resume = state == State.UPGRADING;
      if (resume) state = State.POLLING;
      if (upgradeTimer != null) upgradeTimer.cancel(false);
      upgradeTimer = null;
    }
    ws.close("upgrade abandoned");
    if (resume) polling.flush();
  }

  /** A WebSocket of this session closed (by the peer or after an error). */
  void onTransportClosed(WebSocketTransport ws, boolean error) {
    boolean wasProbe;
    synchronized (lock) {
      wasProbe = probe == ws;
      if (!wasProbe && websocket != ws) return;
    }
    if (wasProbe) {
      abandonProbe(ws);
      return;
    }
    close(error ? "transport error" : "transport close", CloseMode.ABORT);
    // why: a graceful close had already ended the session and left its queue to this socket; the
    // socket is gone, and what it did not write would hold the server's queued memory for good
    synchronized (lock) {
      queue.clear();
    }
  }

  // ---- close ----

  /**
   * Closes the session for the application at once (its close listener runs now); the transport
   * closes now too, except for a graceful close that must wait for a poll or an upgrade to carry
   * the last packets. A second, non-graceful close ends such a wait.
   */
  void close(String reason, CloseMode mode) {
    boolean firstClose;
    boolean finishNow;
    synchronized (lock) {
      if (state == State.CLOSED || (closing && mode == CloseMode.GRACEFUL)) return;
      firstClose = !closing;
      finishNow = mode != CloseMode.GRACEFUL || state == State.WEBSOCKET;
      if (!finishNow) {
        closing = true;
        closingReason = reason;
        closingDeadline = scheduleOrNull(() -> close(reason, CloseMode.ABORT), server.config().pingTimeout());
      }
    }
    if (firstClose) {
      heartbeat.stop();
      if (LOG.isDebugEnabled()) {
        String pace;
        synchronized (lock) {
          pace = this.pace.toString();
        }
        LOG.debug("session {} closed: {} ({})", id, reason, pace);
      }
    }
    if (finishNow) finish(reason, mode);
    else polling.flush(); // a poll already waiting takes the last packets now
    if (firstClose) {
      // why after finish: a listener told of the close must find the session gone from the server
      // (a request naming its id is refused), not still registered for a moment
      events.execute(() -> {
        Consumer<String> l = closeListener;
        if (l != null) l.accept(reason);
      });
    }
  }

  /** Runs {@code task} after {@code delay} on the engine's timer; null once the server is stopping. */
  ScheduledFuture<?> scheduleOrNull(Runnable task, Duration delay) {
    try {
      return server.timer().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return null; // the server is stopping and aborts every session itself
    }
  }

  /**
   * Whether a GET that found this session closed is the poll its client sent before closing it,
   * owed a noop (see {@link LatePolls}); true at most once.
   */
  boolean takeLatePoll() {
    return server.latePolls().take(id);
  }

  /** A graceful close's last packets are on their way: the session ends now. */
  void finishClosing() {
    String reason;
    synchronized (lock) {
      reason = closingReason;
    }
    finish(reason, CloseMode.GRACEFUL);
  }

  /** The transport side of a close: unregisters the session and ends its transports. */
  void finish(String reason, CloseMode mode) {
    WebSocketTransport ws;
    WebSocketTransport pr;
    synchronized (lock) {
      if (state == State.CLOSED) return;
      state = State.CLOSED;
      ws = websocket;
      pr = probe;
      probe = null;
      if (upgradeTimer != null) upgradeTimer.cancel(false);
      upgradeTimer = null;
      if (closingDeadline != null) closingDeadline.cancel(false);
      closingDeadline = null;
      // a graceful close lets the transport send what is queued first
      if (mode != CloseMode.GRACEFUL) queue.clear();
      else if (ws != null) closeOnceWritten = reason;
      // why under the lock, before the session is unregistered: a GET of this client that comes
      // in between finds either a held poll here or the noop owed to it (see LatePolls)
      if (mode == CloseMode.CLIENT && polling != null && ws == null && !polling.hasPendingPoll()) {
        server.latePolls().expect(id);
      }
    }
    heartbeat.stop();
    server.remove(this);
    // why only without a WebSocket: polling's close drops the queue, which the socket still flushes
    if (polling != null && ws == null) polling.onClosed(mode == CloseMode.CLIENT ? OutboundPacket.NOOP : OutboundPacket.CLOSE);
    if (pr != null) pr.close(reason);
    if (ws != null) {
      if (mode == CloseMode.GRACEFUL) ws.closeAfterFlush();
      else ws.close(reason);
    }
  }

  @Override
  public String toString() {
    return "EngineSession[" + id + ", " + transportName + "]";
  }
}
