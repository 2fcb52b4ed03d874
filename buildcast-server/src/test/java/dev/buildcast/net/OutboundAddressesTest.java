package dev.buildcast.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.Promise;
import org.junit.jupiter.api.Test;

/** The one address policy for connections users ask for: which addresses, which hosts, and what a refusal says. */
class OutboundAddressesTest {

  /** A resolver answering from a table, so no test asks a real name server. */
  private static final Map<String, String> NAMES = Map.of(
      "images.example.org", "93.184.216.34",
      "cdn.example.org", "93.184.216.35",
      "metadata.example.org", "169.254.169.254",
      "intranet.example.org", "10.1.2.3",
      "localhost", "127.0.0.1");

  private static InetAddress[] table(String host) throws UnknownHostException {
    String address = NAMES.getOrDefault(host, host.matches("[0-9.]+|.*:.*") ? host : null);
    if (address == null) throw new UnknownHostException(host);
    return new InetAddress[] {InetAddress.getByName(address)};
  }

  private static OutboundAddresses images(boolean allowPrivate) {
    return OutboundAddresses.of("image", allowPrivate, "images.allowPrivate", OutboundAddressesTest::table);
  }

  @Test
  void refusalOf_nonPublicAddresses_refusedPublicOnesAllowed() throws Exception {
    for (String refused : List.of("127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
        "100.64.0.1", "100.127.255.255", "0.0.0.0", "192.0.0.8", "198.18.0.1", "224.0.0.1", "255.255.255.255", "::1", "::",
        "fe80::1", "fec0::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
        "64:ff9b::a9fe:a9fe", "2002:7f00:1::1")) {
      assertThat(OutboundAddresses.refusalOf(InetAddress.getByName(refused))).as(refused).isPresent();
    }
    for (String allowed : List.of("93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "203.0.113.7")) {
      assertThat(OutboundAddresses.refusalOf(InetAddress.getByName(allowed))).as(allowed).isEmpty();
    }
  }

  @Test
  void refusalOf_ipv4MappedAddressKeptAsIpv6_isJudgedByItsIpv4Part() throws Exception {
    // why built by hand: InetAddress.getByName turns ::ffff:a.b.c.d into an IPv4 address, a custom resolver need not
    byte[] mappedLoopback = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
    InetAddress address = Inet6Address.getByAddress(null, mappedLoopback, -1);

    assertThat(address).isInstanceOf(Inet6Address.class);
    assertThat(OutboundAddresses.refusalOf(address)).hasValue("a loopback address (127.0.0.0/8)");
  }

  @Test
  void resolveChecked_privateAddress_isRefusedNamingWhatAndTheKey() {
    assertThatThrownBy(() -> images(false).resolveChecked("metadata.example.org"))
        .isInstanceOf(OutboundAddresses.RefusedAddressException.class)
        .hasMessage("the image host metadata.example.org resolves to 169.254.169.254, a link-local address (169.254.0.0/16);"
            + " set images.allowPrivate: true to allow such addresses");
    OutboundAddresses webhooks = OutboundAddresses.of("webhook", false, "notify.webhook.allowPrivateAddresses", OutboundAddressesTest::table);
    assertThatThrownBy(() -> webhooks.resolveChecked("localhost"))
        .hasMessageStartingWith("the webhook host localhost resolves to 127.0.0.1")
        .hasMessageEndingWith("set notify.webhook.allowPrivateAddresses: true to allow such addresses");
  }

  @Test
  void resolveChecked_privateAddressesAllowed_returnsThem() throws Exception {
    assertThat(images(true).resolveChecked("[::1]")).containsExactly(InetAddress.getByName("::1"));
    assertThat(images(true).resolveChecked("intranet.example.org")).containsExactly(InetAddress.getByName("10.1.2.3"));
  }

  @Test
  void resolveChecked_oneRefusedAmongSeveral_refusesTheHost() {
    OutboundAddresses addresses = OutboundAddresses.of("image", false, "k",
        host -> new InetAddress[] {InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.0.0.1")});

    assertThatThrownBy(() -> addresses.resolveChecked("mixed.example.org")).hasMessageContaining("resolves to 10.0.0.1");
  }

  @Test
  void resolveChecked_noAnswer_isAnUnknownHost() {
    assertThatThrownBy(() -> images(false).resolveChecked("nowhere.invalid")).isInstanceOf(UnknownHostException.class);
    OutboundAddresses empty = OutboundAddresses.of("image", false, "k", host -> new InetAddress[0]);
    assertThatThrownBy(() -> empty.resolveChecked("empty.example.org")).isInstanceOf(UnknownHostException.class);
  }

  @Test
  void hostRefusal_hostList_allowsNamesAndDomainsOnly() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    OutboundAddresses listed = OutboundAddresses.of("image", false, "k", host -> {
      lookups.incrementAndGet();
      return table(host);
    }).onlyTo(List.of(".example.org", "93.184.216.99", "Intranet.Example.Org"), "images.allowedHosts");

    assertThat(listed.hostRefusal("cdn.example.org")).isEmpty();
    assertThat(listed.hostRefusal("CDN.example.org")).isEmpty();
    assertThat(listed.hostRefusal("example.org")).isEmpty();
    assertThat(listed.hostRefusal("images.example.com")).hasValue("the image host images.example.com is not in images.allowedHosts");
    assertThat(listed.hostRefusal("evilexample.org")).hasValue("the image host evilexample.org is not in images.allowedHosts");
    assertThatThrownBy(() -> listed.resolveChecked("images.example.com")).hasMessageContaining("is not in images.allowedHosts");
    assertThat(lookups).as("a host off the list is not even looked up").hasValue(0);
    // a listed host must still resolve to public addresses
    assertThatThrownBy(() -> listed.resolveChecked("intranet.example.org")).hasMessageContaining("resolves to 10.1.2.3");
  }

  @Test
  void resolve_answerChangingBetweenLookups_eachConnectionGetsOnlyTheAddressesItsOwnLookupChecked() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    OutboundAddresses rebinding = OutboundAddresses.of("image", false, "k",
        host -> new InetAddress[] {InetAddress.getByName(lookups.incrementAndGet() == 1 ? "93.184.216.34" : "127.0.0.1")});

    Promise.Completable<List<InetSocketAddress>> first = new Promise.Completable<>();
    rebinding.resolve("rebind.example.org", 80, Map.of(), first);
    Promise.Completable<List<InetSocketAddress>> second = new Promise.Completable<>();
    rebinding.resolve("rebind.example.org", 80, Map.of(), second);

    assertThat(first.get(10, TimeUnit.SECONDS)).containsExactly(new InetSocketAddress(InetAddress.getByName("93.184.216.34"), 80));
    assertThat(second).isCompletedExceptionally();
    assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(OutboundAddresses.RefusedAddressException.class);
    assertThat(lookups).hasValue(2);
  }
}
