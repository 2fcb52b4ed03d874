package dev.buildcast.generator.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.RunningServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs-site through the real server: listed with its params, a zip job previewed, a local repository refused at submit, an https one without upload accepted. */
class DocsSitePreviewIT {

  @TempDir Path dir;

  @Test
  void generateAndPreview_zipOfMarkdown_servesTheSiteAndItsAssets() throws Exception {
    Path zip = new RepoFixture()
        .text("docs/index.md", "# Handbook\n\n[Setup](setup.md) [gone](gone.md)\n")
        .text("docs/setup.md", "# Setup\n\n```bash\necho hi\n```\n")
        .zipTo(dir.resolve("repo.zip"), "handbook-main");
    try (RunningServer server = RunningServer.start(dir.resolve("data"), "maxConcurrentJobs: 2\n")) {
      JsonNode generators = RunningServer.json(server.get("/api/generators", null).body());
      JsonNode docs = null;
      for (JsonNode g : generators) if (g.get("name").asText().equals("docs-site")) docs = g;
      assertThat(docs).isNotNull();
      assertThat(docs.get("input").asText()).isEqualTo("zip");
      assertThat(docs.get("inputRequired").asBoolean()).isFalse();
      assertThat(docs.get("site").asBoolean()).isTrue();
      assertThat(docs.get("params").findValuesAsText("name"))
          .containsExactly("git_url", "branch", "docs_folder", "theme", "site_name", "publish_remote", "publish_branch");

      HttpResponse<String> upload = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/uploads"))
          .header("X-File-Name", "repo.zip").PUT(HttpRequest.BodyPublishers.ofFile(zip)).build());
      String uploadId = RunningServer.json(upload.body()).get("uploadId").asText();
      JsonNode ticket = submit(server, "{\"generator\":\"docs-site\",\"uploadId\":\"" + uploadId + "\"}");
      String id = ticket.get("jobId").asText();
      String token = ticket.get("token").asText();
      await().atMost(Duration.ofSeconds(60)).until(() -> server.get("/api/jobs/" + id, token).body().matches(".*\"(succeeded|failed)\".*"));

      assertThat(server.get("/api/jobs/" + id, token).body()).contains("\"succeeded\"", "site.zip");
      String preview = previewOf(server, id, token);
      HttpResponse<String> home = server.get(preview, null);
      assertThat(home.statusCode()).isEqualTo(200);
      assertThat(home.body()).contains("<title>Handbook · handbook-main</title>", "href=\"setup.html\"");
      assertThat(server.get(preview + "assets/search-index.js", null).body()).contains("Setup");
      assertThat(server.get(preview + "assets/vendor/highlight.min.js", null).statusCode()).isEqualTo(200);
      assertThat(server.get("/api/jobs/" + id + "/log?token=" + token, null).body()).contains("index.md:3: broken link gone.md");
    }
  }

  @Test
  void submit_localRepositoryPath_isRefusedAtSubmitNamingTheSetting() throws Exception {
    try (RunningServer server = RunningServer.start(dir.resolve("data"), "maxConcurrentJobs: 2\n")) {
      HttpResponse<String> refused = post(server, "{\"generator\":\"docs-site\",\"params\":{\"git_url\":\"file:///etc\"}}");

      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(RunningServer.json(refused.body()).at("/error/code").asText()).isEqualTo("invalid_param");
      assertThat(refused.body()).contains("local repositories (file:// or a path on the server) are refused", "docsSite.allowLocalRepositories");
    }
  }

  @Test
  void submit_httpsGitUrlWithoutUpload_isAcceptedAndAnUnreachableRepositoryFailsTheJobClearly() throws Exception {
    try (RunningServer server = RunningServer.start(dir.resolve("data"), "maxConcurrentJobs: 2\n")) {
      // why port 1 on loopback: nothing listens there, so the clone fails at once on every machine without a network
      JsonNode ticket = submit(server, "{\"generator\":\"docs-site\",\"params\":{\"git_url\":\"https://127.0.0.1:1/handbook.git\"}}");
      String id = ticket.get("jobId").asText();
      String token = ticket.get("token").asText();
      await().atMost(Duration.ofSeconds(60)).until(() -> server.get("/api/jobs/" + id, token).body().contains("\"failed\""));

      assertThat(server.get("/api/jobs/" + id + "/log?token=" + token, null).body()).contains("https://127.0.0.1:1/handbook.git");
      assertThat(server.get(previewOf(server, id, token) + "index.html", null).statusCode()).isEqualTo(404);
    }
  }

  /** The preview's address, where the job's site route sends a request carrying its token. */
  private static String previewOf(RunningServer server, String id, String token) throws Exception {
    HttpResponse<String> redirect = server.get("/api/jobs/" + id + "/site/?token=" + token, null);
    assertThat(redirect.statusCode()).isEqualTo(302);
    return redirect.headers().firstValue("Location").orElseThrow();
  }

  private static JsonNode submit(RunningServer server, String body) throws Exception {
    HttpResponse<String> created = post(server, body);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return RunningServer.json(created.body());
  }

  private static HttpResponse<String> post(RunningServer server, String body) throws Exception {
    return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }
}
