package dev.buildcast.socketio;

import dev.buildcast.socketio.engine.EngineMessage;
import java.util.List;

/**
 * An EVENT encoded once, for sending to many sockets of one namespace with {@link
 * SocketIoSocket#send(EncodedPacket)}: the Engine.IO messages (the packet text, then one binary
 * message per attachment) are immutable and shared by every recipient, so a log line fanned out to a
 * thousand browsers is serialised once. Obtain one from {@link Namespace#encode}.
 */
public final class EncodedPacket {
  private final String namespace;
  private final List<EngineMessage> messages;

  EncodedPacket(String namespace, List<EngineMessage> messages) {
    this.namespace = namespace;
    this.messages = List.copyOf(messages);
  }

  /**
   * Several packets of one namespace as one, so that {@link SocketIoSocket#send(EncodedPacket)}
   * queues all of them or none (the messages stay shared, nothing is re-encoded).
   *
   * @throws IllegalArgumentException when empty or addressed to different namespaces
   */
  public static EncodedPacket concat(List<EncodedPacket> packets) {
    if (packets.isEmpty()) throw new IllegalArgumentException("no packets to concatenate");
    if (packets.size() == 1) return packets.getFirst();
    String ns = packets.getFirst().namespace;
    List<EngineMessage> all = new java.util.ArrayList<>();
    for (EncodedPacket p : packets) {
      if (!p.namespace.equals(ns)) {
        throw new IllegalArgumentException("packets for " + ns + " and " + p.namespace + " cannot be sent as one");
      }
      all.addAll(p.messages);
    }
    return new EncodedPacket(ns, all);
  }

  /** The name of the namespace this packet is addressed to. */
  public String namespace() {
    return namespace;
  }

  /** The Engine.IO messages: the packet text first, then its binary attachments. */
  public List<EngineMessage> messages() {
    return messages;
  }

  /** Approximate size in bytes, as the engine's queue counts it. */
  public long size() {
    long size = 0;
    for (EngineMessage m : messages) size += m.size();
    return size;
  }
}
