package dev.buildcast.generator.openevent;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether the server may send a request to an address an export names, so that an upload
 * cannot turn the server into a reader of its own network (SSRF). Only http(s) with a host; the host
 * must be on the operator's list when there is one; and every address the name resolves to must be
 * a public one unless the operator allows private addresses. Each redirect's target goes through
 * the same check.
 */
final class ImageAddressGuard {

  /** Resolves a host name to its addresses; the JDK's resolver in production, a table in tests. */
  @FunctionalInterface
  interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final List<String> allowedHosts;
  private final boolean allowPrivateAddresses;
  private final Resolver resolver;

  ImageAddressGuard(List<String> allowedHosts, boolean allowPrivateAddresses, Resolver resolver) {
    this.allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    this.allowPrivateAddresses = allowPrivateAddresses;
    this.resolver = resolver;
  }

  /** @return empty when a request to {@code uri} may be sent; otherwise why not, for the problem line */
  Optional<String> refusal(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) return Optional.of("not an http(s) address");
    String host = uri.getHost();
    if (host == null || host.isEmpty()) return Optional.of("no host");
    if (uri.getRawUserInfo() != null) return Optional.of("the address carries a user name");
    String name = host.toLowerCase(Locale.ROOT);
    if (name.startsWith("[") && name.endsWith("]")) name = name.substring(1, name.length() - 1);
    if (!allowedHosts.isEmpty() && !onList(name)) {
      return Optional.of("host " + name + " is not in openEventSite.remoteImages.allowedHosts");
    }
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(name);
    } catch (UnknownHostException e) {
      return Optional.of("host " + name + " is unknown");
    }
    if (addresses.length == 0) return Optional.of("host " + name + " is unknown");
    if (!allowPrivateAddresses) {
      for (InetAddress address : addresses) {
        if (!isPublic(address)) {
          return Optional.of("host " + name + " is a non-public address (" + address.getHostAddress()
              + "); set openEventSite.remoteImages.allowPrivateAddresses to fetch from it");
        }
      }
    }
    return Optional.empty();
  }

  private boolean onList(String host) {
    for (String allowed : allowedHosts) {
      if (allowed.startsWith(".") ? host.endsWith(allowed) || host.equals(allowed.substring(1)) : host.equals(allowed)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code address} is on the public internet: not this machine, a private or link-local network, or reserved. */
  static boolean isPublic(InetAddress address) {
    if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
        || address.isSiteLocalAddress() || address.isMulticastAddress()) {
      return false;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xFF;
      int second = b[1] & 0xFF;
      return first != 0 // "this network"
          && !(first == 100 && second >= 64 && second <= 127) // carrier-grade NAT, 100.64.0.0/10
          && !(first == 192 && second == 0 && (b[2] & 0xFF) == 0) // IETF protocol assignments
          && !(first == 198 && (second == 18 || second == 19)) // benchmarking
          && first < 240; // reserved and broadcast
    }
    if (address instanceof Inet6Address) {
      int first = b[0] & 0xFF;
      if ((first & 0xFE) == 0xFC) return false; // unique local, fc00::/7
      if (isMappedIpv4(b)) {
        try {
          return isPublic(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
        } catch (UnknownHostException e) {
          return false;
        }
      }
    }
    return true;
  }

  /** ::ffff:a.b.c.d, which reaches the IPv4 address a.b.c.d. */
  private static boolean isMappedIpv4(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) return false;
    }
    return (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
  }
}
