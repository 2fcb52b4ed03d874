package dev.buildcast.socketio;

/**
 * What {@link SocketIoSocket#emit}, {@link SocketIoSocket#emitWithAck} and broadcasts do with a
 * client whose bounded outbound queue refused a packet. {@link SocketIoSocket#send(EncodedPacket)}
 * never applies it: a caller using pre-encoded packets decides for itself.
 */
public enum SlowClientPolicy {
  /**
   * Close the client's whole connection (all its namespaces share one queue) with the reason {@value
   * SlowClientPolicy#SLOW_CLIENT_REASON}; the client may reconnect and catch up. The default: a
   * client silently missing packets is worse than one that knows it was cut off.
   */
  DISCONNECT,
  /** Drop the packet for that client and keep it connected. */
  DROP;

  /** The disconnect reason used by {@link #DISCONNECT}. */
  public static final String SLOW_CLIENT_REASON = "slow client: outbound queue full";
}
