package dev.buildcast.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.RunningServer;
import dev.buildcast.upload.ZipFixtures;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, item 1: nothing outside a job's own folder is served through its site preview or its
 * artifacts, whatever the job's process did to its folder; only generators that declare a site
 * have a preview.
 */
class SitePreviewConfinementIT {

  static final String CONFIG =
      """
      generators:
        - name: no-site
          command: [bash, -c, "echo '<p>work</p>' > index.html"]
        - name: public
          command: [bash, -c, "mkdir -p public && echo '<p>public</p>' > public/index.html"]
          site: public
        - name: linked-site
          command: [bash, -c, "ln -s / site"]
          site: site
        - name: unzip
          command: [bash, -c, "unzip -o -q \\"$BUILDCAST_INPUT\\""]
          input: zip
          site: site
        - name: linked-output
          command: [bash, -c, "rm -rf \\"$BUILDCAST_OUTPUT\\" && ln -s / \\"$BUILDCAST_OUTPUT\\""]
      """;

  @TempDir Path dir;
  private RunningServer server;

  @BeforeEach
  void start() throws Exception {
    server = RunningServer.start(dir.resolve("data"), CONFIG);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private JsonNode runToEnd(String generator, String uploadId) throws Exception {
    String body = "{\"generator\":\"" + generator + "\"" + (uploadId == null ? "" : ",\"uploadId\":\"" + uploadId + "\"") + "}";
    HttpResponse<String> created = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode ticket = RunningServer.json(created.body());
    String id = ticket.get("jobId").asText();
    String token = ticket.get("token").asText();
    await().atMost(Duration.ofSeconds(60)).until(() -> !server.get("/api/jobs/" + id, token).body().matches(".*\"state\":\"(queued|running)\".*"));
    return ticket;
  }

  private HttpResponse<String> get(JsonNode ticket, String path) throws Exception {
    return server.get("/api/jobs/" + ticket.get("jobId").asText() + path, ticket.get("token").asText());
  }

  /** A preview file: the token's redirect to the preview path, followed when there is one. */
  private HttpResponse<String> preview(JsonNode ticket, String path) throws Exception {
    HttpResponse<String> answer = get(ticket, "/site/" + path);
    if (answer.statusCode() != 302) return answer;
    return server.get(answer.headers().firstValue("Location").orElseThrow(), null);
  }

  private String upload(Path file) throws Exception {
    HttpResponse<String> upload = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/uploads"))
        .header("X-File-Name", "in.zip").PUT(HttpRequest.BodyPublishers.ofFile(file)).build());
    assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
    return RunningServer.json(upload.body()).get("uploadId").asText();
  }

  @Test
  void site_generatorWithoutSite_isNotFound() throws Exception {
    JsonNode job = runToEnd("no-site", null);
    HttpResponse<String> page = preview(job, "index.html");
    assertThat(page.statusCode()).isEqualTo(404);
    assertThat(page.body()).contains("\"not_found\"").contains("does not make a website");
  }

  @Test
  void site_generatorDeclaringSitePublic_servesThatFolder() throws Exception {
    JsonNode job = runToEnd("public", null);
    HttpResponse<String> page = preview(job, "");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<p>public</p>");
  }

  @Test
  void site_siteFolderMadeALinkToRoot_servesNothingOutside() throws Exception {
    JsonNode job = runToEnd("linked-site", null);
    HttpResponse<String> passwd = preview(job, "etc/passwd");
    assertThat(passwd.statusCode()).isEqualTo(404);
    assertThat(passwd.body()).doesNotContain("root:");
  }

  @Test
  void site_zipWithALinkEntryMadeByBeOs_isRefusedAndNothingOutsideIsServed() throws Exception {
    assumeThat(Files.isExecutable(Path.of("/usr/bin/unzip"))).as("unzip is installed").isTrue();
    Path zip = ZipFixtures.zip().symlink("site", "/", ZipFixtures.HOST_BEOS).writeTo(dir.resolve("beos.zip"));
    JsonNode job = runToEnd("unzip", upload(zip));
    JsonNode status = RunningServer.json(get(job, "").body());
    assertThat(status.get("reason").asText()).isEqualTo("input refused (symlink check)");
    HttpResponse<String> passwd = preview(job, "etc/passwd");
    assertThat(passwd.statusCode()).isEqualTo(404);
    assertThat(passwd.body()).doesNotContain("root:");
  }

  @Test
  void artifact_outputFolderMadeALinkToRoot_servesNothingOutside() throws Exception {
    JsonNode job = runToEnd("linked-output", null);
    HttpResponse<String> passwd = get(job, "/artifacts/etc/passwd");
    assertThat(passwd.statusCode()).isEqualTo(404);
    assertThat(passwd.body()).doesNotContain("root:");
  }
}
