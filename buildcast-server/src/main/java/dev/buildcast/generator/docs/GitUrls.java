package dev.buildcast.generator.docs;

import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.transport.URIish;

/**
 * Which git addresses a job may name. Clones and pushes go over HTTP(S) only: {@code file://} and
 * plain paths would let a user read any repository on the server, so they need the operator's
 * {@code docsSite.allowLocalRepositories}; SSH, {@code git://} and other transports are refused.
 * An address may not carry a user name or password (it would reach logs); the push token comes
 * from the server's configuration and travels only over HTTPS, or over HTTP to this machine's
 * loopback address.
 */
final class GitUrls {

  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1", "[::1]");

  private GitUrls() {}

  static URIish check(String param, String url, boolean allowLocal) throws DocsProblem {
    return check(param, url, allowLocal, false);
  }

  /**
   * A publish address: as {@link #check(String, String, boolean)}, and SSH ({@code ssh://} or
   * {@code user@host:path}) when the operator configured an SSH key; an SSH address may name a
   * user (code hosts want {@code git}), never a password.
   */
  static URIish checkPublish(String url, boolean allowLocal, boolean sshConfigured) throws DocsProblem {
    return check(DocsOptions.PUBLISH_REMOTE, url, allowLocal, sshConfigured);
  }

  /** Whether the address goes over SSH. */
  static boolean isSsh(URIish uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return scheme.equals("ssh") || (scheme.isEmpty() && uri.getHost() != null);
  }

  private static URIish check(String param, String url, boolean allowLocal, boolean sshAllowed) throws DocsProblem {
    URIish uri;
    try {
      uri = new URIish(url);
    } catch (URISyntaxException e) {
      throw new DocsProblem("parameter " + param + " \"" + DocsOptions.excerpt(url) + "\" is not a git address; give an https address");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean local = scheme.equals("file") || (scheme.isEmpty() && uri.getHost() == null);
    if (local) {
      if (!allowLocal) {
        throw new DocsProblem("parameter " + param + ": local repositories (file:// or a path on the server) are refused;"
            + " give an https address (the operator may allow them with docsSite.allowLocalRepositories)");
      }
      return uri;
    }
    if (isSsh(uri) && sshAllowed) {
      if (uri.getPass() != null) throw new DocsProblem("parameter " + param + ": put no password in the address; SSH pushes use the server's key");
      return uri;
    }
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new DocsProblem("parameter " + param + ": only https addresses are supported, got "
          + (scheme.isEmpty() ? "an SSH address" : scheme + "://")
          + (param.equals(DocsOptions.PUBLISH_REMOTE) && isSsh(uri) ? " (the operator may allow SSH pushes with docsSite.publishSshKeyFile)" : ""));
    }
    if (uri.getUser() != null || uri.getPass() != null) {
      throw new DocsProblem("parameter " + param + ": put no user name or password in the address (it would be logged);"
          + " the push token comes from the server's configuration");
    }
    return uri;
  }

  /** Whether a token may be sent to this address: encrypted, or not leaving the machine. */
  static boolean mayCarryToken(URIish uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return scheme.equals("https") || (scheme.equals("http") && uri.getHost() != null && LOOPBACK.contains(uri.getHost()));
  }

  /** The repository's name from its address ({@code https://host/org/guide.git} → {@code guide}). */
  static Optional<String> repositoryName(String url) {
    try {
      String name = new URIish(url).getHumanishName();
      return Optional.ofNullable(name).filter(n -> !n.isBlank());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
