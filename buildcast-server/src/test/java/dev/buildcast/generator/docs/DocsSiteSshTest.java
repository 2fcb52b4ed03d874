package dev.buildcast.generator.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.generator.JobSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishing over SSH with the operator's key, to an SSH git server started here; host keys checked strictly against known_hosts. */
class DocsSiteSshTest {

  @TempDir Path temp;
  private GitSshServer ssh;
  private Repository siteRepo;
  private Path keyFile;
  private Path zip;

  @BeforeEach
  void start() throws Exception {
    KeyPair client = GitSshServer.newKeyPair();
    keyFile = GitSshServer.writeClientKey(client, temp.resolve("id_ecdsa"));
    siteRepo = Git.init().setBare(true).setDirectory(temp.resolve("site.git").toFile()).call().getRepository();
    ssh = new GitSshServer(client.getPublic());
    ssh.serve("site.git", siteRepo);
    zip = new RepoFixture().text("docs/index.md", "# Handbook\n").zipTo(temp.resolve("repo.zip"), "handbook");
  }

  @AfterEach
  void stop() throws Exception {
    ssh.close();
    siteRepo.close();
  }

  private DocsRun publish(String knownHosts, Path folder) throws Exception {
    Path hosts = Files.writeString(temp.resolve(folder.getFileName() + "-known_hosts"), knownHosts);
    DocsSiteSettings settings = new DocsSiteSettings(false, false, 50L << 20, Duration.ofMinutes(1), 1000, Optional.empty(), "",
        Optional.of(new DocsSiteSettings.SshKey(keyFile, hosts)), List.of());
    return DocsRun.of(folder, Optional.of(zip), Map.of("publish_remote", ssh.url("site.git")), settings, Clock.systemUTC(), JobSecrets.none());
  }

  @Test
  void publish_sshWithTheOperatorsKeyAndAKnownHost_pushesTheSite() throws Exception {
    DocsRun run = publish(ssh.knownHostsLine() + "\n", temp.resolve("a"));

    assertThat(run.errors()).isEmpty();
    assertThat(run.exitCode).isZero();
    assertThat(siteRepo.resolve("refs/heads/gh-pages")).isNotNull();
  }

  @Test
  void publish_hostNotInKnownHosts_isRefusedNamingTheSetting() throws Exception {
    DocsRun run = publish("", temp.resolve("a"));

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.errors()).singleElement().asString()
        .contains("is not in the known hosts file (docsSite.publishSshKnownHosts)");
    assertThat(siteRepo.resolve("refs/heads/gh-pages")).isNull();
  }

  @Test
  void publish_hostKeyChanged_isRefused() throws Exception {
    String otherKey = org.apache.sshd.common.config.keys.PublicKeyEntry.toString(GitSshServer.newKeyPair().getPublic());
    String port = ssh.knownHostsLine().substring(0, ssh.knownHostsLine().indexOf(' '));

    DocsRun run = publish(port + " " + otherKey + "\n", temp.resolve("a"));

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.errors()).singleElement().asString().contains("does not match the known hosts file");
    assertThat(siteRepo.resolve("refs/heads/gh-pages")).isNull();
  }

  @Test
  void publish_keyTheServerDoesNotKnow_isRefusedNamingTheKeySetting() throws Exception {
    keyFile = GitSshServer.writeClientKey(GitSshServer.newKeyPair(), temp.resolve("other_id"));

    DocsRun run = publish(ssh.knownHostsLine() + "\n", temp.resolve("a"));

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.errors()).singleElement().asString().startsWith("could not publish to " + ssh.url("site.git"))
        .contains("docsSite.publishSshKeyFile");
    assertThat(siteRepo.resolve("refs/heads/gh-pages")).isNull();
  }

  @Test
  void submit_sshAddressWithoutAConfiguredKey_isRefusedNamingTheSetting() {
    Optional<String> problem = new DocsSiteGenerator(DocsSiteSettings.defaults(), Clock.systemUTC())
        .paramProblem(Map.of("publish_remote", "git@example.invalid:org/site.git"), true);

    assertThat(problem).get().asString().contains("docsSite.publishSshKeyFile");
  }
}
