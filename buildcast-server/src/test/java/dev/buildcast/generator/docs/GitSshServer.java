package dev.buildcast.generator.docs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.keyprovider.MappedKeyPairProvider;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.UploadPack;

/**
 * A git server over SSH on 127.0.0.1 (Apache MINA sshd running JGit's upload-pack and
 * receive-pack), started by a test: it has its own host key and lets in only the client key it
 * was given. {@link #writeClientKey} and {@link #knownHostsLine} make the files the operator would.
 */
final class GitSshServer implements AutoCloseable {

  private final SshServer server = SshServer.setUpDefaultServer();
  private final Map<String, Repository> repositories = new ConcurrentHashMap<>();
  private final KeyPair hostKey;

  GitSshServer(PublicKey allowedClient) throws IOException, GeneralSecurityException {
    hostKey = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(new MappedKeyPairProvider(hostKey));
    server.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(key, allowedClient));
    server.setPasswordAuthenticator(null);
    server.setKeyboardInteractiveAuthenticator(null);
    server.setCommandFactory((channel, command) -> new GitCommand(command));
    server.start();
  }

  static KeyPair newKeyPair() throws GeneralSecurityException {
    return KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
  }

  /** Writes the key pair's private key in OpenSSH format, as the operator's key file. */
  static Path writeClientKey(KeyPair pair, Path file) throws IOException, GeneralSecurityException {
    try (OutputStream out = Files.newOutputStream(file)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "buildcast-test", null, out);
    }
    return file;
  }

  /** This server's line of a known_hosts file. */
  String knownHostsLine() {
    return "[127.0.0.1]:" + server.getPort() + " " + PublicKeyEntry.toString(hostKey.getPublic());
  }

  void serve(String name, Repository repository) {
    repositories.put(name, repository);
  }

  String url(String name) {
    return "ssh://git@127.0.0.1:" + server.getPort() + "/" + name;
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
  }

  /** {@code git-upload-pack '/name'} or {@code git-receive-pack '/name'} on a served repository. */
  private final class GitCommand implements Command {
    private final String command;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;

    GitCommand(String command) {
      this.command = command;
    }

    @Override public void setInputStream(InputStream in) { this.in = in; }
    @Override public void setOutputStream(OutputStream out) { this.out = out; }
    @Override public void setErrorStream(OutputStream err) { this.err = err; }
    @Override public void setExitCallback(ExitCallback callback) { this.exit = callback; }

    @Override
    public void start(ChannelSession channel, Environment env) {
      Thread.ofVirtual().name("test-git-ssh").start(this::serve);
    }

    private void serve() {
      String[] words = command.split(" ", 2);
      String name = words.length < 2 ? "" : words[1].replace("'", "").replaceFirst("^/", "");
      Repository repo = repositories.get(name);
      try {
        if (repo == null) {
          err.write(("no repository " + name + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
          err.flush();
          exit.onExit(1);
          return;
        }
        switch (words[0]) {
          case "git-upload-pack" -> new UploadPack(repo).upload(in, out, err);
          case "git-receive-pack" -> new ReceivePack(repo).receive(in, out, err);
          default -> {
            exit.onExit(127);
            return;
          }
        }
        out.flush();
        exit.onExit(0);
      } catch (IOException e) {
        exit.onExit(1, e.getMessage());
      }
    }

    @Override
    public void destroy(ChannelSession channel) {}
  }
}
