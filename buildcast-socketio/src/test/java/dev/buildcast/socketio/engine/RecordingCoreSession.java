package dev.buildcast.socketio.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.OutgoingEntry;

/**
 * A Jetty WebSocket session that writes nowhere: it records the frames it is given, grouped into
 * the network writes Jetty would make (a frame not marked "batch" ends one), and holds each
 * write's completion until the test calls {@link #completeWrite}. A close is recorded with the
 * number of writes made before it (it completes at once).
 *
 * <p>Locking: {@code this} guards the lists; callbacks run outside it.
 */
final class RecordingCoreSession extends CoreSession.Empty {
  private final List<List<String>> writes = new ArrayList<>();
  private final List<String> open = new ArrayList<>();
  private final List<Callback> pending = new ArrayList<>();
  private Close close;

  /** The first close asked for: its reason, and how many writes had been made when it was asked. */
  record Close(String reason, int afterWrites) {}

  @Override
  public void sendFrame(OutgoingEntry entry) {
    Callback completion = null;
    synchronized (this) {
      open.add(StandardCharsets.UTF_8.decode(entry.getFrame().getPayload().slice()).toString());
      if (entry.isBatch()) {
        // a batched frame completes with the write that ends its group (how the transport uses it)
        pending.add(entry.getCallback());
        return;
      }
      writes.add(List.copyOf(open));
      open.clear();
      pending.add(entry.getCallback());
      pending.add(null); // marks the end of a write
    }
  }

  @Override
  public void close(int statusCode, String reason, Callback callback) {
    synchronized (this) {
      if (close == null) close = new Close(reason, writes.size());
    }
    callback.succeeded();
  }

  /** The first close asked for, if any. */
  synchronized Optional<Close> close() {
    return Optional.ofNullable(close);
  }

  @Override
  public boolean isOutputOpen() {
    return true;
  }

  @Override
  public boolean isInputOpen() {
    return true;
  }

  /** The text payloads of each network write made so far. */
  synchronized List<List<String>> writes() {
    return List.copyOf(writes);
  }

  /** Completes the oldest write still in flight, as a socket that took the bytes would. */
  void completeWrite() {
    List<Callback> completions = new ArrayList<>();
    synchronized (this) {
      while (!pending.isEmpty()) {
        Callback c = pending.remove(0);
        if (c == null) break;
        completions.add(c);
      }
    }
    completions.forEach(Callback::succeeded);
  }
}
