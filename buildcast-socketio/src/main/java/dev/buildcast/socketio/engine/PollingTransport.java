package dev.buildcast.socketio.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * HTTP long-polling for one session: GET requests carry queued packets to the client (held open
 * asynchronously while nothing is queued: no thread waits), POST requests carry the client's
 * packets in. State is guarded by the session's lock; responses are written after it is released.
 */
final class PollingTransport {
  private final EngineSession session;
  private final int maxPayload;
  /** The GET held open while nothing is queued; at most one per session. */
  private PendingPoll pending;
  private boolean posting;

  /**
   * @param sentDuringUpgrade the GET arrived after a WebSocket for the session was requested: a
   *     compliant client that has one in flight then does not send the upgrade packet until it ends
   */
  private record PendingPoll(Response response, Callback callback, boolean sentDuringUpgrade) {}

  PollingTransport(EngineSession session, int maxPayload) {
    this.session = session;
    this.maxPayload = maxPayload;
  }

  boolean hasPendingPoll() {
    synchronized (session.lock) {
      return pending != null;
    }
  }

  boolean isPosting() {
    synchronized (session.lock) {
      return posting;
    }
  }

  void handleGet(Request request, Response response, Callback callback) {
    Rejection rejection = null;
    boolean duplicate = false;
    boolean noop = false;
    boolean[] drained = {false};
    boolean last = false;
    List<OutboundPacket> batch = null;
    PendingPoll held = null;
    synchronized (session.lock) {
      switch (session.state()) {
        case CLOSED -> rejection = Rejection.UNKNOWN_SID;
        case WEBSOCKET -> rejection = Rejection.BAD_REQUEST;
        // why: after a probe the client must not receive packets here; end the poll at once
        case UPGRADING -> noop = true;
        case POLLING -> {
          if (pending != null) {
            duplicate = true;
          } else if (session.isClosing() || !session.queue().isEmpty()) {
            batch = session.queue().takeBatch(maxPayload, drained);
            // the close packet goes alone, in the poll after the last packets (see flush)
            last = session.isClosing() && batch.isEmpty();
          } else {
            held = pending = new PendingPoll(response, callback, session.upgradeUnderWay());
          }
        }
      }
    }
    if (last) {
      batch.add(OutboundPacket.CLOSE);
      session.finishClosing();
    }
    if (rejection == Rejection.UNKNOWN_SID && session.takeLatePoll()) {
      // the client's close was handled between this GET's look-up and here
      HttpReplies.payload(response, callback, List.of(OutboundPacket.NOOP));
    } else if (rejection != null) {
      HttpReplies.reject(response, callback, rejection);
    } else if (duplicate) {
      // The spec: a second concurrent GET is an error and the session closes; the first GET is
      // answered with a close packet by the session close.
      session.close("transport error", EngineSession.CloseMode.ABORT);
      HttpReplies.reject(response, callback, Rejection.BAD_REQUEST);
    } else if (noop) {
      HttpReplies.payload(response, callback, List.of(OutboundPacket.NOOP));
    } else if (batch != null) {
      HttpReplies.payload(response, callback, batch);
      if (drained[0]) session.fireDrain();
    } else {
      PendingPoll poll = held;
      // The client went away (or the connection timed out): forget the poll; the heartbeat
      // decides whether the session is dead.
      request.addFailureListener(failure -> {
        boolean mine;
        synchronized (session.lock) {
          mine = pending == poll;
          if (mine) pending = null;
        }
        if (mine) poll.callback().failed(failure);
      });
    }
  }

  /**
   * Answers the held GET with whatever is queued, if both exist; during a graceful close, a GET
   * that finds the queue empty gets the close packet (alone) and the session ends.
   */
  void flush() {
    PendingPoll poll;
    List<OutboundPacket> batch;
    boolean[] drained = {false};
    boolean last;
    synchronized (session.lock) {
      boolean closing = session.isClosing();
      if (pending == null || session.state() != EngineSession.State.POLLING) return;
      if (session.queue().isEmpty() && !closing) return;
      poll = pending;
      pending = null;
      batch = session.queue().takeBatch(maxPayload, drained);
      // why alone: the JS client handles a close packet at once but hands the packets before it
      // in the same payload to its sockets a tick later, after the close; a DISCONNECT would be lost
      last = closing && batch.isEmpty();
    }
    if (last) {
      batch.add(OutboundPacket.CLOSE);
      session.finishClosing();
    }
    HttpReplies.payload(poll.response(), poll.callback(), batch);
    if (drained[0]) session.fireDrain();
  }

  /**
   * At the probe: keeps a held GET that arrived after the WebSocket was requested, for up to
   * {@code window} (then it gets a noop), so that if the upgrade packet comes meanwhile it is
   * refused as a poll after the upgrade ({@link #endPollAtUpgrade}). Jetty handles the WebSocket's
   * frames and the GET on different threads: the GET a client sends after "2probe" and "5" can be
   * handled before both, and would otherwise end with the probe's noop, 200. A real client's
   * poll is kept only if it raced the WebSocket's opening, and then delays the upgrade by the
   * window. Returns whether a GET was kept.
   */
  boolean keepPollSentDuringUpgrade(Duration window) {
    PendingPoll poll;
    synchronized (session.lock) {
      poll = pending;
      if (poll == null || !poll.sentDuringUpgrade()) return false;
    }
    session.scheduleOrNull(() -> endKeptPoll(poll), window);
    return true;
  }

  private void endKeptPoll(PendingPoll poll) {
    synchronized (session.lock) {
      // the upgrade ended it, or was abandoned and it is an ordinary held poll again
      if (pending != poll || session.state() != EngineSession.State.UPGRADING) return;
      pending = null;
    }
    HttpReplies.payload(poll.response(), poll.callback(), List.of(OutboundPacket.NOOP));
  }

  /**
   * The upgrade packet came: the held GET ends. One held since before the WebSocket was requested
   * gets a noop; one that arrived after it is still held, so (a compliant client sends "5" only
   * once its poll has ended) it was sent after the upgrade, and is refused as such a poll is, 400.
   */
  void endPollAtUpgrade() {
    PendingPoll poll = takePending();
    if (poll == null) return;
    if (poll.sentDuringUpgrade()) HttpReplies.reject(poll.response(), poll.callback(), Rejection.BAD_REQUEST);
    else HttpReplies.payload(poll.response(), poll.callback(), List.of(OutboundPacket.NOOP));
  }

  /** Ends the held GET (if any) with one control packet. */
  void answerPending(OutboundPacket packet) {
    PendingPoll poll = takePending();
    if (poll != null) HttpReplies.payload(poll.response(), poll.callback(), List.of(packet));
  }

  /** The held GET, no longer held; null if none was. */
  private PendingPoll takePending() {
    synchronized (session.lock) {
      PendingPoll poll = pending;
      pending = null;
      return poll;
    }
  }

  /** The session closed: the held GET gets what is still queued (graceful close) and {@code last}. */
  void onClosed(OutboundPacket last) {
    PendingPoll poll;
    List<OutboundPacket> batch = new ArrayList<>();
    synchronized (session.lock) {
      poll = pending;
      pending = null;
      if (poll != null && !session.queue().isEmpty()) batch.addAll(session.queue().takeBatch(maxPayload, new boolean[1]));
      session.queue().clear();
    }
    if (poll != null) {
      batch.add(last);
      HttpReplies.payload(poll.response(), poll.callback(), batch);
    }
  }

  void handlePost(Request request, Response response, Callback callback) {
    // why: refuse a declared oversize before reading a byte of it
    if (request.getLength() > maxPayload) {
      HttpReplies.reject(response, callback, Rejection.PAYLOAD_TOO_LARGE);
      return;
    }
    Rejection rejection = null;
    boolean duplicate = false;
    synchronized (session.lock) {
      switch (session.state()) {
        case CLOSED -> rejection = Rejection.UNKNOWN_SID;
        case WEBSOCKET -> rejection = Rejection.BAD_REQUEST;
        default -> {
          if (posting) duplicate = true;
          else posting = true;
        }
      }
    }
    if (rejection != null) {
      HttpReplies.reject(response, callback, rejection);
      return;
    }
    if (duplicate) {
      session.close("transport error", EngineSession.CloseMode.ABORT);
      HttpReplies.reject(response, callback, Rejection.BAD_REQUEST);
      return;
    }
    new BodyReader(request, response, callback).run();
  }

  private void postDone() {
    synchronized (session.lock) {
      posting = false;
    }
  }

  private void onBody(byte[] body, int length, Response response, Callback callback) {
    postDone();
    List<Packet> packets;
    try {
      packets = EnginePacketCodec.decodePayload(new String(body, 0, length, StandardCharsets.UTF_8));
    } catch (MalformedPacketException e) {
      // closed before answering, so the client never sees the session alive after its 400
      session.onMalformed(e.getMessage());
      HttpReplies.reject(response, callback, Rejection.BAD_REQUEST);
      return;
    }
    for (Packet p : packets) session.onPacket(p, this);
    HttpReplies.text(response, callback, "ok");
  }

  /**
   * Reads a POST body asynchronously (demand/read, no thread parked), counting bytes and giving up
   * with 413 the moment the count passes maxPayload, so an oversized body is never held whole.
   */
  private final class BodyReader implements Runnable {
    private final Request request;
    private final Response response;
    private final Callback callback;
    private byte[] buffer;
    private int length;

    BodyReader(Request request, Response response, Callback callback) {
      this.request = request;
      this.response = response;
      this.callback = callback;
      long declared = request.getLength();
      this.buffer = new byte[declared >= 0 ? (int) declared : Math.min(maxPayload, 8192)];
    }

    @Override
    public void run() {
      while (true) {
        Content.Chunk chunk = request.read();
        if (chunk == null) {
          request.demand(this);
          return;
        }
        if (Content.Chunk.isFailure(chunk)) {
          postDone();
          callback.failed(chunk.getFailure());
          return;
        }
        ByteBuffer bytes = chunk.getByteBuffer();
        int n = bytes.remaining();
        if ((long) length + n > maxPayload) {
          chunk.release();
          postDone();
          HttpReplies.reject(response, callback, Rejection.PAYLOAD_TOO_LARGE);
          return;
        }
        if (length + n > buffer.length) {
          buffer = java.util.Arrays.copyOf(buffer, Math.min(maxPayload, Math.max(buffer.length * 2, length + n)));
        }
        bytes.get(buffer, length, n);
        length += n;
        boolean last = chunk.isLast();
        chunk.release();
        if (last) {
          onBody(buffer, length, response, callback);
          return;
        }
      }
    }
  }
}
