package dev.buildcast.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * Which addresses the server may connect to for something a user named, and the resolver that
 * makes sure it does: every address a name resolves to is checked, and the connection goes to
 * exactly those addresses, so a name cannot resolve to a public address for the check and to an
 * internal one for the connection (DNS rebinding). Unless private addresses are allowed, loopback,
 * link-local, private (RFC 1918, ULA), shared (CGNAT), unspecified, multicast and reserved
 * addresses are refused, also inside IPv6 (mapped, NAT64, 6to4). When a host list is given, only
 * those hosts are looked up at all.
 *
 * <p>Each user passes what it connects for and its configuration keys, so a refusal tells the
 * operator which key to set.
 */
public final class OutboundAddresses implements SocketAddressResolver {

  /** Looks a host name up; {@link #SYSTEM}, or a fake in tests. */
  @FunctionalInterface
  public interface Lookup {
    InetAddress[] all(String host) throws UnknownHostException;
  }

  /** The JDK's resolver. */
  public static final Lookup SYSTEM = InetAddress::getAllByName;

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

  private final String what;
  private final boolean allowPrivate;
  private final String allowPrivateKey;
  private final List<String> allowedHosts;
  private final String allowedHostsKey;
  private final Lookup lookup;

  private OutboundAddresses(String what, boolean allowPrivate, String allowPrivateKey, List<String> allowedHosts,
      String allowedHostsKey, Lookup lookup) {
    this.what = what;
    this.allowPrivate = allowPrivate;
    this.allowPrivateKey = allowPrivateKey;
    this.allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    this.allowedHostsKey = allowedHostsKey;
    this.lookup = lookup;
  }

  /**
   * Any host, public addresses only unless {@code allowPrivate}.
   *
   * @param what what the connection is for, as refusals name it ("webhook", "image")
   * @param allowPrivateKey the configuration key that allows private addresses, as refusals name it
   */
  public static OutboundAddresses of(String what, boolean allowPrivate, String allowPrivateKey, Lookup lookup) {
    return new OutboundAddresses(what, allowPrivate, allowPrivateKey, List.of(), "", lookup);
  }

  /**
   * The same policy, and only the hosts on {@code hosts} (a name, or {@code .example.org} for a
   * domain and its subdomains); an empty list allows every host.
   */
  public OutboundAddresses onlyTo(List<String> hosts, String hostsKey) {
    return new OutboundAddresses(what, allowPrivate, allowPrivateKey, hosts, hostsKey, lookup);
  }

  /** Why {@code host} may not be connected to whatever it resolves to, or empty when it is on the list (or there is none). */
  public Optional<String> hostRefusal(String host) {
    String name = bare(host);
    if (allowedHosts.isEmpty() || onList(name)) return Optional.empty();
    return Optional.of("the " + what + " host " + name + " is not in " + allowedHostsKey);
  }

  /** Why a connection may not go to {@code address}, or empty when it may. */
  public Optional<String> refusal(InetAddress address) {
    if (allowPrivate) return Optional.empty();
    return refusalOf(address);
  }

  /** Why {@code address} is not a public one (naming its range), or empty when it is. */
  public static Optional<String> refusalOf(InetAddress address) {
    byte[] bytes = embeddedIpv4(address).orElse(address.getAddress());
    return REFUSED.stream().filter(r -> r.contains(bytes)).map(Range::what).findFirst();
  }

  /**
   * Checks {@code host} against the host list, looks it up once and checks every address it has.
   *
   * @throws UnknownHostException when it has none
   * @throws RefusedAddressException when the host is not on the list or any address is refused
   */
  public List<InetAddress> resolveChecked(String host) throws UnknownHostException {
    Optional<String> offList = hostRefusal(host);
    if (offList.isPresent()) throw new RefusedAddressException(offList.get());
    String name = bare(host);
    InetAddress[] answer = lookup.all(name);
    if (answer == null || answer.length == 0) throw new UnknownHostException(name);
    List<InetAddress> all = Arrays.asList(answer);
    for (InetAddress address : all) {
      Optional<String> why = refusal(address);
      if (why.isPresent()) {
        throw new RefusedAddressException("the " + what + " host " + name + " resolves to " + address.getHostAddress()
            + ", " + why.get() + "; set " + allowPrivateKey + ": true to allow such addresses");
      }
    }
    return all;
  }

  /** Jetty's client calls this once per new connection; it connects to the addresses given, and to no other. */
  @Override
  public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
    try {
      promise.succeeded(resolveChecked(host).stream().map(a -> new InetSocketAddress(a, port)).toList());
    } catch (UnknownHostException | RuntimeException e) {
      promise.failed(e);
    }
  }

  private boolean onList(String host) {
    for (String allowed : allowedHosts) {
      boolean domain = allowed.startsWith(".");
      if (domain ? host.endsWith(allowed) || host.equals(allowed.substring(1)) : host.equals(allowed)) return true;
    }
    return false;
  }

  /** The host in lower case without the brackets of an IPv6 literal. */
  private static String bare(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    return name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
  }

  /** The IPv4 address inside a mapped (::ffff:0:0/96), NAT64 (64:ff9b::/96) or 6to4 (2002::/16) IPv6 address. */
  private static Optional<byte[]> embeddedIpv4(InetAddress address) {
    if (!(address instanceof Inet6Address)) return Optional.empty();
    byte[] b = address.getAddress();
    boolean mapped = Arrays.equals(Arrays.copyOfRange(b, 0, 10), new byte[10]) && b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    if (mapped) return Optional.of(Arrays.copyOfRange(b, 12, 16));
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

  /** A host that is not on the list, or that resolves to an address that is not allowed; the message says which key to set. */
  public static final class RefusedAddressException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RefusedAddressException(String message) {
      super(message);
    }
  }
}
