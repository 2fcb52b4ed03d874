package dev.buildcast.socketio;

import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rooms of one namespace: room name → member sockets. A room exists only while it has members,
 * so rooms never accumulate. Thread-safe: membership changes of a room are atomic per room.
 */
final class Rooms {
  private final ConcurrentHashMap<String, Set<SocketIoSocket>> members = new ConcurrentHashMap<>();

  void add(String room, SocketIoSocket socket) {
    members.compute(
        room,
        (k, set) -> {
          Set<SocketIoSocket> s = set != null ? set : ConcurrentHashMap.newKeySet();
          s.add(socket);
          return s;
        });
  }

  void remove(String room, SocketIoSocket socket) {
    members.computeIfPresent(
        room,
        (k, set) -> {
          set.remove(socket);
          return set.isEmpty() ? null : set; // why null: drop empty rooms so they cannot pile up
        });
  }

  /** The members of a room (a live, weakly consistent view), empty if there is no such room. */
  Set<SocketIoSocket> members(String room) {
    Set<SocketIoSocket> set = members.get(room);
    return set != null ? Collections.unmodifiableSet(set) : Set.of();
  }

  /** The names of the rooms that have members, as a snapshot. */
  Set<String> names() {
    return Set.copyOf(members.keySet());
  }

  int size() {
    return members.size();
  }
}
