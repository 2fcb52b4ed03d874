package dev.buildcast.socketio.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.exception.MessageTooLargeException;

/**
 * The WebSocket transport of one session, on Jetty's core WebSocket API: one Engine.IO packet
 * per message, text or binary (raw bytes, no "b" prefix).
 *
 * <p>Writing: one write in flight at a time (a Jetty {@link IteratingCallback} walks the session
 * queue), each frame built on the message's cached payload, so a broadcast is never re-encoded
 * per session and a slow client only slows itself. A write takes every packet queued (up to
 * {@link #MAX_FRAMES_PER_WRITE}) and hands them to Jetty as one batch, which it puts into as few
 * network writes as it can. Nothing ever waits for more packets: an idle socket's writer starts
 * as soon as a packet is queued, and what is queued while a write is in flight (or while the
 * writer waits for its thread) leaves together in the next write, the way a Node socket's write
 * queue behaves. So batches are what load makes them, never a delay paid when idle. What a write
 * may take is also bounded by how far the client is behind in reading ({@link ClientPace}, kept
 * by the session): probe pings follow the data, and messages wait for a pong when it is too far.
 *
 * <p>Reading: fragments are joined up to maxPayload bytes; a larger message closes the
 * connection with 1009 before it is held whole.
 */
final class WebSocketTransport implements FrameHandler {
  /** Why a bound: a write's packets leave the queue only once written, and a batch holds a buffer. */
  static final int MAX_FRAMES_PER_WRITE = 256;
  static final int MAX_BYTES_PER_WRITE = 256 * 1024;

  private final JettyEngineServer server;
  private final String sid;
  private final HandshakeInfo handshake;
  private final int maxPayload;
  private final Writer writer = new Writer();
  /** A writer run is handed to the engine's writers and has not started yet. */
  private final AtomicBoolean writeScheduled = new AtomicBoolean();
  private volatile CoreSession core;
  private volatile EngineSession session;
  private volatile boolean failed;
  private volatile boolean closed;
  /** Cuts the socket off if a close does not complete; cancelled on close, as it holds the queue. */
  private volatile ScheduledFuture<?> abortTimer;

  private byte messageOpCode = -1;
  private byte[] message = new byte[0];
  private int messageLength;

  /**
   * @param sid the session to upgrade, or null for a new WebSocket-only session
   */
  WebSocketTransport(JettyEngineServer server, String sid, HandshakeInfo handshake) {
    this.server = server;
    this.sid = sid;
    this.handshake = handshake;
    this.maxPayload = server.config().maxPayloadBytes();
  }

  @Override
  public void onOpen(CoreSession coreSession, Callback callback) {
    this.core = coreSession;
    callback.succeeded();
    EngineSession s = sid == null ? server.openWebSocketSession(this, handshake) : server.attachProbe(sid, this);
    if (s == null) {
      // a second WebSocket for one session, or the session is gone: the spec says close it
      coreSession.close(CloseStatus.POLICY_VIOLATION, "session unavailable", Callback.NOOP);
      return;
    }
    coreSession.demand();
  }

  /** Ties this socket to its session; called before the session can write to it. */
  void bind(EngineSession s) {
    this.session = s;
  }

  @Override
  public void onFrame(Frame frame, Callback callback) {
    byte op = frame.getOpCode();
    switch (op) {
      case OpCode.TEXT, OpCode.BINARY -> {
        messageOpCode = op;
        messageLength = 0;
      }
      case OpCode.CONTINUATION -> { }
      case OpCode.CLOSE -> {
        callback.succeeded(); // core answers the close
        return;
      }
      default -> { // ping/pong: core answers a ping the handler left unanswered
        callback.succeeded();
        core.demand();
        return;
      }
    }
    ByteBuffer payload = frame.getPayload();
    int n = payload == null ? 0 : payload.remaining();
    if ((long) messageLength + n > maxPayload) {
      callback.failed(new MessageTooLargeException("message over maxPayload " + maxPayload));
      return;
    }
    if (messageLength + n > message.length) message = Arrays.copyOf(message, Math.max(messageLength + n, message.length * 2));
    if (n > 0) payload.get(message, messageLength, n);
    messageLength += n;
    if (frame.isFin()) deliver();
    callback.succeeded();
    if (core.isInputOpen()) core.demand();
  }

  private void deliver() {
    EngineSession s = session;
    byte[] bytes = Arrays.copyOf(message, messageLength);
    messageLength = 0;
    if (message.length > 4096) message = new byte[0]; // why: do not keep a big buffer per idle socket
    if (s == null) return;
    if (messageOpCode == OpCode.BINARY) {
      s.onPacket(new Packet(Packet.MESSAGE, "", EngineMessage.binary(bytes)), this);
      return;
    }
    try {
      s.onPacket(EnginePacketCodec.decodeText(new String(bytes, StandardCharsets.UTF_8)), this);
    } catch (MalformedPacketException e) {
      s.onMalformed(e.getMessage());
    }
  }

  @Override
  public void onError(Throwable cause, Callback callback) {
    failed = true;
    callback.succeeded();
  }

  @Override
  public void onClosed(CloseStatus closeStatus, Callback callback) {
    closed = true;
    // why: the pending abort would keep this socket, its session and a full queue reachable
    // for the rest of the ping timeout
    cancelAbortTimer();
    EngineSession s = session;
    if (s != null) s.onTransportClosed(this, failed);
    callback.succeeded();
  }

  /** Writes one control packet outside the queue (the upgrade's "3probe", before this is active). */
  void sendDirect(OutboundPacket packet) {
    core.sendFrame(new Frame(OpCode.TEXT, packet.webSocketPayload()), Callback.NOOP, false);
  }

  /**
   * Starts (or continues) writing the session queue, at once. A producer on its own thread only
   * queues: each socket's writer runs on the engine's writers and takes everything queued by the
   * time it runs, at most one run pending per socket; a producer running a task {@link
   * WritesAfterTask#around} (the broadcaster sending to many sockets) runs that writer itself once
   * the task ends. A listener answering its client (an ack, a reply) starts the write on its own
   * thread instead: it is off the I/O threads already, and a hand-over would add a thread switch
   * to every round trip. Either way, while a write is in flight this only marks that the writer
   * must look again when that write completes, and never blocks.
   */
  void flush() {
    flush(false);
  }

  /**
   * @param toIdleSocket the packets queued are all this socket has to write: then a task run
   *     {@link WritesAfterTask#around} writes them itself (and what it queues after them). why
   *     only then: a socket with a backlog keeps its writer on the engine's writers, so one thread
   *     never writes the backlogs of many; measured, writing those too on the broadcaster lost
   *     more watchers of a 200-watcher flood (bench/README.md)
   */
  void flush(boolean toIdleSocket) {
    if (SerialExecutor.isRunningListeners()) {
      writer.iterate();
      return;
    }
    // why not marked as scheduled: a send from another thread meanwhile still hands its write over
    if (WritesAfterTask.defer(this, toIdleSocket)) return;
    if (!writeScheduled.compareAndSet(false, true)) return;
    try {
      server.writers().execute(this::scheduledWrite);
    } catch (RejectedExecutionException e) { // the server is stopping: write now
      scheduledWrite();
    }
  }

  /** Writes what is queued on this thread (a write in flight takes it when it completes). */
  void writeQueued() {
    writer.iterate();
  }

  private void scheduledWrite() {
    writeScheduled.set(false);
    writer.iterate();
  }

  /**
   * The session ended gracefully: writes what is queued, then closes (the session tells the writer
   * when, see {@link EngineSession#nextWrite}); cut off if that has not happened within the ping
   * timeout.
   */
  void closeAfterFlush() {
    abortIfNotClosedIn(server.config().pingTimeout());
    writer.iterate();
  }

  void close(String reason) {
    CoreSession c = core;
    if (c == null) return;
    c.close(CloseStatus.NORMAL, reason, Callback.NOOP);
    // why: a client that stopped reading never takes the close frame either
    abortIfNotClosedIn(server.config().pingTimeout());
  }

  private void abortIfNotClosedIn(Duration grace) {
    if (abortTimer != null || closed) return;
    try {
      abortTimer = server.timer().schedule(this::abortIfOpen, grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      abortIfOpen(); // the server is stopping
    }
    if (closed) cancelAbortTimer(); // closed while scheduling
  }

  private void cancelAbortTimer() {
    var timer = abortTimer;
    if (timer != null) timer.cancel(false);
  }

  private void abortIfOpen() {
    if (closed) return;
    // the session is gone from the registry by now: its queue goes with this socket
    CoreSession c = core;
    if (c != null) c.abort();
  }

  /** Walks the session queue, one write in flight; its packets leave the queue once written. */
  private final class Writer extends IteratingCallback {
    private int inFlight;

    @Override
    protected Action process() {
      EngineSession s = session;
      CoreSession c = core;
      if (s == null || c == null) return Action.IDLE;
      EngineSession.NextWrite next = s.nextWrite(MAX_FRAMES_PER_WRITE, MAX_BYTES_PER_WRITE);
      List<OutboundPacket> batch = next.packets();
      if (batch.isEmpty()) {
        if (next.closeReason() != null) c.close(CloseStatus.NORMAL, next.closeReason(), Callback.NOOP);
        return Action.IDLE;
      }
      inFlight = next.fromQueue();
      int last = batch.size() - 1;
      for (int i = 0; i <= last; i++) {
        OutboundPacket p = batch.get(i);
        Frame frame = new Frame(p.isBinaryFrame() ? OpCode.BINARY : OpCode.TEXT, p.webSocketPayload());
        // why only the last frame completes the write: Jetty fails every frame of a failed flush,
        // the last one included, and succeeds the last one only after all before it
        if (i < last) c.sendFrame(frame, Callback.NOOP, true);
        else c.sendFrame(frame, this, false);
      }
      return Action.SCHEDULED;
    }

    @Override
    protected void onSuccess() {
      EngineSession s = session;
      boolean drained = false;
      synchronized (s.lock) {
        for (int i = 0; i < inFlight; i++) drained |= s.queue().remove();
      }
      inFlight = 0;
      if (drained) s.fireDrain();
    }

    @Override
    protected void onCompleteFailure(Throwable cause) {
      failed = true;
      WebSocketTransport.this.close("write failed");
    }
  }
}
