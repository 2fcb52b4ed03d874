package dev.buildcast.generator.docs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the operator decides for every docs-site job (the {@code docsSite:} configuration section).
 *
 * @param allowLocalRepositories whether git URLs may name this machine's files ({@code file://}
 *     or a plain path); off by default, since that would let any user read repositories on the
 *     server
 * @param sphinx whether projects with a {@code conf.py} are built with {@code sphinx-build}; off
 *     by default, because {@code conf.py} is Python code that would run with the server's rights
 * @param cloneMaxBytes most bytes a clone may fetch before it is stopped
 * @param cloneTimeout longest a clone may take
 * @param maxFiles most files the docs folder may hold
 * @param publishToken the token used to push over HTTPS (from the environment variable the
 *     configuration names), if any
 * @param searchPath the folders searched for {@code sphinx-build}, as in {@code PATH}
 * @param publishSsh the key and known_hosts file SSH pushes use; without it SSH addresses are refused
 * @param publishTokenHosts the only git hosts {@code publishToken} is sent to (a job names its own
 *     remote, so without this list any submitter could have the token sent to a server of theirs)
 */
public record DocsSiteSettings(
    boolean allowLocalRepositories,
    boolean sphinx,
    long cloneMaxBytes,
    Duration cloneTimeout,
    int maxFiles,
    Optional<String> publishToken,
    String searchPath,
    Optional<SshKey> publishSsh,
    List<String> publishTokenHosts) {

  public static final long DEFAULT_CLONE_MAX_BYTES = 200L * 1024 * 1024;
  public static final Duration DEFAULT_CLONE_TIMEOUT = Duration.ofMinutes(2);
  public static final int DEFAULT_MAX_FILES = 10_000;

  public DocsSiteSettings {
    if (cloneMaxBytes < 1 || maxFiles < 1 || cloneTimeout.isNegative() || cloneTimeout.isZero()) {
      throw new IllegalArgumentException("docs-site limits must be positive");
    }
    publishTokenHosts = publishTokenHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
  }

  /** Whether the operator's token may be sent to {@code host}. */
  public boolean publishTokenMayGoTo(String host) {
    return host != null && publishTokenHosts.contains(host.toLowerCase(Locale.ROOT));
  }

  /** These settings with the operator's token allowed to go to {@code hosts} only. */
  public DocsSiteSettings withPublishTokenHosts(List<String> hosts) {
    return new DocsSiteSettings(allowLocalRepositories, sphinx, cloneMaxBytes, cloneTimeout, maxFiles, publishToken, searchPath, publishSsh,
        hosts);
  }

  /** Settings without SSH publishing, whose token (if any) may go to no host until {@link #withPublishTokenHosts} names some. */
  public DocsSiteSettings(boolean allowLocalRepositories, boolean sphinx, long cloneMaxBytes, Duration cloneTimeout, int maxFiles,
      Optional<String> publishToken, String searchPath) {
    this(allowLocalRepositories, sphinx, cloneMaxBytes, cloneTimeout, maxFiles, publishToken, searchPath, Optional.empty(), List.of());
  }

  /**
   * The operator's SSH identity for pushes.
   *
   * @param keyFile an OpenSSH private key without passphrase
   * @param knownHostsFile the only host keys accepted (OpenSSH known_hosts format)
   */
  public record SshKey(Path keyFile, Path knownHostsFile) {}

  /** Local repositories refused, Sphinx off, 200 MiB and 2 min per clone, 10,000 files, no token. */
  public static DocsSiteSettings defaults() {
    return new DocsSiteSettings(false, false, DEFAULT_CLONE_MAX_BYTES, DEFAULT_CLONE_TIMEOUT, DEFAULT_MAX_FILES,
        Optional.empty(), System.getenv().getOrDefault("PATH", ""));
  }
}
