package dev.buildcast.socketio.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The bounded outbound queue of one session, shared by both transports so that an upgrade can
 * neither lose nor duplicate nor reorder a packet: whichever transport is active takes from the
 * head.
 *
 * <p>Not thread-safe: the owning {@link EngineSession} guards it with its lock.
 *
 * <p>Messages count against {@code maxBytes} and {@code maxMessages}; a batch that does not fit is
 * refused whole, except by an empty queue, which takes any batch: a batch larger than the bounds
 * would otherwise be refused forever, and its sender would wait for a drain that never comes. So
 * the queue holds at most the bounds or one batch, whichever is larger. Control packets (ping,
 * noop…) are never refused: they are tiny and the protocol needs them. After a refusal, {@link
 * #remove} reports "drained" once the queue is back below half of both bounds, so the caller is
 * woken once rather than on every freed byte.
 *
 * <p>A non-empty queue also refuses a batch that would take the server's {@link
 * QueuedMessageMemory} past its bound; the sender is woken as for its own bound, when this queue
 * has drained (it holds packets, so it will, or its client is gone).
 */
final class OutboundQueue {
  private final long maxBytes;
  private final int maxMessages;
  private final QueuedMessageMemory memory;
  private final ArrayDeque<OutboundPacket> packets = new ArrayDeque<>();
  private long bytes;
  private int messages;
  private boolean refused;

  /** A queue bounded only by its own limits. */
  OutboundQueue(long maxBytes, int maxMessages) {
    this(maxBytes, maxMessages, QueuedMessageMemory.unbounded());
  }

  OutboundQueue(long maxBytes, int maxMessages, QueuedMessageMemory memory) {
    this.maxBytes = maxBytes;
    this.maxMessages = maxMessages;
    this.memory = memory;
  }

  /** Adds all messages or none. */
  boolean offer(List<EngineMessage> batch) {
    long batchBytes = 0;
    for (EngineMessage m : batch) batchBytes += m.size();
    if (messages > 0 && (bytes + batchBytes > maxBytes || messages + batch.size() > maxMessages || !memory.hasRoomFor(batch))) {
      refused = true;
      return false;
    }
    for (EngineMessage m : batch) add(m);
    bytes += batchBytes;
    messages += batch.size();
    return true;
  }

  /** Adds {@code batch} whatever the bound says (for the few bytes that end a namespace). */
  void offerPastBound(List<EngineMessage> batch) {
    for (EngineMessage m : batch) {
      add(m);
      bytes += m.size();
      messages++;
    }
  }

  private void add(EngineMessage m) {
    packets.addLast(OutboundPacket.message(m));
    memory.taken(m);
  }

  void offerControl(OutboundPacket packet) {
    packets.addLast(packet);
  }

  boolean isEmpty() {
    return packets.isEmpty();
  }

  /** The packet queued last; null when the queue is empty. */
  OutboundPacket last() {
    return packets.peekLast();
  }

  /**
   * The first packets, without removing them: at most {@code maxPackets}, and no more than
   * {@code maxBytes} of messages unless the first alone is larger (it is still taken); without
   * {@code messagesToo}, only the control packets ahead of the first message.
   */
  List<OutboundPacket> peekFirst(int maxPackets, long maxBytes, boolean messagesToo) {
    List<OutboundPacket> first = new ArrayList<>(Math.min(maxPackets, packets.size()));
    long size = 0;
    for (OutboundPacket p : packets) {
      if (first.size() == maxPackets || (!first.isEmpty() && size + p.queuedSize() > maxBytes)) break;
      if (!messagesToo && p.isMessage()) break;
      first.add(p);
      size += p.queuedSize();
    }
    return first;
  }

  /**
   * Removes the head.
   *
   * @return true when this removal ended a refusal (time to tell the sender it may send again)
   */
  boolean remove() {
    OutboundPacket p = packets.pollFirst();
    if (p != null && p.isMessage()) {
      bytes -= p.queuedSize();
      messages--;
      memory.released(p.message());
    }
    if (refused && bytes <= maxBytes / 2 && messages <= maxMessages / 2) {
      refused = false;
      return true;
    }
    return false;
  }

  /**
   * Takes packets from the head whose joined polling form fits in {@code maxPayloadBytes}; always at
   * least one, so a single large message still gets through.
   *
   * @param drained set to element 0 = true when this take ended a refusal
   */
  List<OutboundPacket> takeBatch(int maxPayloadBytes, boolean[] drained) {
    List<OutboundPacket> batch = new ArrayList<>();
    long size = 0;
    while (!packets.isEmpty()) {
      int next = packets.peekFirst().pollingBytes().length + (batch.isEmpty() ? 0 : 1);
      if (!batch.isEmpty() && size + next > maxPayloadBytes) break;
      batch.add(packets.peekFirst());
      size += next;
      drained[0] |= remove();
    }
    return batch;
  }

  void clear() {
    for (OutboundPacket p : packets) {
      if (p.isMessage()) memory.released(p.message());
    }
    packets.clear();
    bytes = 0;
    messages = 0;
  }

  /** All queued packets, control ones included. */
  int size() {
    return packets.size();
  }

  long bytes() {
    return bytes;
  }

  int messages() {
    return messages;
  }
}
