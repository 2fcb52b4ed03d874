package dev.buildcast.generator.docs;

import dev.buildcast.generator.JobSecrets;
import dev.buildcast.log.LogSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * Publishes the site: one commit holding exactly the site's files (and a {@code .nojekyll}, so
 * GitHub Pages serves folders starting with {@code _}) on top of the branch's current tip, pushed
 * to the remote. Only the branch's tip is fetched (depth 1). The token — the job's own {@code
 * publish_token} secret, else the one the operator configured — goes in a credentials provider,
 * never in the address, and was registered as a mask before the job started, so no line can show
 * it. A job submitted with a token that a restart lost fails rather than push with the operator's.
 * A push the remote refuses ends the job with the remote's reason.
 */
final class SitePublisher {

  static final String TOKEN_USER = "x-access-token";
  /** The job secret holding the push token. */
  static final String PUBLISH_TOKEN = "publish_token";

  private final DocsSiteSettings settings;
  private final LogSink log;
  private final JobSecrets secrets;

  SitePublisher(DocsSiteSettings settings, LogSink log, JobSecrets secrets) {
    this.settings = settings;
    this.log = log;
    this.secrets = secrets;
  }

  void publish(Path siteDir, String remote, String branch, Path workDir, String jobId) throws DocsProblem, IOException, InterruptedException {
    URIish uri = GitUrls.checkPublish(remote, settings.allowLocalRepositories(), settings.publishSsh().isPresent());
    boolean ssh = GitUrls.isSsh(uri);
    Optional<CredentialsProvider> credentials = ssh ? Optional.empty() : credentials(uri);
    log.group("Publishing to " + branch);
    Path repoDir = workDir.resolve("publish");
    String ref = Constants.R_HEADS + branch;
    Optional<SshPublishing> sshSession = Optional.empty();
    try (Git git = Git.init().setDirectory(repoDir.toFile()).setInitialBranch(branch).call()) {
      if (ssh) sshSession = Optional.of(new SshPublishing(settings.publishSsh().orElseThrow(), Files.createDirectories(workDir.resolve("ssh-home"))));
      TransportConfigCallback transport = sshSession.map(SshPublishing::callback).orElse(t -> {});
      Optional<ObjectId> tip = fetchTip(git, remote, ref, credentials, transport);
      tip.ifPresent(id -> log.detail(branch + " is at " + id.abbreviate(10).name() + " on the remote"));
      if (tip.isPresent()) setBranch(git, ref, tip.get());
      copySite(siteDir, repoDir);
      git.add().addFilepattern(".").call();
      PersonIdent who = new PersonIdent("Buildcast", "buildcast@localhost");
      RevCommit commit = git.commit().setMessage("Publish the docs site (Buildcast job " + jobId + ")")
          .setAuthor(who).setCommitter(who).setNoVerify(true).setSign(false).setAllowEmpty(true).call();
      if (tip.isPresent() && sameTree(git, commit, tip.get())) {
        log.notice("The site on " + branch + " is already up to date; nothing to push");
        return;
      }
      push(git, remote, ref, credentials, transport);
      log.notice("Published " + commit.abbreviate(10).name() + " to " + branch);
    } catch (TransportException e) {
      Cancellation.throwIfInterrupted();
      Optional<String> hostRefused = sshSession.flatMap(SshPublishing::hostRefusal);
      if (hostRefused.isPresent()) throw new DocsProblem("could not publish to " + remote + ": " + hostRefused.get(), e);
      throw new DocsProblem("could not publish to " + remote + ": " + GitClone.rootMessage(e)
          + (ssh ? " (SSH pushes use the key in docsSite.publishSshKeyFile)" : "")
          + (credentials.isEmpty() && !ssh
              ? " (no push token: give the job the secret " + PUBLISH_TOKEN + ", or the operator sets docsSite.publishTokenEnv)" : ""), e);
    } catch (GitAPIException e) {
      Cancellation.throwIfInterrupted();
      throw new DocsProblem("could not publish to " + remote + ": " + GitClone.rootMessage(e), e);
    } finally {
      sshSession.ifPresent(SshPublishing::close);
      log.endGroup();
    }
  }

  private Optional<CredentialsProvider> credentials(URIish uri) throws DocsProblem {
    Optional<String> token = token(uri);
    if (token.isEmpty()) return Optional.empty();
    if (!GitUrls.mayCarryToken(uri)) {
      throw new DocsProblem("parameter " + DocsOptions.PUBLISH_REMOTE + ": the push token is only sent over https; give an https address");
    }
    return Optional.of(new UsernamePasswordCredentialsProvider(TOKEN_USER, token.get()));
  }

  /** The job's own token first; the operator's only for a job that brought none, and only to the hosts it is meant for. */
  private Optional<String> token(URIish uri) throws DocsProblem {
    if (secrets.wasLost(PUBLISH_TOKEN)) {
      throw new DocsProblem("the job's secret " + PUBLISH_TOKEN + " was not kept over a restart of the server (job secrets live in its memory"
          + " only, never on disk); submit the job again with the token");
    }
    Optional<String> own = secrets.value(PUBLISH_TOKEN);
    if (own.isPresent() || settings.publishToken().isEmpty()) return own;
    if (!settings.publishTokenMayGoTo(uri.getHost())) {
      throw new DocsProblem("the operator's push token is only sent to " + String.join(", ", settings.publishTokenHosts())
          + " (docsSite.publishTokenHosts), not to " + uri.getHost() + "; give the job its own secret " + PUBLISH_TOKEN
          + " to publish there");
    }
    return settings.publishToken();
  }

  private static Optional<ObjectId> fetchTip(Git git, String remote, String ref, Optional<CredentialsProvider> credentials,
      TransportConfigCallback transport) throws GitAPIException {
    String tracking = "refs/remotes/origin/" + ref.substring(Constants.R_HEADS.length());
    boolean exists = Git.lsRemoteRepository().setRemote(remote).setHeads(true).setCredentialsProvider(credentials.orElse(null))
        .setTransportConfigCallback(transport).call().stream().map(Ref::getName).anyMatch(ref::equals);
    if (!exists) return Optional.empty();
    git.fetch().setRemote(remote).setRefSpecs(new RefSpec("+" + ref + ":" + tracking)).setDepth(1)
        .setCredentialsProvider(credentials.orElse(null)).setTransportConfigCallback(transport).call();
    try {
      return Optional.ofNullable(git.getRepository().resolve(tracking));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Points the unborn branch at the remote tip, leaving the index empty: the commit then holds only the site. */
  private static void setBranch(Git git, String ref, ObjectId tip) throws IOException {
    RefUpdate update = git.getRepository().updateRef(ref);
    update.setNewObjectId(tip);
    update.forceUpdate();
  }

  private static void copySite(Path siteDir, Path repoDir) throws IOException, InterruptedException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(siteDir)) {
      files = walk.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).toList();
    }
    for (Path file : files) {
      Cancellation.throwIfInterrupted();
      Path target = repoDir.resolve(SourceTree.relative(siteDir, file));
      Files.createDirectories(target.getParent());
      Files.copy(file, target);
    }
    Files.writeString(repoDir.resolve(".nojekyll"), "");
  }

  private static boolean sameTree(Git git, RevCommit commit, ObjectId tip) throws IOException {
    try (RevWalk walk = new RevWalk(git.getRepository())) {
      return walk.parseCommit(tip).getTree().equals(commit.getTree());
    }
  }

  private void push(Git git, String remote, String ref, Optional<CredentialsProvider> credentials, TransportConfigCallback transport)
      throws DocsProblem, GitAPIException {
    Iterable<PushResult> results = git.push().setRemote(remote).setRefSpecs(new RefSpec(ref + ":" + ref))
        .setCredentialsProvider(credentials.orElse(null)).setTransportConfigCallback(transport).setTimeout((int) settings.cloneTimeout().toSeconds()).call();
    for (PushResult result : results) {
      if (result.getMessages() != null && !result.getMessages().isBlank()) {
        result.getMessages().lines().forEach(line -> log.detail("remote: " + line));
      }
      for (RemoteRefUpdate update : result.getRemoteUpdates()) {
        switch (update.getStatus()) {
          case OK, UP_TO_DATE -> log.detail(update.getRemoteName() + ": " + update.getStatus());
          case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED -> throw new DocsProblem("the remote refused the push to "
              + shortName(update.getRemoteName()) + ": the branch changed while the site was built; run the job again");
          default -> throw new DocsProblem("the remote refused the push to " + shortName(update.getRemoteName()) + ": "
              + (update.getMessage() == null ? update.getStatus().toString() : update.getMessage()));
        }
      }
    }
  }

  private static String shortName(String ref) {
    return ref.startsWith(Constants.R_HEADS) ? ref.substring(Constants.R_HEADS.length()) : ref;
  }
}
