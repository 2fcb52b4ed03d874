package dev.buildcast.socketio.engine;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The ids of long-polling sessions that their client closed (close packet in a POST) while no GET
 * of theirs was held, each owed one noop for a GET still on its way.
 *
 * <p>why: a polling client keeps a GET open at all times and sends its close in a POST on
 * another connection, often at the same instant. The reference server reads both on one thread in
 * the order they were sent: it holds the GET, then answers it with a noop when the close arrives.
 * Jetty reads the two connections on different threads in no fixed order, and under load the
 * close is often handled first; the GET then found no session and got 400. With this record the
 * client gets the same answers whichever request is handled first: the first GET that comes for
 * such a session within {@code window} gets the noop it would have got if held, and every request
 * after it (or after the window) is refused as for any unknown session.
 *
 * <p>Bounded: at most {@code capacity} ids are remembered (past that a late GET gets 400, as on the
 * reference when the close wins), each for {@code window}; expired ones are dropped as new ones
 * come. The clock is injected so the expiry can be tested without waiting.
 */
final class LatePolls {
  private final long windowNanos;
  private final int capacity;
  private final LongSupplier nanoClock;
  /** sid → when its noop stops being owed; in insertion order, which is also deadline order. */
  private final LinkedHashMap<String, Long> owed = new LinkedHashMap<>();

  LatePolls(Duration window, int capacity, LongSupplier nanoClock) {
    this.windowNanos = window.toNanos();
    this.capacity = capacity;
    this.nanoClock = nanoClock;
  }

  /** Session {@code sid} was closed by its client with no GET held: owe its next GET a noop. */
  synchronized void expect(String sid) {
    long now = nanoClock.getAsLong();
    dropExpired(now);
    if (owed.size() < capacity) owed.put(sid, now + windowNanos);
  }

  /**
   * Whether a GET for {@code sid} is owed its noop now; true at most once per {@link #expect}, and
   * only within the window.
   */
  synchronized boolean take(String sid) {
    if (owed.isEmpty()) return false;
    Long deadline = owed.remove(sid);
    return deadline != null && nanoClock.getAsLong() - deadline < 0;
  }

  /** How many ids are remembered (tests check the bound and the expiry). */
  synchronized int size() {
    return owed.size();
  }

  private void dropExpired(long now) {
    Iterator<Map.Entry<String, Long>> oldest = owed.entrySet().iterator();
    while (oldest.hasNext() && now - oldest.next().getValue() >= 0) oldest.remove();
  }
}
