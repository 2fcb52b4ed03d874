package dev.buildcast.socketio;

import dev.buildcast.socketio.engine.EngineMessage;
import dev.buildcast.socketio.engine.EngineSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An in-memory Engine.IO session for unit tests. "Receiving" calls the message listener on the
 * test's thread, which stands for the session's serial executor.
 */
final class FakeEngineSocket implements EngineSocket {
  private final String id;
  private final Map<String, String> query;
  final List<EngineMessage> sent = new CopyOnWriteArrayList<>();
  private final AtomicInteger room = new AtomicInteger(Integer.MAX_VALUE);
  private volatile Consumer<EngineMessage> messageListener = m -> {};
  private volatile Consumer<String> closeListener = r -> {};
  private volatile Runnable drainListener = () -> {};
  private volatile boolean open = true;
  volatile String closedWith;
  /** Whether the close dropped the queue ({@link #abort}) rather than flushing it. */
  volatile boolean aborted;

  FakeEngineSocket(String id, Map<String, String> query) {
    this.id = id;
    this.query = query;
  }

  /** The pause asked for after each message sent with one, by index in {@link #sent}. */
  final Map<Integer, Duration> pausesAfter = new ConcurrentHashMap<>();

  // ---- test controls

  /** A text message from the client. */
  void receive(String text) {
    messageListener.accept(EngineMessage.text(text));
  }

  /** A binary message from the client. */
  void receive(byte[] data) {
    messageListener.accept(EngineMessage.binary(data));
  }

  /** The client went away (e.g. transport close). */
  void drop(String reason) {
    if (!open) return;
    open = false;
    closeListener.accept(reason);
  }

  /** Only {@code messages} more messages fit in the queue. */
  void limitQueue(int messages) {
    room.set(messages);
  }

  /** The queue has room again. */
  void drain() {
    room.set(Integer.MAX_VALUE);
    drainListener.run();
  }

  /** Texts sent so far. */
  List<String> texts() {
    List<String> texts = new ArrayList<>();
    for (EngineMessage m : sent) if (!m.isBinary()) texts.add(m.text());
    return texts;
  }

  String lastText() {
    List<String> t = texts();
    return t.isEmpty() ? null : t.get(t.size() - 1);
  }

  void clearSent() {
    sent.clear();
  }

  // ---- EngineSocket

  @Override
  public String id() {
    return id;
  }

  @Override
  public String transport() {
    return "websocket";
  }

  @Override
  public Map<String, String> query() {
    return query;
  }

  @Override
  public Map<String, String> headers() {
    return Map.of("user-agent", "fake");
  }

  @Override
  public SocketAddress remoteAddress() {
    return new InetSocketAddress("127.0.0.1", 40000);
  }

  @Override
  public boolean sendEvenIfFull(List<EngineMessage> messages) {
    if (!open) return false;
    sent.addAll(messages);
    return true;
  }

  @Override
  public boolean send(List<EngineMessage> messages) {
    if (!open) return false;
    while (true) {
      int r = room.get();
      if (r < messages.size()) return false;
      if (room.compareAndSet(r, r == Integer.MAX_VALUE ? r : r - messages.size())) break;
    }
    sent.addAll(messages);
    return true;
  }

  @Override
  public synchronized boolean sendThenPause(List<EngineMessage> messages, Duration pause) {
    if (!send(messages)) return false;
    pausesAfter.put(sent.size() - 1, pause);
    return true;
  }

  @Override
  public long queuedBytes() {
    return 0;
  }

  @Override
  public void onMessage(Consumer<EngineMessage> listener) {
    messageListener = listener;
  }

  @Override
  public void onClose(Consumer<String> listener) {
    closeListener = listener;
  }

  @Override
  public void onDrain(Runnable listener) {
    drainListener = listener;
  }

  @Override
  public void close(String reason) {
    if (!open) return;
    open = false;
    closedWith = reason;
    closeListener.accept(reason);
  }

  @Override
  public void abort(String reason) {
    if (open) aborted = true;
    close(reason);
  }

  @Override
  public boolean isOpen() {
    return open;
  }
}
