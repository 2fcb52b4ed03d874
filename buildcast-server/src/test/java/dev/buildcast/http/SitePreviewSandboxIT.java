package dev.buildcast.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.RunningServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, item 2: a preview page runs in a sandbox without Buildcast's origin, types are never
 * sniffed, and anything that is not a page, what pages load or an allowed media type is a download.
 */
class SitePreviewSandboxIT {

  static final String CONFIG =
      """
      generators:
        - name: site
          site: public
          command:
            - bash
            - -c
            - |
              mkdir -p public && cd public
              echo '<script>localStorage.getItem("k")</script>' > index.html
              echo 'p {}' > style.css
              echo '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>' > logo.svg
              echo '<x/>' > data.xml
              printf 'PNG' > a.png
              echo '<p>two</p>' > 'page two.html'
              echo '<p>out</p>' > "$BUILDCAST_OUTPUT/out.html"
      """;

  @TempDir Path dir;
  private RunningServer server;
  private String id;
  private String token;

  @BeforeEach
  void start() throws Exception {
    server = RunningServer.start(dir.resolve("data"), CONFIG);
    HttpResponse<String> created = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"generator\":\"site\"}")).build());
    JsonNode ticket = RunningServer.json(created.body());
    id = ticket.get("jobId").asText();
    token = ticket.get("token").asText();
    await().atMost(Duration.ofSeconds(60)).until(() -> server.get("/api/jobs/" + id, token).body().contains("\"succeeded\""));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String previewPrefix() throws Exception {
    HttpResponse<String> redirect = server.get("/api/jobs/" + id + "/site/?token=" + token, null);
    assertThat(redirect.statusCode()).isEqualTo(302);
    return redirect.headers().firstValue("Location").orElseThrow();
  }

  @Test
  void preview_page_isSandboxedWithoutSameOriginAndNotSniffed() throws Exception {
    HttpResponse<String> page = server.get(previewPrefix(), null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy")).contains(SiteRoutes.SANDBOX);
    assertThat(SiteRoutes.SANDBOX).startsWith("sandbox ").doesNotContain("allow-same-origin");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
    assertThat(page.headers().firstValue("Content-Disposition")).isEmpty();
    assertThat(page.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void preview_svgAndUnknownTypes_areDownloadsNotDocuments() throws Exception {
    String prefix = previewPrefix();
    HttpResponse<String> svg = server.get(prefix + "logo.svg", null);
    assertThat(svg.headers().firstValue("Content-Type")).contains("image/svg+xml");
    assertThat(svg.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"logo.svg\"");
    assertThat(svg.headers().firstValue("Content-Security-Policy")).contains(SiteRoutes.SANDBOX);
    assertThat(server.get(prefix + "data.xml", null).headers().firstValue("Content-Disposition")).hasValueSatisfying(v -> assertThat(v).startsWith("attachment"));
    HttpResponse<String> style = server.get(prefix + "style.css", null);
    assertThat(style.headers().firstValue("Content-Type")).contains("text/css; charset=utf-8");
    assertThat(style.headers().firstValue("Content-Disposition")).isEmpty();
    HttpResponse<String> png = server.get(prefix + "a.png", null);
    assertThat(png.headers().firstValue("Content-Type")).contains("image/png");
    assertThat(png.headers().firstValue("Content-Disposition")).isEmpty();
    assertThat(server.get(prefix + "page%20two.html", null).statusCode()).isEqualTo(200);
  }

  @Test
  void preview_keyOfAnotherJobOrNone_isRefused() throws Exception {
    String prefix = previewPrefix();
    assertThat(prefix).matches("/api/jobs/" + id + "/preview/[A-Za-z0-9_-]{43}/");
    assertThat(server.get(prefix.replaceAll("/preview/[^/]+/", "/preview/x/"), null).statusCode()).isEqualTo(403);
    assertThat(server.get("/api/jobs/" + id + "/site/", null).statusCode()).isEqualTo(403);
    HttpResponse<String> bearer = server.get("/api/jobs/" + id + "/site/page%20two.html", token);
    assertThat(bearer.statusCode()).isEqualTo(302);
    assertThat(bearer.headers().firstValue("Location")).contains(prefix + "page%20two.html");
  }

  @Test
  void artifact_html_isADownloadNeverSniffed() throws Exception {
    HttpResponse<String> artifact = server.get("/api/jobs/" + id + "/artifacts/out.html", token);
    assertThat(artifact.statusCode()).isEqualTo(200);
    assertThat(artifact.headers().firstValue("Content-Disposition")).hasValueSatisfying(v -> assertThat(v).startsWith("attachment"));
    assertThat(artifact.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
  }
}
