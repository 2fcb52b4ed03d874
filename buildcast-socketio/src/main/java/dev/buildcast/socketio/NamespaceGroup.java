package dev.buildcast.socketio;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Dynamic namespaces: every name matching a pattern. A child {@link Namespace} is created on the
 * first CONNECT to a matching name (before middleware runs, so middleware sees it) and removed as
 * soon as no socket is connected or connecting to it, whether sockets left cleanly, were refused by
 * middleware, or lost their connection. So a server that gives each job its own namespace does not
 * accumulate them.
 *
 * <p>The group's middleware and connect listeners apply to every child, before the child's own.
 * Thread-safe: creation and removal of a child are atomic with respect to connects to the same name.
 */
public final class NamespaceGroup {
  private final SocketIoServer server;
  private final Pattern pattern;
  private final List<Middleware> middleware = new CopyOnWriteArrayList<>();
  private final List<Consumer<SocketIoSocket>> connectListeners = new CopyOnWriteArrayList<>();
  private final ConcurrentHashMap<String, Namespace> children = new ConcurrentHashMap<>();

  NamespaceGroup(SocketIoServer server, Pattern pattern) {
    this.server = server;
    this.pattern = pattern;
  }

  /** The pattern a whole namespace name must match (leading slash included). */
  public Pattern pattern() {
    return pattern;
  }

  /** Adds a middleware run for every connect to a child, before the child's own middleware. */
  public void use(Middleware m) {
    middleware.add(Objects.requireNonNull(m, "middleware"));
  }

  /** Adds a listener for sockets connected to any child. */
  public void onConnect(Consumer<SocketIoSocket> listener) {
    connectListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** The children that exist now, as a snapshot. */
  public Collection<Namespace> namespaces() {
    return List.copyOf(children.values());
  }

  /** The child of that name, if it exists now. */
  public Optional<Namespace> namespace(String name) {
    return Optional.ofNullable(children.get(name));
  }

  /** The number of children that exist now. */
  public int size() {
    return children.size();
  }

  @Override
  public String toString() {
    return "NamespaceGroup[" + pattern + "]";
  }

  // ---- package-private

  boolean matches(String name) {
    return pattern.matcher(name).matches();
  }

  List<Middleware> middleware() {
    return middleware;
  }

  List<Consumer<SocketIoSocket>> connectListeners() {
    return connectListeners;
  }

  /** The child of that name, created if needed, with one more hold on it. */
  Namespace acquire(String name) {
    return children.compute(
        name,
        (k, ns) -> {
          Namespace child = ns != null ? ns : new Namespace(server, name, this);
          child.holds++;
          return child;
        });
  }

  /** Gives a hold back; the child is removed when none is left. */
  void release(Namespace child) {
    children.computeIfPresent(
        child.name(),
        (k, current) -> {
          if (current != child) return current; // already replaced by a newer child of that name
          return --current.holds == 0 ? null : current;
        });
  }
}
