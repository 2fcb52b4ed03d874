package dev.buildcast.socketio;

import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A broadcast being addressed: {@code namespace.to("room").except(socketId).emit("event", args)}.
 * Immutable; each call returns a new operator. With no room given it addresses the whole
 * namespace. The event is encoded once and the same Engine.IO messages are queued for every
 * recipient.
 */
public final class BroadcastOperator {
  private final Namespace namespace;
  private final Set<String> rooms;
  private final Set<String> except;

  BroadcastOperator(Namespace namespace, Set<String> rooms, Set<String> except) {
    this.namespace = namespace;
    this.rooms = rooms;
    this.except = except;
  }

  /** Also addresses these rooms (sockets in several of them get the event once). */
  public BroadcastOperator to(String... rooms) {
    return new BroadcastOperator(namespace, union(this.rooms, rooms), except);
  }

  /** Leaves out the sockets in any of these rooms; a socket id is the room of that socket alone. */
  public BroadcastOperator except(String... rooms) {
    return new BroadcastOperator(namespace, this.rooms, union(this.except, rooms));
  }

  /**
   * Sends the event to every addressed socket connected now.
   *
   * @return the number of recipients whose queue refused it; the {@link SlowClientPolicy} was
   *     applied to each of them
   */
  public int emit(String event, Object... args) {
    EncodedPacket packet = namespace.encode(event, args);
    int refused = 0;
    for (SocketIoSocket s : recipients()) {
      if (!s.sendOrApplyPolicy(packet.messages())) refused++;
    }
    return refused;
  }

  /** The sockets this broadcast would reach now, as a snapshot. */
  public Set<SocketIoSocket> recipients() {
    Set<SocketIoSocket> to = Collections.newSetFromMap(new IdentityHashMap<>());
    if (rooms.isEmpty()) {
      to.addAll(namespace.liveSockets());
    } else {
      for (String room : rooms) to.addAll(namespace.roomRegistry().members(room));
    }
    for (String room : except) to.removeAll(namespace.roomRegistry().members(room));
    to.removeIf(s -> !s.isConnected());
    return to;
  }

  private static Set<String> union(Set<String> a, String[] b) {
    Set<String> set = new HashSet<>(a);
    for (String s : b) set.add(java.util.Objects.requireNonNull(s, "room"));
    return Set.copyOf(set);
  }
}
