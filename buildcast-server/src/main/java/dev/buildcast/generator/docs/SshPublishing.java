package dev.buildcast.generator.docs;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * The SSH side of one publish: JGit over Apache MINA sshd with the operator's key and known_hosts
 * only. Nothing of the server user's {@code ~/.ssh} is read (no config, no agent, no other key):
 * the home and SSH folders JGit is given are an empty folder of the job.
 */
final class SshPublishing implements AutoCloseable {

  private final KnownHostsOnly knownHosts;
  private final SshdSessionFactory factory;

  SshPublishing(DocsSiteSettings.SshKey key, Path emptyDir) {
    this.knownHosts = new KnownHostsOnly(key.knownHostsFile());
    this.factory = new SshdSessionFactoryBuilder()
        .setHomeDirectory(emptyDir.toFile())
        .setSshDirectory(emptyDir.toFile())
        .setConfigStoreFactory((home, configFile, localUser) -> null)
        .setDefaultIdentities(dir -> List.of(key.keyFile()))
        .setPreferredAuthentications("publickey")
        .setServerKeyDatabase((home, ssh) -> knownHosts)
        .setConnectorFactory(null) // why: no SSH agent; the operator's key file is the only identity
        .build(null);
  }

  /** Sets this session factory on SSH transports; other transports are left alone. */
  TransportConfigCallback callback() {
    return transport -> {
      if (transport instanceof SshTransport ssh) ssh.setSshSessionFactory(factory);
    };
  }

  /** Why the server's host key was refused, if it was. */
  Optional<String> hostRefusal() {
    return knownHosts.refusal();
  }

  @Override
  public void close() {
    factory.close();
  }
}
