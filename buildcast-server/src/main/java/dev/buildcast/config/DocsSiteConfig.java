package dev.buildcast.config;

import dev.buildcast.generator.docs.DocsSiteSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code docsSite:} section: the operator's settings of the built-in {@code docs-site}
 * generator.
 *
 * @param allowLocalRepositories whether git URLs may be {@code file://} or paths on the server
 * @param sphinx whether Sphinx projects are built (running their {@code conf.py})
 * @param cloneMaxBytes most bytes one clone may fetch
 * @param cloneTimeout longest one clone (and one push) may take
 * @param maxFiles most files a repository or docs folder may hold
 * @param publishTokenEnv the environment variable holding the token for pushing sites over HTTPS
 * @param publishSsh the private key and known_hosts file for pushing sites over SSH
 * @param publishTokenHosts the git hosts the token of {@code publishTokenEnv} may be sent to
 */
public record DocsSiteConfig(
    boolean allowLocalRepositories, boolean sphinx, long cloneMaxBytes, Duration cloneTimeout, int maxFiles,
    Optional<String> publishTokenEnv, Optional<DocsSiteSettings.SshKey> publishSsh, List<String> publishTokenHosts) {

  public static DocsSiteConfig defaults() {
    return new DocsSiteConfig(false, false, DocsSiteSettings.DEFAULT_CLONE_MAX_BYTES, DocsSiteSettings.DEFAULT_CLONE_TIMEOUT,
        DocsSiteSettings.DEFAULT_MAX_FILES, Optional.empty(), Optional.empty(), List.of());
  }

  /** The generator's settings, with the token read from {@code environment}; a named but unset variable is refused. */
  public DocsSiteSettings settings(Map<String, String> environment) {
    Optional<String> token = publishTokenEnv.map(name -> {
      String value = environment.get(name);
      if (value == null || value.isBlank()) {
        throw new ConfigException("docsSite.publishTokenEnv names " + name + ", which is not set in the server's environment.");
      }
      return value.strip();
    });
    return new DocsSiteSettings(allowLocalRepositories, sphinx, cloneMaxBytes, cloneTimeout, maxFiles, token,
        environment.getOrDefault("PATH", ""), publishSsh, publishTokenHosts);
  }

  record Raw(Boolean allowLocalRepositories, Boolean sphinx, String cloneMaxBytes, String cloneTimeout, Integer maxFiles,
      String publishTokenEnv, String publishSshKeyFile, String publishSshKnownHosts, List<String> publishTokenHosts) {
    DocsSiteConfig check(String source) {
      DocsSiteConfig d = defaults();
      long bytes = cloneMaxBytes == null ? d.cloneMaxBytes() : Sizes.parse(cloneMaxBytes, source + ": docsSite.cloneMaxBytes");
      Duration timeout = cloneTimeout == null ? d.cloneTimeout() : Durations.parse(cloneTimeout, source + ": docsSite.cloneTimeout");
      int files = maxFiles == null ? d.maxFiles() : maxFiles;
      if (files < 1) throw new ConfigException(source + ": docsSite.maxFiles must be 1 or more, got " + files + ".");
      if (bytes < 1) throw new ConfigException(source + ": docsSite.cloneMaxBytes must be more than 0.");
      if (timeout.toSeconds() < 1) throw new ConfigException(source + ": docsSite.cloneTimeout must be at least 1s.");
      if (publishTokenEnv != null && !publishTokenEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new ConfigException(source + ": docsSite.publishTokenEnv must be the name of an environment variable, got '" + publishTokenEnv + "'.");
      }
      return new DocsSiteConfig(Boolean.TRUE.equals(allowLocalRepositories), Boolean.TRUE.equals(sphinx), bytes, timeout, files,
          Optional.ofNullable(publishTokenEnv), ssh(source), tokenHosts(source));
    }

    /**
     * Required with {@code publishTokenEnv}: a job names the remote it publishes to, so a token
     * sent to any remote could be collected by whoever can submit a job.
     */
    private List<String> tokenHosts(String source) {
      List<String> hosts = publishTokenHosts == null ? List.of() : publishTokenHosts;
      if (publishTokenEnv != null && hosts.isEmpty()) {
        throw new ConfigException(source + ": docsSite.publishTokenEnv needs docsSite.publishTokenHosts, the git hosts the token may be"
            + " sent to (for example [github.com]): a job names its own publish_remote, so without the list anyone who can submit a"
            + " job could have the token sent to a server of theirs.");
      }
      for (String host : hosts) {
        if (host == null || !host.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")) {
          throw new ConfigException(source + ": docsSite.publishTokenHosts holds '" + host + "', which is not a host name (no scheme, port or"
              + " path: github.com, git.example.org).");
        }
      }
      return hosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    }

    /** Both files or neither; each must be a readable file now, so a typo stops the start rather than every push. */
    private Optional<DocsSiteSettings.SshKey> ssh(String source) {
      if (publishSshKeyFile == null && publishSshKnownHosts == null) return Optional.empty();
      if (publishSshKeyFile == null || publishSshKnownHosts == null) {
        throw new ConfigException(source + ": docsSite.publishSshKeyFile and docsSite.publishSshKnownHosts go together: SSH pushes need"
            + " the key and the known_hosts file that says which hosts to trust.");
      }
      return Optional.of(new DocsSiteSettings.SshKey(readable(source, "publishSshKeyFile", publishSshKeyFile),
          readable(source, "publishSshKnownHosts", publishSshKnownHosts)));
    }

    private static Path readable(String source, String key, String value) {
      Path file = Path.of(value).toAbsolutePath().normalize();
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw new ConfigException(source + ": docsSite." + key + " names " + file + ", which is not a readable file.");
      }
      return file;
    }
  }
}
