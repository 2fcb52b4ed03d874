package dev.buildcast.generator.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.RunningServer;
import dev.buildcast.testing.SocketClients;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A docs-site job pushing with its own token (a job secret) through the real server, to a git
 * server started here that takes pushes only with that token; the token is then nowhere: not in
 * the data folder, the job's log, its status, nor the server's log.
 */
class DocsSitePublishIT {

  private static final String TOKEN = "ghx_8d1e0b7c2a9f4e6d5c3b";

  @TempDir Path dir;
  private GitHttpServer git;
  private Repository docsRepo;
  private Repository siteRepo;
  private final ListAppender<ILoggingEvent> serverLog = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final Logger ours = (Logger) LoggerFactory.getLogger("dev.buildcast");
  private Level oursBefore;

  @BeforeEach
  void start() throws Exception {
    Path work = dir.resolve("docs-work");
    try (Git repo = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      Files.createDirectories(work.resolve("docs"));
      Files.writeString(work.resolve("docs/index.md"), "# Handbook\n\nSee [setup](setup.md).\n");
      Files.writeString(work.resolve("docs/setup.md"), "# Setup\n");
      repo.add().addFilepattern(".").call();
      repo.commit().setMessage("docs").setSign(false).setAuthor("t", "t@example.invalid").setCommitter("t", "t@example.invalid").call();
    }
    docsRepo = Git.cloneRepository().setBare(true).setURI(work.toUri().toString()).setDirectory(dir.resolve("docs.git").toFile()).call()
        .getRepository();
    siteRepo = Git.init().setBare(true).setDirectory(dir.resolve("site.git").toFile()).call().getRepository();
    git = new GitHttpServer(TOKEN);
    git.serve("docs.git", docsRepo);
    git.serve("site.git", siteRepo);
    oursBefore = ours.getLevel();
    ours.setLevel(Level.DEBUG);
    serverLog.start();
    root.addAppender(serverLog);
  }

  @AfterEach
  void stop() {
    root.detachAppender(serverLog);
    ours.setLevel(oursBefore);
    git.close();
    docsRepo.close();
    siteRepo.close();
  }

  @Test
  void publish_withTheJobsTokenSecret_pushesAndTheTokenIsInNoFileLogOrAnswer() throws Exception {
    try (RunningServer server = RunningServer.start(dir.resolve("data"), "maxConcurrentJobs: 2\n")) {
      HttpResponse<String> created = post(server, "{\"generator\":\"docs-site\",\"params\":{\"git_url\":\"" + git.url("docs.git")
          + "\",\"publish_remote\":\"" + git.url("site.git") + "\"},\"secrets\":{\"publish_token\":\"" + TOKEN + "\"}}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      JsonNode ticket = RunningServer.json(created.body());
      String id = ticket.get("jobId").asText();
      String token = ticket.get("token").asText();
      await().atMost(Duration.ofSeconds(60)).until(() -> server.get("/api/jobs/" + id, token).body().matches(".*\"(succeeded|failed)\".*"));

      String status = server.get("/api/jobs/" + id, token).body();
      String log = server.get("/api/jobs/" + id + "/log?token=" + token, null).body();
      assertThat(status).as(log).contains("\"succeeded\"").doesNotContain(TOKEN);
      assertThat(log).contains("Publishing to gh-pages", "Published ").doesNotContain(TOKEN);
      assertThat(siteRepo.resolve("refs/heads/gh-pages")).isNotNull();
      assertThat(server.get("/api/generators", null).body()).contains("\"publish_token\"").doesNotContain(TOKEN);
    }
    assertNoFileHolds(dir.resolve("data"), TOKEN);
    assertThat(serverLog.list).isNotEmpty().noneMatch(event -> event.getFormattedMessage().contains(TOKEN)
        || (event.getThrowableProxy() != null && ThrowableProxyUtil.asString(event.getThrowableProxy()).contains(TOKEN)));
  }

  @Test
  void submit_badSecrets_areRefusedWith400NamingTheProblemAndNoJobIsCreated() throws Exception {
    try (RunningServer server = RunningServer.start(dir.resolve("data"), "maxConcurrentJobs: 2\n")) {
      String remote = "\"params\":{\"git_url\":\"" + git.url("docs.git") + "\",\"publish_remote\":\"" + git.url("site.git") + "\"}";
      for (List<String> bad : List.of(
          List.of("{\"generator\":\"docs-site\"," + remote + ",\"secrets\":{\"deploy_key\":\"" + TOKEN + "\"}}", "has no secret deploy_key"),
          List.of("{\"generator\":\"docs-site\"," + remote + ",\"secrets\":{\"publish_token\":\"" + "t".repeat(2000) + "\"}}", "longer than 1024"),
          List.of("{\"generator\":\"docs-site\"," + remote + ",\"secrets\":{\"publish_token\":12345678901}}", "must be a string"),
          List.of("{\"generator\":\"docs-site\"," + remote + ",\"secrets\":[\"" + TOKEN + "\"]}", "'secrets' must be an object"))) {
        HttpResponse<String> refused = post(server, bad.get(0));

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(RunningServer.json(refused.body()).at("/error/code").asText()).isEqualTo("invalid_secret");
        assertThat(refused.body()).contains(bad.get(1)).doesNotContain(TOKEN);
      }
      try (Stream<Path> jobs = Files.list(server.dataDir().resolve("jobs"))) {
        assertThat(jobs.toList()).isEmpty();
      }
    }
  }

  @Test
  void generate_overSocketIoWithTheTokenSecret_pushesAndABadSecretIsRefusedInTheAck() throws Exception {
    try (RunningServer server = RunningServer.start(dir.resolve("data"), "maxConcurrentJobs: 2\n")) {
      io.socket.client.Socket root = SocketClients.root(server.url());
      try {
        Map<String, String> params = Map.of("git_url", git.url("docs.git"), "publish_remote", git.url("site.git"));
        JsonNode refused = SocketClients.generate(root, Map.of("generator", "docs-site", "params", params,
            "secrets", Map.of("publish_token", "tiny")));
        JsonNode ticket = SocketClients.generate(root, Map.of("generator", "docs-site", "params", params,
            "secrets", Map.of("publish_token", TOKEN)));

        assertThat(refused.at("/error/code").asText()).isEqualTo("invalid_secret");
        String id = ticket.get("jobId").asText();
        String token = ticket.get("token").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> server.get("/api/jobs/" + id, token).body().matches(".*\"(succeeded|failed)\".*"));
        assertThat(server.get("/api/jobs/" + id, token).body()).contains("\"succeeded\"").doesNotContain(TOKEN);
        assertThat(siteRepo.resolve("refs/heads/gh-pages")).isNotNull();
      } finally {
        root.close();
      }
    }
    assertNoFileHolds(dir.resolve("data"), TOKEN);
  }

  private static HttpResponse<String> post(RunningServer server, String body) throws Exception {
    return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private static void assertNoFileHolds(Path folder, String secret) throws Exception {
    String needle = new String(secret.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as(file.toString()).doesNotContain(needle);
      }
    }
  }
}
