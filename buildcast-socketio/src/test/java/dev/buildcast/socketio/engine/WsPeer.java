package dev.buildcast.socketio.engine;

import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** A test WebSocket endpoint: collects frames (text as is, binary as byte[]) and the close code. */
public final class WsPeer implements Session.Listener {
  final BlockingQueue<Object> frames = new LinkedBlockingQueue<>();
  final CountDownLatch closed = new CountDownLatch(1);
  volatile int closeCode = -1;
  volatile Session session;
  /** While paused the peer reads nothing, so the server's writes back up into TCP buffers. */
  private volatile boolean paused;

  WsPeer() {
    this(false);
  }

  WsPeer(boolean paused) {
    this.paused = paused;
  }

  @Override
  public void onWebSocketOpen(Session session) {
    this.session = session;
    if (!paused) session.demand();
  }

  @Override
  public void onWebSocketText(String message) {
    frames.add(message);
    if (!paused) session.demand();
  }

  void resume() {
    paused = false;
    session.demand();
  }

  @Override
  public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
    byte[] bytes = new byte[payload.remaining()];
    payload.get(bytes);
    frames.add(bytes);
    callback.succeed();
    if (!paused) session.demand();
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason, Callback callback) {
    closeCode = statusCode;
    closed.countDown();
    callback.succeed();
  }

  void send(String text) {
    session.sendText(text, Callback.NOOP);
  }

  void sendBinary(byte[] bytes) {
    session.sendBinary(ByteBuffer.wrap(bytes), Callback.NOOP);
  }

  Object next() throws InterruptedException {
    Object f = frames.poll(60, TimeUnit.SECONDS);
    if (f == null) throw new AssertionError("no frame within 60 s");
    return f;
  }

  /** The next text frame that is not a ping (pings are answered). */
  String nextText() throws InterruptedException {
    while (true) {
      Object f = next();
      if (f instanceof String s) {
        if (s.equals("2")) {
          send("3");
          continue;
        }
        return s;
      }
      throw new AssertionError("expected text, got binary");
    }
  }

  boolean awaitClose() throws InterruptedException {
    return closed.await(60, TimeUnit.SECONDS);
  }
}
