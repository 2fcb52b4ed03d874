package dev.buildcast.limits;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The key a client is limited by: the IP address it connected from (never the port, never a
 * forwarded-for header, which a client could make up). Behind a reverse proxy every client shares
 * the proxy's address; see docs/protocol.md.
 */
public final class ClientAddress {

  private ClientAddress() {}

  public static String of(SocketAddress remote) {
    if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) return inet.getAddress().getHostAddress();
    return String.valueOf(remote);
  }
}
