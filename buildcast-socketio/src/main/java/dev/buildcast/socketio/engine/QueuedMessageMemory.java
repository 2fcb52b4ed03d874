package dev.buildcast.socketio.engine;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of all distinct messages held by the outbound queues of one engine server, against a
 * bound for the whole server.
 *
 * <p>Why a second bound beside each queue's own: a queue's bound keeps one slow client from
 * growing the heap, but a thousand slow clients each at their bound would still take the server
 * down. Why distinct messages: a broadcast queues one shared {@link EngineMessage} in every
 * recipient's queue, so counting it per queue would make a thousand watchers of the same job
 * look like a thousand copies and refuse them for memory they do not use. A message is charged
 * when the first queue takes it and released when the last queue lets it go; what really grows
 * the heap, a message made for one session (a catch-up read from disk, a reply), is charged in
 * full.
 *
 * <p>The check before an offer reads counters other sessions change under their own locks, so
 * concurrent offers can pass the bound by at most one batch each; the count itself is exact.
 */
final class QueuedMessageMemory {
  private final long maxBytes;
  private final AtomicLong bytes = new AtomicLong();

  /** @param maxBytes the bound for the server; {@link Long#MAX_VALUE} for none */
  QueuedMessageMemory(long maxBytes) {
    if (maxBytes <= 0) throw new IllegalArgumentException("maxBytes must be positive");
    this.maxBytes = maxBytes;
  }

  /** No bound (each queue only has its own). */
  static QueuedMessageMemory unbounded() {
    return new QueuedMessageMemory(Long.MAX_VALUE);
  }

  /** Whether queueing {@code batch} would keep the server within its bound. */
  boolean hasRoomFor(List<EngineMessage> batch) {
    long added = 0;
    for (EngineMessage m : batch) {
      if (!m.isQueued()) added += m.size();
    }
    return added == 0 || bytes.get() + added <= maxBytes;
  }

  /** Counts {@code message} as taken by one more queue. */
  void taken(EngineMessage message) {
    if (message.queuedOnceMore()) bytes.addAndGet(message.size());
  }

  /** Counts {@code message} as let go by one queue. */
  void released(EngineMessage message) {
    if (message.queuedOnceLess()) bytes.addAndGet(-message.size());
  }

  /** The bytes of the distinct messages queued now. */
  long bytes() {
    return bytes.get();
  }
}
