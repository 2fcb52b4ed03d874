package dev.buildcast.generator.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import dev.buildcast.generator.JobSecrets;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocsSiteGitTest {

  static final String TOKEN = "tok_3f9a1c7e5b2d4861a0c9";

  @TempDir Path temp;
  private GitHttpServer server;
  private Repository docsRepo;
  private Repository siteRepo;

  @BeforeEach
  void startServer() throws Exception {
    docsRepo = bareWithDocs("docs.git", "main");
    siteRepo = Git.init().setBare(true).setDirectory(temp.resolve("site.git").toFile()).call().getRepository();
    server = new GitHttpServer(TOKEN);
    server.serve("docs.git", docsRepo);
    server.serve("site.git", siteRepo);
  }

  @AfterEach
  void stopServer() throws Exception {
    server.close();
    docsRepo.close();
    siteRepo.close();
  }

  private Repository bareWithDocs(String name, String branch) throws Exception {
    Path work = temp.resolve(name + "-work");
    try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch(branch).call()) {
      Files.createDirectories(work.resolve("docs"));
      Files.writeString(work.resolve("docs/index.md"), "# Handbook\n\nSee [setup](setup.md).\n");
      Files.writeString(work.resolve("docs/setup.md"), "# Setup\n");
      git.add().addFilepattern(".").call();
      git.commit().setMessage("docs").setSign(false).setAuthor("t", "t@example.invalid").setCommitter("t", "t@example.invalid").call();
    }
    return Git.cloneRepository().setBare(true).setURI(work.toUri().toString()).setDirectory(temp.resolve(name).toFile()).call().getRepository();
  }

  private static DocsSiteSettings settings(boolean allowLocal, Optional<String> token) {
    return new DocsSiteSettings(allowLocal, false, 50L << 20, Duration.ofMinutes(1), 1000, token, "").withPublishTokenHosts(List.of("127.0.0.1"));
  }

  private DocsRun run(Path folder, Map<String, String> params, DocsSiteSettings settings) throws Exception {
    return DocsRun.of(folder, Optional.empty(), params, settings, Clock.systemUTC());
  }

  @Test
  void build_gitUrlOverHttp_clonesTheBranchShallowAndBuilds() throws Exception {
    DocsRun run = run(temp.resolve("job"), Map.of("git_url", server.url("docs.git")), settings(false, Optional.empty()));

    assertThat(run.errors()).isEmpty();
    assertThat(run.exitCode).isZero();
    assertThat(run.html("index.html")).contains("href=\"setup.html\"");
    assertThat(run.html("index.html")).contains("<title>Handbook · docs</title>");
    assertThat(run.log.texts()).contains("Cloning " + server.url("docs.git"), "Cloning branch main (shallow)");
    try (Git clone = Git.open(run.workDir.resolve("source").toFile())) {
      assertThat(clone.getRepository().getObjectDatabase().getShallowCommits()).hasSize(1);
    }
  }

  @Test
  void build_localPath_isRefusedUnlessTheOperatorAllowsIt() throws Exception {
    String local = docsRepo.getDirectory().toURI().toString();

    DocsRun refused = run(temp.resolve("a"), Map.of("git_url", local), settings(false, Optional.empty()));
    DocsRun allowed = run(temp.resolve("b"), Map.of("git_url", local), settings(true, Optional.empty()));

    assertThat(refused.errors()).singleElement().asString().contains("local repositories", "docsSite.allowLocalRepositories");
    assertThat(refused.workDir.resolve("source")).doesNotExist();
    assertThat(allowed.exitCode).isZero();
    assertThat(run(temp.resolve("c"), Map.of("git_url", docsRepo.getDirectory().toString()), settings(false, Optional.empty())).errors())
        .singleElement().asString().contains("local repositories");
  }

  @Test
  void build_missingBranchOrEmptyRepository_failsClearly() throws Exception {
    try (Repository empty = Git.init().setBare(true).setDirectory(temp.resolve("empty.git").toFile()).call().getRepository()) {
      server.serve("empty.git", empty);

      assertThat(run(temp.resolve("a"), Map.of("git_url", server.url("empty.git")), settings(false, Optional.empty())).errors())
          .singleElement().asString().contains("is empty: it has no branch to build");
      assertThat(run(temp.resolve("b"), Map.of("git_url", server.url("docs.git"), "branch", "nope"), settings(false, Optional.empty())).errors())
          .containsExactly("the repository has no branch nope; its branches: main");
    }
  }

  @Test
  void build_cloneOverItsTimeLimit_isStoppedNamingTheSetting() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Instant start = Instant.parse("2026-12-02T10:00:00Z");
    Clock jumping = new Clock() {
      @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
      @Override public Clock withZone(java.time.ZoneId zone) { return this; }
      // why: the first reading sets the deadline, every later one is an hour on
      @Override public Instant instant() { return calls.getAndIncrement() == 0 ? start : start.plus(Duration.ofHours(1)); }
    };

    DocsRun run = DocsRun.of(temp.resolve("job"), Optional.empty(), Map.of("git_url", server.url("docs.git")),
        settings(false, Optional.empty()), jumping);

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.errors()).singleElement().asString().contains("longer than 60 s", "docsSite.cloneTimeout");
  }

  @Test
  void build_cloneOverItsSizeLimit_isStoppedNamingTheSetting() throws Exception {
    DocsSiteSettings tiny = new DocsSiteSettings(false, false, 1, Duration.ofMinutes(1), 1000, Optional.empty(), "");

    DocsRun run = run(temp.resolve("job"), Map.of("git_url", server.url("docs.git")), tiny);

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.errors()).singleElement().asString().contains("docsSite.cloneMaxBytes");
  }

  @Test
  void build_publish_commitsTheSiteToTheBranchWithTheTokenMasked() throws Exception {
    Map<String, String> params = Map.of("git_url", server.url("docs.git"), "publish_remote", server.url("site.git"));

    DocsRun first = run(temp.resolve("a"), params, settings(false, Optional.of(TOKEN)));
    DocsRun second = run(temp.resolve("b"), Map.of("git_url", server.url("docs.git"), "publish_remote", server.url("site.git"),
        "site_name", "Renamed"), settings(false, Optional.of(TOKEN)));

    assertThat(first.errors()).isEmpty();
    assertThat(second.errors()).isEmpty();
    assertThat(first.log.texts()).contains("Publishing to gh-pages");
    ObjectId tip = siteRepo.resolve("refs/heads/gh-pages");
    try (RevWalk walk = new RevWalk(siteRepo)) {
      RevCommit commit = walk.parseCommit(tip);
      assertThat(commit.getParentCount()).isEqualTo(1);
      assertThat(TreeWalk.forPath(siteRepo, "index.html", commit.getTree())).isNotNull();
      assertThat(TreeWalk.forPath(siteRepo, ".nojekyll", commit.getTree())).isNotNull();
      assertThat(TreeWalk.forPath(siteRepo, "source", commit.getTree())).isNull();
    }
    assertThat(first.log.masks()).contains(TOKEN);
    assertThat(first.log.texts()).noneMatch(line -> line.contains(TOKEN));
    try (var files = Files.walk(first.site())) {
      assertThat(files.filter(Files::isRegularFile).map(DocsSiteGitTest::read)).noneMatch(text -> text.contains(TOKEN));
    }
  }

  @Test
  void build_publishWithoutTheToken_failsSayingWhichSettingGivesIt() throws Exception {
    DocsRun run = run(temp.resolve("job"), Map.of("git_url", server.url("docs.git"), "publish_remote", server.url("site.git")),
        settings(false, Optional.empty()));

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.errors()).singleElement().asString().startsWith("could not publish to " + server.url("site.git"))
        .contains("the secret publish_token", "docsSite.publishTokenEnv");
  }

  @Test
  void build_publishToAHostTheOperatorsTokenIsNotFor_failsNamingTheHostsAndSendsNothing() throws Exception {
    DocsSiteSettings elsewhere = settings(false, Optional.of(TOKEN)).withPublishTokenHosts(List.of("git.example.org"));

    DocsRun run = run(temp.resolve("job"), Map.of("git_url", server.url("docs.git"), "publish_remote", server.url("site.git")), elsewhere);

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.errors()).containsExactly("the operator's push token is only sent to git.example.org (docsSite.publishTokenHosts), not to"
        + " 127.0.0.1; give the job its own secret publish_token to publish there");
    assertThat(siteRepo.resolve("refs/heads/gh-pages")).isNull();
    assertThat(run.outputDir.resolve("site.zip")).exists();
  }

  @Test
  void build_publishWithTheJobsToken_pushesWithItWithoutAnOperatorToken() throws Exception {
    JobSecrets secrets = new JobSecrets(Map.of("publish_token", TOKEN), Set.of());

    DocsRun run = DocsRun.of(temp.resolve("job"), Optional.empty(),
        Map.of("git_url", server.url("docs.git"), "publish_remote", server.url("site.git")), settings(false, Optional.empty()),
        Clock.systemUTC(), secrets);

    assertThat(run.errors()).isEmpty();
    assertThat(siteRepo.resolve("refs/heads/gh-pages")).isNotNull();
    assertThat(run.log.texts()).noneMatch(line -> line.contains(TOKEN));
  }

  @Test
  void build_jobsTokenIsWrong_failsEvenThoughTheOperatorsWouldWork() throws Exception {
    JobSecrets secrets = new JobSecrets(Map.of("publish_token", "not-the-right-token"), Set.of());

    DocsRun run = DocsRun.of(temp.resolve("job"), Optional.empty(),
        Map.of("git_url", server.url("docs.git"), "publish_remote", server.url("site.git")), settings(false, Optional.of(TOKEN)),
        Clock.systemUTC(), secrets);

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.errors()).singleElement().asString().startsWith("could not publish to " + server.url("site.git"));
    assertThat(siteRepo.resolve("refs/heads/gh-pages")).isNull();
  }

  @Test
  void build_jobsTokenLostOverARestart_failsAskingToSubmitAgainAndPushesNothing() throws Exception {
    JobSecrets lost = new JobSecrets(Map.of(), Set.of("publish_token"));

    DocsRun run = DocsRun.of(temp.resolve("job"), Optional.empty(),
        Map.of("git_url", server.url("docs.git"), "publish_remote", server.url("site.git")), settings(false, Optional.of(TOKEN)),
        Clock.systemUTC(), lost);

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.errors()).containsExactly("the job's secret publish_token was not kept over a restart of the server (job secrets live in"
        + " its memory only, never on disk); submit the job again with the token");
    assertThat(siteRepo.resolve("refs/heads/gh-pages")).isNull();
    assertThat(run.outputDir.resolve("site.zip")).exists();
  }

  @Test
  void build_pushRefusedByTheRemote_failsWithTheRemotesReason() throws Exception {
    server.protect("refs/heads/gh-pages");

    DocsRun run = run(temp.resolve("job"), Map.of("git_url", server.url("docs.git"), "publish_remote", server.url("site.git")),
        settings(false, Optional.of(TOKEN)));

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.errors()).containsExactly("the remote refused the push to gh-pages: branch is protected");
    assertThat(run.outputDir.resolve("site.zip")).exists();
  }

  @Test
  void build_addressWithCredentialsOrSsh_isRefused() throws Exception {
    assertThat(run(temp.resolve("a"), Map.of("git_url", "https://user:pw@example.invalid/x.git"), settings(false, Optional.empty())).errors())
        .singleElement().asString().contains("no user name or password");
    assertThat(run(temp.resolve("b"), Map.of("git_url", "git@example.invalid:org/x.git"), settings(false, Optional.empty())).errors())
        .singleElement().asString().contains("only https addresses");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
