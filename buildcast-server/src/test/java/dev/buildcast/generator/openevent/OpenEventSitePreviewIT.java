package dev.buildcast.generator.openevent;

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

/** The default job end to end: upload an export over HTTP, generate the site, preview and download it. */
class OpenEventSitePreviewIT {

  @TempDir Path dir;

  @Test
  void uploadGenerateAndPreview_kebabExport_servesOnlyThatJobsSiteToTokenHolders() throws Exception {
    Path zip = Fixtures.kebab().writeTo(dir.resolve("event.zip"));
    try (RunningServer server = RunningServer.start(dir.resolve("data"), "maxConcurrentJobs: 2\n")) {
      HttpResponse<String> upload = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/uploads"))
          .header("X-File-Name", "event.zip").PUT(HttpRequest.BodyPublishers.ofFile(zip)).build());
      assertThat(upload.statusCode()).as(upload.body()).isIn(200, 201);
      String uploadId = RunningServer.json(upload.body()).get("uploadId").asText();

      HttpResponse<String> created = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs"))
          .header("Content-Type", "application/json")
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"generator\":\"open-event-site\",\"uploadId\":\"" + uploadId + "\"}")).build());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      JsonNode ticket = RunningServer.json(created.body());
      String id = ticket.get("jobId").asText();
      String token = ticket.get("token").asText();
      await().atMost(Duration.ofSeconds(60)).until(() -> server.get("/api/jobs/" + id, token).body().contains("\"succeeded\""));

      JsonNode status = RunningServer.json(server.get("/api/jobs/" + id, token).body());
      assertThat(status.get("artifacts").get(0).get("name").asText()).isEqualTo("site.zip");

      HttpResponse<String> redirect = server.get("/api/jobs/" + id + "/site/?token=" + token, null);
      assertThat(redirect.statusCode()).isEqualTo(302);
      String preview = redirect.headers().firstValue("Location").orElseThrow();
      assertThat(preview).matches("/api/jobs/" + id + "/preview/[A-Za-z0-9_-]{43}/");
      HttpResponse<String> home = server.get(preview, null);
      assertThat(home.statusCode()).isEqualTo(200);
      assertThat(home.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
      assertThat(home.headers().firstValue("Content-Security-Policy").orElse("")).startsWith("sandbox").doesNotContain("allow-same-origin");
      assertThat(home.body()).contains("<html");
      HttpResponse<String> style = server.get(preview + "style.css", null);
      assertThat(style.statusCode()).isEqualTo(200);
      assertThat(style.headers().firstValue("Content-Type").orElse("")).startsWith("text/css");

      assertThat(server.get("/api/jobs/" + id + "/site/index.html", null).statusCode()).isEqualTo(403);
      assertThat(server.get("/api/jobs/" + id + "/site/index.html", "wrong").statusCode()).isEqualTo(403);
      assertThat(server.get("/api/jobs/" + id + "/site/../job.json?token=" + token, null).statusCode()).isIn(400, 404);
      assertThat(server.get("/api/jobs/" + id + "/site/%2e%2e/%2e%2e/job.json?token=" + token, null).statusCode()).isIn(400, 404);
      assertThat(server.get(preview + "nope.html", null).statusCode()).isEqualTo(404);
      assertThat(server.get(preview.replaceAll("/preview/[^/]+/", "/preview/" + "A".repeat(43) + "/"), null).statusCode()).isEqualTo(403);
    }
  }
}
