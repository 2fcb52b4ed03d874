package dev.buildcast.generator.openevent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which addresses an export may make the server request: public http(s) only, unless the operator says otherwise. */
class ImageAddressGuardTest {

  /** A resolver answering from a table, so no test asks a real name server. */
  private static final Map<String, String> NAMES = Map.of(
      "images.example.org", "93.184.216.34",
      "cdn.example.org", "93.184.216.35",
      "metadata.example.org", "169.254.169.254",
      "intranet.example.org", "10.1.2.3",
      "router.example.org", "192.168.1.1",
      "cgnat.example.org", "100.64.0.1",
      "ula.example.org", "fd00::1",
      "mapped.example.org", "::ffff:127.0.0.1",
      "localhost", "127.0.0.1");

  private static InetAddress[] resolve(String host) throws UnknownHostException {
    String address = NAMES.getOrDefault(host, host.matches("[0-9.]+|.*:.*") ? host : null);
    if (address == null) throw new UnknownHostException(host);
    return new InetAddress[] {InetAddress.getByName(address)};
  }

  private static ImageAddressGuard guard(List<String> hosts, boolean allowPrivate) {
    return new ImageAddressGuard(hosts, allowPrivate, ImageAddressGuardTest::resolve);
  }

  @Test
  void refusal_publicHttpsAddress_isAllowed() {
    assertThat(guard(List.of(), false).refusal(URI.create("https://images.example.org/a.png"))).isEmpty();
    assertThat(guard(List.of(), false).refusal(URI.create("http://93.184.216.34/a.png"))).isEmpty();
  }

  @Test
  void refusal_loopbackPrivateLinkLocalAndReserved_areRefusedByDefault() {
    ImageAddressGuard guard = guard(List.of(), false);
    for (String address : List.of("http://localhost/a.png", "http://127.0.0.1:8080/a.png", "http://[::1]/a.png",
        "http://metadata.example.org/latest/", "http://intranet.example.org/a.png", "http://router.example.org/a.png",
        "http://cgnat.example.org/a.png", "http://ula.example.org/a.png", "http://mapped.example.org/a.png",
        "http://0.0.0.0/a.png", "http://[fe80::1]/a.png", "http://255.255.255.255/a.png")) {
      assertThat(guard.refusal(URI.create(address))).as(address).hasValueSatisfying(reason ->
          assertThat(reason).contains("non-public address").contains("allowPrivateAddresses"));
    }
  }

  @Test
  void refusal_loopbackWithPrivateAddressesAllowed_isAllowed() {
    assertThat(guard(List.of(), true).refusal(URI.create("http://127.0.0.1:8080/a.png"))).isEmpty();
  }

  @Test
  void refusal_hostNotOnTheOperatorsList_isRefused() {
    ImageAddressGuard guard = guard(List.of(".example.org", "93.184.216.99"), false);
    assertThat(guard.refusal(URI.create("https://cdn.example.org/a.png"))).isEmpty();
    assertThat(guard.refusal(URI.create("https://example.org/a.png"))).hasValueSatisfying(r -> assertThat(r).contains("unknown"));
    assertThat(guard.refusal(URI.create("https://images.example.com/a.png")))
        .hasValueSatisfying(r -> assertThat(r).contains("not in openEventSite.remoteImages.allowedHosts"));
    assertThat(guard.refusal(URI.create("https://evilexample.org/a.png")))
        .hasValueSatisfying(r -> assertThat(r).contains("not in openEventSite.remoteImages.allowedHosts"));
  }

  @Test
  void refusal_listedHostResolvingToAPrivateAddress_isStillRefused() {
    assertThat(guard(List.of("intranet.example.org"), false).refusal(URI.create("http://intranet.example.org/a.png")))
        .hasValueSatisfying(r -> assertThat(r).contains("non-public address (10.1.2.3)"));
  }

  @Test
  void refusal_otherSchemesUserInfoAndUnknownHosts_areRefused() {
    ImageAddressGuard guard = guard(List.of(), false);
    assertThat(guard.refusal(URI.create("ftp://images.example.org/a.png"))).hasValue("not an http(s) address");
    assertThat(guard.refusal(URI.create("file:///etc/passwd"))).hasValue("not an http(s) address");
    assertThat(guard.refusal(URI.create("http://user@images.example.org/a.png"))).hasValue("the address carries a user name");
    assertThat(guard.refusal(URI.create("http://nowhere.invalid/a.png"))).hasValue("host nowhere.invalid is unknown");
  }
}
