package dev.buildcast.socketio.engine;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Which browser origins may use the engine, and the CORS headers that say so.
 *
 * <ul>
 *   <li>no allowed origins configured: same origin only (no Origin header, or its host:port equals
 *       the request's Host);
 *   <li>listed origins (scheme://host[:port]) are allowed, with credentials;
 *   <li>{@code "*"} allows every origin, answered with {@code Access-Control-Allow-Origin: *} and
 *       never with credentials (browsers refuse that pair, and it would let any site ride a user's
 *       cookies).
 * </ul>
 */
final class OriginPolicy {
  private final boolean any;
  private final Set<String> allowed;

  OriginPolicy(List<String> allowedOrigins) {
    this.any = allowedOrigins.contains("*");
    this.allowed = allowedOrigins.stream()
        .filter(o -> !o.equals("*"))
        .map(OriginPolicy::normalize)
        .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * @param origin the Origin header, or null
   * @param host the Host header (authority), or null
   * @param secure whether the request came over TLS (the default port of a Host without one)
   */
  boolean allows(String origin, String host, boolean secure) {
    if (origin == null) return true;
    if (any) return true;
    String normalized = normalize(origin);
    if (allowed.contains(normalized)) return true;
    // same-origin requests are always safe, whatever else is listed
    return sameOrigin(origin, host, secure);
  }

  private static boolean sameOrigin(String origin, String host, boolean secure) {
    if (host == null) return false;
    String originAuthority = authorityOf(origin).orElse(null);
    if (originAuthority == null) return false;
    return originAuthority.equals(withPort(host.toLowerCase(Locale.ROOT), secure ? 443 : 80));
  }

  /** Adds CORS response headers for an allowed origin (none when the request had no Origin). */
  void addCorsHeaders(String origin, HttpFields.Mutable headers) {
    if (origin == null) return;
    if (any && !allowed.contains(normalize(origin))) {
      headers.put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    } else {
      headers.put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
      headers.put(HttpHeader.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
      headers.add(HttpHeader.VARY, "Origin");
    }
  }

  private static String normalize(String origin) {
    String o = origin.trim().toLowerCase(Locale.ROOT);
    return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
  }

  /** "host:port" of an origin, with the scheme's default port filled in. */
  private static Optional<String> authorityOf(String origin) {
    try {
      URI uri = URI.create(origin.trim());
      String scheme = uri.getScheme();
      String host = uri.getHost();
      if (scheme == null || host == null) return Optional.empty();
      int port = uri.getPort();
      if (port < 0) port = scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("wss") ? 443 : 80;
      return Optional.of(host.toLowerCase(Locale.ROOT) + ":" + port);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String withPort(String host, int defaultPort) {
    // IPv6 literals keep their brackets; a port follows the closing one.
    int bracket = host.lastIndexOf(']');
    int colon = host.lastIndexOf(':');
    return colon > bracket ? host : host + ":" + defaultPort;
  }
}
