package dev.buildcast.socketio;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A Socket.IO namespace: a channel a client joins with a CONNECT packet, with its own middleware,
 * connect listeners, sockets and rooms. Either static ({@link SocketIoServer#namespace(String)},
 * lives as long as the server) or a child of a {@link NamespaceGroup}, created on the first CONNECT
 * to its name and removed when its last socket leaves.
 *
 * <p>Thread-safe. Middleware and connect listeners run on the connecting client's session thread;
 * register them before clients connect (they apply to connections that start after registration).
 */
public final class Namespace {
  private final SocketIoServer server;
  private final String name;
  private final NamespaceGroup group;
  private final List<Middleware> middleware = new CopyOnWriteArrayList<>();
  private final List<Consumer<SocketIoSocket>> connectListeners = new CopyOnWriteArrayList<>();
  private final ConcurrentHashMap<String, SocketIoSocket> sockets = new ConcurrentHashMap<>();
  private final Rooms rooms = new Rooms();

  /** Sockets connecting or connected; guarded by the group's map entry of this name (dynamic only). */
  int holds;

  Namespace(SocketIoServer server, String name, NamespaceGroup group) {
    this.server = server;
    this.name = name;
    this.group = group;
  }

  /** The name, with its leading slash ("/", "/admin"). */
  public String name() {
    return name;
  }

  /** The group that created this namespace, if it is dynamic. */
  public Optional<NamespaceGroup> group() {
    return Optional.ofNullable(group);
  }

  /** Adds a middleware; it runs after the group's middleware, if any, in the order added. */
  public void use(Middleware m) {
    middleware.add(Objects.requireNonNull(m, "middleware"));
  }

  /** Adds a listener for sockets that connected (after the client got its CONNECT answer). */
  public void onConnect(Consumer<SocketIoSocket> listener) {
    connectListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** The connected sockets, as a snapshot. */
  public Collection<SocketIoSocket> sockets() {
    return List.copyOf(sockets.values());
  }

  /** The number of connected sockets. */
  public int socketCount() {
    return sockets.size();
  }

  /** The connected socket of that id, if any. */
  public Optional<SocketIoSocket> socket(String id) {
    return Optional.ofNullable(sockets.get(id));
  }

  /** The rooms that have members (socket ids included), as a snapshot. */
  public Set<String> rooms() {
    return rooms.names();
  }

  /**
   * Encodes an event once for {@link SocketIoSocket#send(EncodedPacket)} to many sockets of this
   * namespace. See {@link SocketIoSocket#emit} for the arguments.
   */
  public EncodedPacket encode(String event, Object... args) {
    SocketIoSocket.checkEventName(event);
    return new EncodedPacket(name, server.encoder().event(name, Packet.NO_ACK, event, args));
  }

  /**
   * An event of this namespace with one argument that {@code payload} writes as JSON straight into
   * the packet's UTF-8, with no tree and no String in between: for large payloads sent often.
   * Nothing binary (no placeholders are made), no ack.
   */
  public EncodedPacket encodeWritten(String event, JsonPayloadWriter payload) {
    return encodeWritten(event, PacketEncoder.USUAL_WRITTEN_BYTES, payload);
  }

  /**
   * {@link #encodeWritten(String, JsonPayloadWriter)} for a payload of about {@code expectedBytes}
   * bytes of JSON. why: the packet is written into one buffer of that size instead of growing one
   * piece by piece and joining the pieces; a large payload is then copied once, not twice.
   */
  public EncodedPacket encodeWritten(String event, int expectedBytes, JsonPayloadWriter payload) {
    SocketIoSocket.checkEventName(event);
    return new EncodedPacket(name, List.of(server.encoder().writtenEvent(name, event, expectedBytes, payload)));
  }

  /** A broadcast to the sockets in any of these rooms. */
  public BroadcastOperator to(String... rooms) {
    return new BroadcastOperator(this, Set.of(), Set.of()).to(rooms);
  }

  /** A broadcast to every socket except those in any of these rooms (a socket id is a room). */
  public BroadcastOperator except(String... rooms) {
    return new BroadcastOperator(this, Set.of(), Set.of()).except(rooms);
  }

  /**
   * Sends an event to every connected socket of this namespace.
   *
   * @return the number of sockets whose queue refused it (the {@link SlowClientPolicy} was applied)
   */
  public int emit(String event, Object... args) {
    return new BroadcastOperator(this, Set.of(), Set.of()).emit(event, args);
  }

  @Override
  public String toString() {
    return "Namespace[" + name + "]";
  }

  // ---- package-private

  /** The room registry (named so because the public {@link #rooms()} returns names). */
  Rooms roomRegistry() {
    return rooms;
  }



  Collection<SocketIoSocket> liveSockets() {
    return sockets.values();
  }

  /** Runs the group's middleware, then this namespace's; throws what refuses the socket. */
  void runMiddleware(SocketIoSocket socket) throws Exception {
    if (group != null) {
      for (Middleware m : group.middleware()) m.apply(socket);
    }
    for (Middleware m : middleware) m.apply(socket);
  }

  /** Makes a socket that passed middleware a member, in the room of its own id. */
  void admit(SocketIoSocket socket) {
    sockets.put(socket.id(), socket);
    socket.join(socket.id());
    // a disconnect that ran before the put could not remove it; its hold is released already
    if (!socket.isConnected()) sockets.remove(socket.id(), socket);
  }

  void fireConnect(SocketIoSocket socket) {
    if (group != null) {
      for (Consumer<SocketIoSocket> l : group.connectListeners()) server.runListener(l, socket);
    }
    for (Consumer<SocketIoSocket> l : connectListeners) server.runListener(l, socket);
  }

  /**
   * A connected socket left (its rooms already swept): drops it and, if dynamic, its hold. Called
   * once per socket that became connected, so each hold is given back exactly once.
   */
  void remove(SocketIoSocket socket) {
    sockets.remove(socket.id(), socket);
    release();
  }

  /** Gives up a hold taken by {@link SocketIoServer#acquire} (a connect that did not complete). */
  void release() {
    if (group != null) group.release(this);
  }
}
