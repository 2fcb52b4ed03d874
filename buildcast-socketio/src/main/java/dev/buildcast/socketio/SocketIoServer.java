package dev.buildcast.socketio;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.buildcast.socketio.engine.EngineServer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Socket.IO v5 server. Owns an {@link EngineServer}; every Engine.IO session becomes one client
 * that can join any number of namespaces.
 *
 * <pre>{@code
 * SocketIoServer io = SocketIoServer.create(jetty, SocketIoConfig.defaults());
 * jetty.setHandler(io.handler(appHandler));
 * io.namespace("/").onConnect(socket -> socket.emit("hello", "world"));
 * }</pre>
 *
 * <p>The root namespace "/" always exists, as in the reference implementation. Register namespaces,
 * middleware and listeners before starting Jetty; the rest is thread-safe at any time.
 */
public final class SocketIoServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SocketIoServer.class);
  /** The reference server's message for a CONNECT to a namespace that does not exist. */
  public static final String INVALID_NAMESPACE = "Invalid namespace";

  private final EngineServer engine;
  private final SocketIoConfig config;
  private final ObjectMapper mapper;
  private final PacketEncoder encoder;
  private final PacketDecoder decoder;
  private final Timers timers = new Timers();
  private final ConcurrentHashMap<String, Namespace> statics = new ConcurrentHashMap<>();
  private final List<NamespaceGroup> groups = new CopyOnWriteArrayList<>();
  private final Set<Client> clients = ConcurrentHashMap.newKeySet();
  private volatile Function<String, ConnectRefusedException> invalidNamespace =
      name -> new ConnectRefusedException(INVALID_NAMESPACE);

  private SocketIoServer(EngineServer engine, SocketIoConfig config) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.config = Objects.requireNonNull(config, "config");
    this.mapper = Json.mapper(config.maxNestingDepth(), config.engine().maxPayloadBytes());
    this.encoder = new PacketEncoder(mapper);
    this.decoder = new PacketDecoder(mapper, config.maxAttachments());
    namespace("/");
    engine.onConnection(this::accept);
  }

  /** A server on Jetty's Engine.IO implementation; put {@link #handler} in Jetty's handler tree. */
  public static SocketIoServer create(Server jetty, SocketIoConfig config) {
    return new SocketIoServer(EngineServer.create(jetty, config.engine()), config);
  }

  /** A server on any Engine.IO implementation (tests use an in-memory one). */
  public static SocketIoServer create(EngineServer engine, SocketIoConfig config) {
    return new SocketIoServer(engine, config);
  }

  /** A Jetty handler serving the configured path and passing every other request to {@code next}. */
  public Handler handler(Handler next) {
    return engine.handler(next);
  }

  /** The static namespace of that name, created on first call. */
  public Namespace namespace(String name) {
    checkName(name);
    return statics.computeIfAbsent(name, n -> new Namespace(this, n, null));
  }

  /**
   * A new group of dynamic namespaces: names matching the whole pattern (and no static namespace)
   * get a child namespace while sockets are connected to it. Groups are tried in registration order.
   */
  public NamespaceGroup namespace(Pattern pattern) {
    NamespaceGroup group = new NamespaceGroup(this, Objects.requireNonNull(pattern, "pattern"));
    groups.add(group);
    return group;
  }

  /**
   * How a CONNECT to a namespace that neither exists nor matches a group is refused: the refusal
   * made from the namespace's name becomes the client's {@code connect_error}. By default it is
   * the reference server's {@code {"message": "Invalid namespace"}}; an application can say why and
   * add data a page can act on (keep the message starting with {@link #INVALID_NAMESPACE} for
   * clients that compare it). The name is the client's own text, at most 256 characters.
   */
  public void onInvalidNamespace(Function<String, ConnectRefusedException> refusal) {
    this.invalidNamespace = Objects.requireNonNull(refusal, "refusal");
  }

  /** The refusal of a CONNECT to {@code name}, which does not exist. */
  ConnectRefusedException invalidNamespace(String name) {
    try {
      return Objects.requireNonNull(invalidNamespace.apply(name), "refusal");
    } catch (RuntimeException e) {
      log.warn("the invalid-namespace refusal for {} failed; sent the default", name, e);
      return new ConnectRefusedException(INVALID_NAMESPACE);
    }
  }

  /** The namespace of that name if it exists now: static, or a dynamic child with sockets. */
  public Optional<Namespace> of(String name) {
    Namespace ns = statics.get(name);
    if (ns != null) return Optional.of(ns);
    for (NamespaceGroup g : groups) {
      Optional<Namespace> child = g.namespace(name);
      if (child.isPresent()) return child;
    }
    return Optional.empty();
  }

  /** Static namespaces plus the dynamic children that exist now. */
  public int namespaceCount() {
    int n = statics.size();
    for (NamespaceGroup g : groups) n += g.size();
    return n;
  }

  /** Open Engine.IO sessions known to this layer. */
  public int clientCount() {
    return clients.size();
  }

  /** The server's shared ObjectMapper (with its read limits), e.g. to convert handler arguments. */
  public ObjectMapper mapper() {
    return mapper;
  }

  /** The settings this server was created with. */
  public SocketIoConfig config() {
    return config;
  }

  /** Closes every connection ("server shutting down") and stops the timers. */
  @Override
  public void close() {
    try {
      engine.close();
    } finally {
      timers.close();
    }
  }

  // ---- package-private

  PacketEncoder encoder() {
    return encoder;
  }

  PacketDecoder decoder() {
    return decoder;
  }

  Timers timers() {
    return timers;
  }

  /** The namespace a CONNECT to {@code name} joins, with a hold on it if dynamic; null if none. */
  Namespace acquire(String name) {
    Namespace ns = statics.get(name);
    if (ns != null) return ns;
    for (NamespaceGroup g : groups) {
      if (g.matches(name)) return g.acquire(name);
    }
    return null;
  }

  void clientClosed(Client client) {
    clients.remove(client);
  }

  void runListener(Consumer<SocketIoSocket> listener, SocketIoSocket socket) {
    try {
      listener.accept(socket);
    } catch (RuntimeException e) {
      log.warn("{}: connect listener failed", socket, e);
    }
  }

  private void accept(dev.buildcast.socketio.engine.EngineSocket session) {
    Client client = new Client(this, session);
    clients.add(client);
    client.start();
  }

  private static void checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (!name.startsWith("/")) throw new IllegalArgumentException("namespace names start with '/': " + name);
  }
}
