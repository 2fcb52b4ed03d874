package dev.buildcast.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.socketio.engine.EngineMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's membership of one namespace (a client connected to three namespaces over one
 * Engine.IO connection has three sockets).
 *
 * <p>Threading: every method may be called from any thread. Event handlers, middleware and connect
 * listeners run on the session's serial thread (see the package doc). Disconnect listeners run once,
 * on the thread that caused the disconnect: the session's thread when the client or its transport
 * went away, the caller's thread for {@link #disconnect()}.
 *
 * <p>Sending never blocks: {@link #emit} and {@link #send} report whether the client's bounded queue
 * took the packet. On a socket that is not (or no longer) connected they return {@code false}.
 */
public final class SocketIoSocket {
  private static final Logger log = LoggerFactory.getLogger(SocketIoSocket.class);

  private enum State {
    PENDING,
    CONNECTED,
    DISCONNECTED
  }

  /** The Ack handed to handlers of events that asked for none. */
  private static final Ack NO_ACK =
      new Ack() {
        @Override
        public boolean requested() {
          return false;
        }

        @Override
        public boolean send(Object... args) {
          return false;
        }
      };

  private final String id;
  private final Namespace namespace;
  private final Client client;
  private final Handshake handshake;
  private final Map<String, Object> attributes = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, List<EventHandler>> handlers = new ConcurrentHashMap<>();
  private final List<Consumer<String>> disconnectListeners = new CopyOnWriteArrayList<>();
  private final List<Runnable> drainListeners = new CopyOnWriteArrayList<>();
  private final Set<String> rooms = ConcurrentHashMap.newKeySet();
  private final AckRegistry acks;
  private final AtomicReference<State> state = new AtomicReference<>(State.PENDING);
  private volatile String disconnectReason;

  SocketIoSocket(String id, Namespace namespace, Client client, Handshake handshake, Timers timers) {
    this.id = id;
    this.namespace = namespace;
    this.client = client;
    this.handshake = handshake;
    this.acks = new AckRegistry(timers);
  }

  /** The socket id, sent to the client as {@code sid}; also the name of a room holding only this socket. */
  public String id() {
    return id;
  }

  /** The namespace this socket belongs to. */
  public Namespace namespace() {
    return namespace;
  }

  /** What the client presented when connecting (auth payload, query, headers, address). */
  public Handshake handshake() {
    return handshake;
  }

  /** Free-form per-socket data, e.g. what a middleware learnt from the token. Thread-safe; no null values. */
  public Map<String, Object> attributes() {
    return attributes;
  }

  /** The current transport of the underlying connection: {@code "polling"} or {@code "websocket"}. */
  public String transport() {
    return client.engine().transport();
  }

  /** The Engine.IO session id of the underlying connection (shared by the client's sockets). */
  public String connectionId() {
    return client.engine().id();
  }

  /** Whether the socket passed middleware and has not disconnected since. */
  public boolean isConnected() {
    return state.get() == State.CONNECTED;
  }

  /**
   * Adds a handler for an event from the client. Several handlers of one event all run, in the
   * order added, sharing one {@link Ack}. Events nobody handles are ignored.
   */
  public void on(String event, EventHandler handler) {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(handler, "handler");
    handlers.computeIfAbsent(event, e -> new CopyOnWriteArrayList<>()).add(handler);
  }

  /**
   * Adds a listener called once with the reason when this socket leaves its namespace (e.g. "client
   * namespace disconnect", "server namespace disconnect", "transport close", "ping timeout", "parse
   * error", {@value SlowClientPolicy#SLOW_CLIENT_REASON}). Added after the disconnect, it is called
   * at once.
   */
  public void onDisconnect(Consumer<String> listener) {
    Objects.requireNonNull(listener, "listener");
    disconnectListeners.add(listener);
    if (state.get() == State.DISCONNECTED) fireDisconnect();
  }

  /**
   * Adds a listener called when the client's outbound queue has room again after a refused send.
   * Runs on whatever thread the engine reports the drain from; keep it short.
   */
  public void onDrain(Runnable listener) {
    drainListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Sends an event. Arguments are converted with the server's ObjectMapper; {@code byte[]} anywhere
   * in them is sent as a binary attachment (do not change the array afterwards).
   *
   * @return {@code true} if queued; {@code false} if the socket is not connected, or the client's
   *     queue was full, in which case the {@link SlowClientPolicy} has been applied
   * @throws IllegalArgumentException for a reserved event name ("connect", "disconnect", …)
   */
  public boolean emit(String event, Object... args) {
    checkEventName(event);
    if (!isConnected()) return false;
    return sendOrApplyPolicy(client.encoder().event(namespace.name(), Packet.NO_ACK, event, args));
  }

  /** {@link #emitWithAck(Duration, String, Object...)} with the configured default timeout. */
  public CompletableFuture<List<JsonNode>> emitWithAck(String event, Object... args) {
    return emitWithAck(client.config().defaultAckTimeout(), event, args);
  }

  /**
   * Sends an event and asks the client to acknowledge it.
   *
   * @return a future completed with the acknowledgement's arguments (on the session's thread), or
   *     failed with {@link java.util.concurrent.TimeoutException} after {@code timeout}, or with
   *     {@link IllegalStateException} if the socket is not connected, disconnects before the
   *     answer, or the queue was full (then the {@link SlowClientPolicy} has been applied)
   */
  public CompletableFuture<List<JsonNode>> emitWithAck(Duration timeout, String event, Object... args) {
    checkEventName(event);
    Objects.requireNonNull(timeout, "timeout");
    CompletableFuture<List<JsonNode>> future = new CompletableFuture<>();
    if (!isConnected()) {
      future.completeExceptionally(new IllegalStateException("socket is not connected"));
      return future;
    }
    long ackId = acks.register(future, timeout);
    List<EngineMessage> messages;
    try {
      messages = client.encoder().event(namespace.name(), ackId, event, args);
    } catch (RuntimeException e) {
      acks.forget(ackId);
      throw e;
    }
    if (!sendOrApplyPolicy(messages)) {
      acks.forget(ackId);
      future.completeExceptionally(new IllegalStateException("not sent: socket disconnected or queue full"));
    }
    return future;
  }

  /**
   * Sends a packet encoded once by {@link Namespace#encode} for many sockets. Never applies the
   * {@link SlowClientPolicy}: the caller decides what a refusal means.
   *
   * @return {@code true} if queued; {@code false} if not connected or the queue had no room (then
   *     nothing was queued)
   * @throws IllegalArgumentException if the packet was encoded for another namespace
   */
  public boolean send(EncodedPacket packet) {
    if (!packet.namespace().equals(namespace.name())) {
      throw new IllegalArgumentException(
          "packet for " + packet.namespace() + " sent to a socket of " + namespace.name());
    }
    return isConnected() && client.send(packet.messages());
  }

  /**
   * Joins a room of this namespace. Only a connected socket can join (call it from a connect
   * listener or later); on a disconnected socket it does nothing.
   */
  public void join(String room) {
    Objects.requireNonNull(room, "room");
    if (!isConnected()) return;
    rooms.add(room);
    namespace.roomRegistry().add(room, this);
    // why re-check: a disconnect running concurrently may have swept the rooms before the add above
    if (!isConnected()) leave(room);
  }

  /** Leaves a room; does nothing if the socket is not in it. */
  public void leave(String room) {
    if (rooms.remove(room)) namespace.roomRegistry().remove(room, this);
  }

  /** The rooms this socket is in, its own id included; a snapshot. */
  public Set<String> rooms() {
    return Set.copyOf(rooms);
  }

  /** A broadcast to these rooms of this namespace that leaves this socket out. */
  public BroadcastOperator to(String... rooms) {
    return namespace.to(rooms).except(id);
  }

  /** Leaves the namespace: sends DISCONNECT to the client; the connection stays for its other namespaces. */
  public void disconnect() {
    disconnect(false);
  }

  /**
   * Leaves the namespace; with {@code closeConnection}, as the reference server does, sends
   * DISCONNECT for every namespace of this client and then closes the underlying connection. The
   * client then knows the server ended it on purpose and does not reconnect by itself (unlike a
   * transport close, e.g. the {@link SlowClientPolicy#DISCONNECT} of a slow client).
   */
  public void disconnect(boolean closeConnection) {
    if (closeConnection) {
      client.disconnectAll();
      return;
    }
    if (!isConnected()) return;
    // why even if full: a client that fell behind must still learn it was disconnected, or it waits on a dead namespace
    client.sendEvenIfFull(List.of(client.encoder().control(PacketType.DISCONNECT, namespace.name(), null)));
    teardown("server namespace disconnect");
  }

  @Override
  public String toString() {
    return "SocketIoSocket[" + id + " " + namespace.name() + "]";
  }

  // ---- package-private: driven by Client and Namespace

  Client client() {
    return client;
  }

  /** Middleware passed: the socket becomes connected. */
  boolean markConnected() {
    return state.compareAndSet(State.PENDING, State.CONNECTED);
  }

  /** Refused or abandoned before connecting. */
  void markDiscarded() {
    state.set(State.DISCONNECTED);
  }

  boolean sendOrApplyPolicy(List<EngineMessage> messages) {
    if (!isConnected()) return false;
    if (client.send(messages)) return true;
    client.refused();
    return false;
  }

  void dispatch(Packet packet) {
    JsonNode payload = packet.payload();
    String event = payload.get(0).textValue();
    List<EventHandler> list = handlers.get(event);
    if (list == null || list.isEmpty()) {
      log.debug("{}: no handler for event '{}'", this, event);
      return;
    }
    List<JsonNode> args = rest(payload, 1);
    Ack ack = packet.hasAckId() ? new ClientAck(packet.ackId()) : NO_ACK;
    for (EventHandler h : list) {
      try {
        h.handle(args, ack);
      } catch (Throwable t) {
        if (t instanceof VirtualMachineError e) throw e;
        // why not close: a bug in one handler must not cut the client off
        log.warn("{}: handler of event '{}' failed", this, event, t);
      }
    }
  }

  void onAck(Packet packet) {
    acks.complete(packet.ackId(), rest(packet.payload(), 0));
  }

  void drained() {
    for (Runnable r : drainListeners) {
      try {
        r.run();
      } catch (RuntimeException e) {
        log.warn("{}: drain listener failed", this, e);
      }
    }
  }

  /** Leaves the namespace for good; only the first call does anything. */
  boolean teardown(String reason) {
    if (!state.compareAndSet(State.CONNECTED, State.DISCONNECTED)) return false;
    disconnectReason = reason;
    client.forget(this);
    for (String room : List.copyOf(rooms)) leave(room);
    namespace.remove(this);
    acks.failAll(new IllegalStateException("socket disconnected: " + reason));
    fireDisconnect();
    return true;
  }

  int pendingAcks() {
    return acks.size();
  }

  private void fireDisconnect() {
    String reason = disconnectReason;
    for (Consumer<String> l : disconnectListeners) {
      if (!disconnectListeners.remove(l)) continue; // another thread took it: each runs once
      try {
        l.accept(reason);
      } catch (RuntimeException e) {
        log.warn("{}: disconnect listener failed", this, e);
      }
    }
  }

  private static List<JsonNode> rest(JsonNode array, int from) {
    List<JsonNode> list = new ArrayList<>(Math.max(array.size() - from, 0));
    for (int i = from; i < array.size(); i++) list.add(array.get(i));
    return Collections.unmodifiableList(list);
  }

  static void checkEventName(String event) {
    Objects.requireNonNull(event, "event");
    if (PacketDecoder.RESERVED_EVENTS.contains(event)) {
      throw new IllegalArgumentException("reserved event name: " + event);
    }
  }

  private final class ClientAck implements Ack {
    private final long ackId;
    private final AtomicBoolean sent = new AtomicBoolean();

    ClientAck(long ackId) {
      this.ackId = ackId;
    }

    @Override
    public boolean requested() {
      return true;
    }

    @Override
    public boolean send(Object... args) {
      if (!sent.compareAndSet(false, true)) return false;
      if (!isConnected()) return false;
      return client.send(client.encoder().ack(namespace.name(), ackId, args));
    }
  }
}
