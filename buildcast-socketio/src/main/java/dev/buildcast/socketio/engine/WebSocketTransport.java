package dev.buildcast.socketio.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
 * <p>Writing: one frame in flight at a time (a Jetty {@link IteratingCallback} walks the session
 * queue), each frame built on the message's cached payload, so a broadcast is never re-encoded
 * per session and a slow client only slows itself. Frames are batched while more are queued and
 * flushed with the last one.
 *
 * <p>Reading: fragments are joined up to maxPayload bytes; a larger message closes the
 * connection with 1009 before it is held whole.
 */
final class WebSocketTransport implements FrameHandler {
  private final JettyEngineServer server;
  private final String sid;
  private final HandshakeInfo handshake;
  private final int maxPayload;
  private final Writer writer = new Writer();
  private volatile CoreSession core;
  private volatile EngineSession session;
  private volatile boolean failed;
  /** Set when the session closed gracefully: close the socket once the queue is written. */
  private volatile String closeWhenFlushed;

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
    EngineSession s = session;
    if (s != null) s.onTransportClosed(this, failed);
    callback.succeeded();
  }

  /** Writes one control packet outside the queue (the upgrade's "3probe", before this is active). */
  void sendDirect(OutboundPacket packet) {
    core.sendFrame(new Frame(OpCode.TEXT, packet.webSocketPayload()), Callback.NOOP, false);
  }

  /** Starts (or continues) writing the session queue. */
  void flush() {
    writer.iterate();
  }

  void closeAfterFlush(String reason) {
    closeWhenFlushed = reason;
    writer.iterate();
  }

  void close(String reason) {
    CoreSession c = core;
    if (c != null) c.close(CloseStatus.NORMAL, reason, Callback.NOOP);
  }

  /** Walks the session queue, one frame in flight; the head leaves the queue once written. */
  private final class Writer extends IteratingCallback {
    @Override
    protected Action process() {
      EngineSession s = session;
      CoreSession c = core;
      if (s == null || c == null) return Action.IDLE;
      OutboundPacket next;
      boolean more;
      synchronized (s.lock) {
        next = s.queue().peek();
        more = s.queue().size() > 1;
      }
      if (next == null) {
        String reason = closeWhenFlushed;
        if (reason != null) c.close(CloseStatus.NORMAL, reason, Callback.NOOP);
        return Action.IDLE;
      }
      byte op = next.isBinaryFrame() ? OpCode.BINARY : OpCode.TEXT;
      c.sendFrame(new Frame(op, next.webSocketPayload()), this, more);
      return Action.SCHEDULED;
    }

    @Override
    protected void onSuccess() {
      EngineSession s = session;
      boolean drained;
      synchronized (s.lock) {
        drained = s.queue().remove();
      }
      if (drained) s.fireDrain();
    }

    @Override
    protected void onCompleteFailure(Throwable cause) {
      failed = true;
      WebSocketTransport.this.close("write failed");
    }
  }
}
