package dev.buildcast.socket;

import dev.buildcast.socketio.SocketIoSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells waiters when a socket's outbound queue has room again, without lost wake-ups: a waiter
 * notes {@link #generation()} before it tries to send, and {@link #whenDrainedSince} runs its
 * callback at once if a drain happened after that.
 *
 * <p>Concurrency: {@code this} guards the generation and the callbacks; callbacks run outside the
 * lock.
 */
final class DrainSignal {

  private long generation;
  private final List<Runnable> waiting = new ArrayList<>();

  static DrainSignal install(SocketIoSocket socket) {
    DrainSignal signal = new DrainSignal();
    socket.onDrain(signal::drained);
    socket.onDisconnect(reason -> signal.drained());
    return signal;
  }

  synchronized long generation() {
    return generation;
  }

  /** Runs {@code callback} once, after the next drain, or now if one happened since {@code seen}. */
  void whenDrainedSince(long seen, Runnable callback) {
    synchronized (this) {
      if (generation == seen) {
        waiting.add(callback);
        return;
      }
    }
    callback.run();
  }

  /** Blocks until a drain after {@code seen} (or the socket's disconnect). */
  void awaitDrainSince(long seen) throws InterruptedException {
    synchronized (this) {
      while (generation == seen) wait();
    }
  }

  private void drained() {
    List<Runnable> ready;
    synchronized (this) {
      generation++;
      notifyAll();
      ready = List.copyOf(waiting);
      waiting.clear();
    }
    ready.forEach(Runnable::run);
  }
}
