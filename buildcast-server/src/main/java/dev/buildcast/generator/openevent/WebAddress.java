package dev.buildcast.generator.openevent;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides whether a text from the export may become a link's {@code href}: only an absolute
 * http(s) address with a host, and nothing a browser would read differently from what we checked
 * (spaces, control characters, a backslash some browsers take for a slash).
 */
final class WebAddress {

  private static final Pattern HANDLE = Pattern.compile("@?([A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,38}[A-Za-z0-9_])?)");

  private WebAddress() {}

  /** The address, when it is a usable http(s) one. */
  static Optional<String> of(String text) {
    if (text == null) return Optional.empty();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= ' ' || c == 0x7f || c == '\\' || c == '"' || c == '<' || c == '>') return Optional.empty();
    }
    String lower = text.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("https://") && !lower.startsWith("http://")) return Optional.empty();
    try {
      URI uri = new URI(text);
      if (uri.getHost() == null || uri.getHost().isEmpty()) return Optional.empty();
      return Optional.of(text);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  /**
   * A profile address: an http(s) address as it is, or a bare account name ("@ada", "ada") turned
   * into the address on {@code site} (such as {@code https://twitter.com/}) when the site has one.
   */
  static Optional<String> profile(String text, String site) {
    Optional<String> address = of(text);
    if (address.isPresent() || site == null) return address;
    var handle = HANDLE.matcher(text);
    return handle.matches() ? Optional.of(site + handle.group(1)) : Optional.empty();
  }
}
