package dev.buildcast.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The host names this server answers to, whatever the port: the loopback names and addresses,
 * plus what the operator lists. A browser sends the name it resolved in {@code Host}, so a request
 * for any other name is one a page reached through a rebinding DNS name (or a misdirected proxy).
 *
 * <p>An entry is a host name or address ({@code buildcast.example.com}, {@code 10.0.0.5},
 * {@code [fd00::1]}), a name with a leading dot for it and every name under it
 * ({@code .example.com}), or {@code *} for any host (turns the check off).
 */
public final class AllowedHosts {

  /** Always allowed: a browser reaching these went to this machine on purpose. */
  static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "[::1]");

  private final List<String> entries;

  private AllowedHosts(List<String> entries) {
    this.entries = List.copyOf(entries);
  }

  /**
   * @param configured the {@code allowedHosts} entries, already checked
   * @param extra further hosts to allow (the public URL's host, a specific listening address)
   */
  public static AllowedHosts of(List<String> configured, List<String> extra) {
    List<String> all = new ArrayList<>(LOOPBACK);
    configured.stream().map(AllowedHosts::normalize).forEach(all::add);
    extra.stream().map(AllowedHosts::normalize).forEach(all::add);
    return new AllowedHosts(all);
  }

  /** Whether a request whose {@code Host} header (with or without a port) is {@code hostHeader} is served. */
  boolean allows(String hostHeader) {
    Optional<String> host = hostOf(hostHeader);
    if (host.isEmpty()) return false;
    String name = host.get();
    for (String entry : entries) {
      if (entry.equals("*") || entry.equals(name)) return true;
      if (entry.startsWith(".") && (name.endsWith(entry) || name.equals(entry.substring(1)))) return true;
    }
    return false;
  }

  /** The host part of a Host header, lower case, IPv6 literals in brackets; empty when malformed. */
  static Optional<String> hostOf(String hostHeader) {
    if (hostHeader == null) return Optional.empty();
    String h = hostHeader.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      if (close < 0 || (close + 1 < h.length() && h.charAt(close + 1) != ':')) return Optional.empty();
      return Optional.of(h.substring(0, close + 1));
    }
    int colon = h.indexOf(':');
    String name = colon < 0 ? h : h.substring(0, colon);
    if (name.endsWith(".")) name = name.substring(0, name.length() - 1); // why: "localhost." names the same host
    return name.isEmpty() ? Optional.empty() : Optional.of(name);
  }

  /** An entry as configured, in the form {@link #allows} compares: lower case, IPv6 in brackets. */
  static String normalize(String entry) {
    String e = entry.strip().toLowerCase(Locale.ROOT);
    if (e.contains(":") && !e.startsWith("[")) return "[" + e + "]";
    return e;
  }
}
