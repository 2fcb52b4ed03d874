package dev.buildcast.socketio;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One decoded Socket.IO packet.
 *
 * @param type the packet type
 * @param namespace the namespace, "/" when the packet names none
 * @param ackId the acknowledgement id, or {@link #NO_ACK}
 * @param attachments the number of binary attachments announced by the header (binary types only)
 * @param payload the JSON payload, or {@code null} when the packet has none; for binary packets,
 *     after reassembly, attachments are {@link com.fasterxml.jackson.databind.node.BinaryNode}s
 */
record Packet(PacketType type, String namespace, long ackId, int attachments, JsonNode payload) {
  static final long NO_ACK = -1;

  boolean hasAckId() {
    return ackId != NO_ACK;
  }
}
