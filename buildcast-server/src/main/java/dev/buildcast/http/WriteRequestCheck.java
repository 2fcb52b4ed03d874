package dev.buildcast.http;

import dev.buildcast.BuildcastException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Guards the routes that change something (start or cancel a job, upload) against other sites.
 * A page on another origin may make a browser send a "simple" request without asking first: a
 * POST with a {@code text/plain}, form or multipart body. So a write route takes only its own body
 * types (JSON for jobs and cancel; multipart for the form upload), and a request that carries an
 * {@code Origin} must come from this server's own origin or one listed in {@code allowedOrigins}.
 * A request without {@code Origin} (curl, the command-line client) is not a browser's cross-site
 * request: browsers send Origin on every POST and PUT.
 */
final class WriteRequestCheck {

  /** Bodies a browser sends cross-site without a preflight; a PUT never goes without one. */
  static final Set<String> FORM_TYPES = Set.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data");

  private final boolean anyOrigin;
  private final Set<String> allowedOrigins;

  WriteRequestCheck(List<String> allowedOrigins) {
    this.anyOrigin = allowedOrigins.contains("*");
    this.allowedOrigins = allowedOrigins.stream().map(WriteRequestCheck::normalizeOrigin).collect(Collectors.toUnmodifiableSet());
  }

  /** Throws the refusal when {@code request} may not reach {@code route}; does nothing for reads. */
  void check(Request request, Route route) {
    if (!route.isWrite()) return;
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    if (origin != null && !originAllowed(origin, request.getHeaders().get(HttpHeader.HOST))) {
      throw new BuildcastException("origin_not_allowed", "Requests from the origin '" + BuildcastException.excerpt(origin)
          + "' may not start, cancel or upload here. If that site should, add it to allowedOrigins in the server's configuration.");
    }
    String type = mediaType(request.getHeaders().get(HttpHeader.CONTENT_TYPE));
    if (!route.accepts(type)) {
      throw new BuildcastException("unsupported_media_type", route.method() + " " + Request.getPathInContext(request) + " takes "
          + route.bodyTypesText() + (type.isEmpty() ? "; the request had no Content-Type." : ", not " + BuildcastException.excerpt(type) + "."));
    }
  }

  private boolean originAllowed(String origin, String host) {
    if (anyOrigin || allowedOrigins.contains(normalizeOrigin(origin))) return true;
    return sameOrigin(origin, host);
  }

  /**
   * Origin and Host name the same host and port. why a Host without a port matches an origin on its
   * scheme's default port either way: behind a TLS proxy the server sees plain HTTP, yet the page's
   * origin is https on 443.
   */
  static boolean sameOrigin(String origin, String host) {
    Optional<String> hostName = AllowedHosts.hostOf(host);
    if (hostName.isEmpty()) return false;
    URI uri;
    try {
      uri = URI.create(origin.strip());
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (uri.getScheme() == null || uri.getHost() == null) return false;
    String originHost = uri.getHost().toLowerCase(Locale.ROOT);
    if (!originHost.equals(hostName.get())) return false;
    int originPort = uri.getPort() >= 0 ? uri.getPort() : (uri.getScheme().equalsIgnoreCase("https") ? 443 : 80);
    String h = host.strip();
    int portAt = h.lastIndexOf(':');
    boolean hostHasPort = portAt > h.lastIndexOf(']');
    if (!hostHasPort) return originPort == 80 || originPort == 443;
    try {
      return Integer.parseInt(h.substring(portAt + 1)) == originPort;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The media type of a Content-Type header, lower case, without parameters; empty when absent. */
  static String mediaType(String contentType) {
    if (contentType == null) return "";
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
  }

  private static String normalizeOrigin(String origin) {
    String o = origin.strip().toLowerCase(Locale.ROOT);
    return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
  }
}
