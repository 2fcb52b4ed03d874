package dev.buildcast.socketio.engine;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts open sessions per remote IP address and refuses one past {@link
 * EngineConfig#maxSessionsPerAddress()}, so one client cannot take every session the server can
 * hold. The port is ignored (each connection has its own); a limit of 0 admits everyone.
 */
final class SessionsPerAddress {

  private final int max;
  private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

  SessionsPerAddress(int max) {
    this.max = max;
  }

  boolean hasRoom(SocketAddress remote) {
    return max == 0 || open.getOrDefault(key(remote), 0) < max;
  }

  /** Counts one more session from {@code remote}, unless that would pass the limit. */
  boolean tryAcquire(SocketAddress remote) {
    if (max == 0) return true;
    AtomicBoolean admitted = new AtomicBoolean();
    open.compute(key(remote), (k, n) -> {
      int count = n == null ? 0 : n;
      if (count >= max) return n;
      admitted.set(true);
      return count + 1;
    });
    return admitted.get();
  }

  void release(SocketAddress remote) {
    if (max == 0) return;
    // why remove at zero: the map holds only addresses with open sessions, never every one seen
    open.computeIfPresent(key(remote), (k, n) -> n <= 1 ? null : n - 1);
  }

  private static String key(SocketAddress remote) {
    if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) return inet.getAddress().getHostAddress();
    return String.valueOf(remote);
  }
}
