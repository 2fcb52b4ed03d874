package dev.buildcast.generator.docs;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;

/**
 * Host key checking for SSH pushes: a server is accepted only when the operator's known_hosts file
 * lists its exact key for its host (and port). Nothing is ever added to the file and nobody is
 * asked: an unknown host or a changed key is refused, and {@link #refusal()} says which, so the
 * job's error can name the setting. Revoked and certificate-authority lines are not trusted.
 */
final class KnownHostsOnly implements ServerKeyDatabase {

  private final Path knownHosts;
  private volatile String refusal;

  KnownHostsOnly(Path knownHosts) {
    this.knownHosts = knownHosts;
  }

  @Override
  public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
    HostPort where = HostPort.of(connectAddress);
    List<PublicKey> keys = new ArrayList<>();
    try {
      for (KnownHostEntry entry : KnownHostEntry.readKnownHostEntries(knownHosts)) {
        if (entry.getMarker() != null || !entry.isHostMatch(where.host(), where.port())) continue;
        PublicKey key = entry.getKeyEntry().resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.IGNORING);
        if (key != null) keys.add(key);
      }
    } catch (IOException | GeneralSecurityException e) {
      refusal = "could not read docsSite.publishSshKnownHosts (" + e.getMessage() + ")";
      return List.of();
    }
    return keys;
  }

  @Override
  public boolean accept(String connectAddress, InetSocketAddress remoteAddress, PublicKey serverKey, Configuration config,
      CredentialsProvider provider) {
    List<PublicKey> known = lookup(connectAddress, remoteAddress, config);
    if (known.stream().anyMatch(key -> KeyUtils.compareKeys(key, serverKey))) return true;
    if (refusal == null) {
      refusal = known.isEmpty()
          ? "the host " + connectAddress + " is not in the known hosts file (docsSite.publishSshKnownHosts); the operator adds its key"
          : "the host key of " + connectAddress + " does not match the known hosts file (docsSite.publishSshKnownHosts): the key changed,"
              + " or this is not the server it claims to be";
    }
    return false;
  }

  /** Why a host was refused, if one was. */
  Optional<String> refusal() {
    return Optional.ofNullable(refusal);
  }

  /** JGit's connect address: {@code host}, or {@code [host]:port} off port 22. */
  record HostPort(String host, int port) {
    static HostPort of(String connectAddress) {
      if (connectAddress.startsWith("[")) {
        int close = connectAddress.indexOf("]:");
        if (close > 0) {
          try {
            return new HostPort(connectAddress.substring(1, close), Integer.parseInt(connectAddress.substring(close + 2)));
          } catch (NumberFormatException e) {
            return new HostPort(connectAddress, 22);
          }
        }
      }
      return new HostPort(connectAddress, 22);
    }
  }
}
