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

      HttpResponse<String> home = server.get("/api/jobs/" + id + "/site/?token=" + token, null);
      assertThat(home.statusCode()).isEqualTo(200);
      assertThat(home.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
      assertThat(home.body()).contains("<html");
      String cookie = home.headers().firstValue("Set-Cookie").orElseThrow();
      assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/api/jobs/" + id + "/site/");

      HttpResponse<String> withCookie = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs/" + id + "/site/index.html"))
          .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build());
      assertThat(withCookie.statusCode()).isEqualTo(200);

      assertThat(server.get("/api/jobs/" + id + "/site/index.html", null).statusCode()).isEqualTo(403);
      assertThat(server.get("/api/jobs/" + id + "/site/index.html", "wrong").statusCode()).isEqualTo(403);
      assertThat(server.get("/api/jobs/" + id + "/site/../job.json?token=" + token, null).statusCode()).isIn(400, 404);
      assertThat(server.get("/api/jobs/" + id + "/site/%2e%2e/%2e%2e/job.json?token=" + token, null).statusCode()).isIn(400, 404);
      assertThat(server.get("/api/jobs/" + id + "/site/nope.html?token=" + token, null).statusCode()).isEqualTo(404);
    }
  }
}
