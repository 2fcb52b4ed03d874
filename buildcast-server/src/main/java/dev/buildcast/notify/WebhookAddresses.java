package dev.buildcast.notify;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * Which addresses a webhook may be delivered to, and the resolver that makes sure it is: every
 * address a name resolves to is checked, and the connection goes to exactly those addresses, so a
 * name cannot resolve to a public address for the check and to an internal one for the connection
 * (DNS rebinding). Without {@code allowPrivateAddresses}, loopback, link-local, private (RFC 1918,
 * ULA), shared (CGNAT), unspecified, multicast and reserved addresses are refused: a webhook URL
 * comes from whoever submits a job, and must not reach the server's own machine or network.
 */
final class WebhookAddresses implements SocketAddressResolver {

  /** Looks a host name up; the system resolver, or a fake in tests. */
  @FunctionalInterface
  interface Lookup {
    InetAddress[] all(String host) throws UnknownHostException;
  }

  private record Range(byte[] prefix, int bits, String what) {
    boolean contains(byte[] address) {
      if (address.length != prefix.length) return false;
      int full = bits / 8;
      for (int i = 0; i < full; i++) if (address[i] != prefix[i]) return false;
      int rest = bits % 8;
      if (rest == 0) return true;
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (address[full] & mask) == (prefix[full] & mask);
    }
  }

  private static final List<Range> REFUSED = List.of(
      range("0.0.0.0", 8, "an unspecified address (0.0.0.0/8)"),
      range("10.0.0.0", 8, "a private address (10.0.0.0/8)"),
      range("100.64.0.0", 10, "a shared (carrier-grade NAT) address (100.64.0.0/10)"),
      range("127.0.0.0", 8, "a loopback address (127.0.0.0/8)"),
      range("169.254.0.0", 16, "a link-local address (169.254.0.0/16)"),
      range("172.16.0.0", 12, "a private address (172.16.0.0/12)"),
      range("192.0.0.0", 24, "a reserved address (192.0.0.0/24)"),
      range("192.168.0.0", 16, "a private address (192.168.0.0/16)"),
      range("198.18.0.0", 15, "a benchmarking address (198.18.0.0/15)"),
      range("224.0.0.0", 4, "a multicast address (224.0.0.0/4)"),
      range("240.0.0.0", 4, "a reserved or broadcast address (240.0.0.0/4)"),
      range("::", 96, "an unspecified, loopback or IPv4-compatible address (::/96)"),
      range("fc00::", 7, "a unique local address (fc00::/7)"),
      range("fe80::", 10, "a link-local address (fe80::/10)"),
      range("fec0::", 10, "a site-local address (fec0::/10)"),
      range("ff00::", 8, "a multicast address (ff00::/8)"));

  private final boolean allowPrivate;
  private final Lookup lookup;

  WebhookAddresses(boolean allowPrivate, Lookup lookup) {
    this.allowPrivate = allowPrivate;
    this.lookup = lookup;
  }

  /** Why a webhook may not go to {@code address}, or empty when it may. */
  Optional<String> refusal(InetAddress address) {
    if (allowPrivate) return Optional.empty();
    return refusalOf(address);
  }

  static Optional<String> refusalOf(InetAddress address) {
    byte[] bytes = embeddedIpv4(address).orElse(address.getAddress());
    return REFUSED.stream().filter(r -> r.contains(bytes)).map(Range::what).findFirst();
  }

  /**
   * Looks {@code host} up once and checks every address it has.
   *
   * @throws UnknownHostException when it has none
   * @throws RefusedAddressException when any of them is refused (naming it and why)
   */
  List<InetAddress> resolveChecked(String host) throws UnknownHostException {
    List<InetAddress> all = Arrays.asList(lookup.all(host));
    if (all.isEmpty()) throw new UnknownHostException(host);
    for (InetAddress address : all) {
      Optional<String> why = refusal(address);
      if (why.isPresent()) throw new RefusedAddressException(host, address, why.get());
    }
    return all;
  }

  @Override
  public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
    try {
      promise.succeeded(resolveChecked(host).stream().map(a -> new InetSocketAddress(a, port)).toList());
    } catch (UnknownHostException | RuntimeException e) {
      promise.failed(e);
    }
  }

  /** The IPv4 address inside a NAT64 (64:ff9b::/96) or 6to4 (2002::/16) IPv6 address. */
  private static Optional<byte[]> embeddedIpv4(InetAddress address) {
    if (!(address instanceof Inet6Address)) return Optional.empty();
    byte[] b = address.getAddress();
    boolean nat64 = b[0] == 0x00 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b
        && Arrays.equals(Arrays.copyOfRange(b, 4, 12), new byte[8]);
    if (nat64) return Optional.of(Arrays.copyOfRange(b, 12, 16));
    if (b[0] == 0x20 && b[1] == 0x02) return Optional.of(Arrays.copyOfRange(b, 2, 6));
    return Optional.empty();
  }

  private static Range range(String literal, int bits, String what) {
    try {
      // why getByName on literals only: no lookup happens for an address literal
      return new Range(InetAddress.getByName(literal).getAddress(), bits, what);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("bad literal " + literal, e);
    }
  }

  /** A webhook host resolved to an address that is not allowed. */
  static final class RefusedAddressException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RefusedAddressException(String host, InetAddress address, String why) {
      super("the webhook host " + host + " resolves to " + address.getHostAddress() + ", " + why
          + "; set notify.webhook.allowPrivateAddresses: true to allow such addresses");
    }
  }
}
