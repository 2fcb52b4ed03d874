package dev.buildcast.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.RunningServer;
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
 * Artifact downloads served from the blob store: one byte range (206 with Content-Range, 416 with
 * {@code bytes *}{@code /size}), the same attachment headers as before, and nothing served from
 * what the job's folder holds after the job ended (the blobs are the copy made at its end).
 */
class ArtifactDownloadIT {

  static final String CONFIG =
      """
      generators:
        - name: digits
          command: [bash, -c, "printf 0123456789 > \\"$BUILDCAST_OUTPUT/digits.txt\\" && : > \\"$BUILDCAST_OUTPUT/empty.bin\\" && mkdir -p \\"$BUILDCAST_OUTPUT/dé part\\" && printf spaced > \\"$BUILDCAST_OUTPUT/dé part/my report #1.txt\\""]
      """;

  @TempDir Path dir;
  private RunningServer server;
  private String id;
  private String token;

  @BeforeEach
  void start() throws Exception {
    server = RunningServer.start(dir.resolve("data"), CONFIG);
    HttpResponse<String> created = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"generator\":\"digits\"}")).build());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode ticket = RunningServer.json(created.body());
    id = ticket.get("jobId").asText();
    token = ticket.get("token").asText();
    await().atMost(Duration.ofSeconds(60)).until(() -> server.get("/api/jobs/" + id, token).body().contains("\"succeeded\""));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> download(String name, String range) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs/" + id + "/artifacts/" + name))
        .header("Authorization", "Bearer " + token);
    if (range != null) request.header("Range", range);
    return server.send(request.build());
  }

  @Test
  void download_withoutRange_isTheWholeFileAsAnAttachmentThatAcceptsRanges() throws Exception {
    HttpResponse<String> whole = download("digits.txt", null);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.body()).isEqualTo("0123456789");
    assertThat(whole.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"digits.txt\"");
    assertThat(whole.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(whole.headers().firstValue("Content-Type")).contains("text/plain");
    assertThat(whole.headers().firstValue("Accept-Ranges")).contains("bytes");
    assertThat(whole.headers().firstValue("Content-Range")).isEmpty();
  }

  @Test
  void download_byTheUrlTheStatusGives_findsNamesWithSpacesAndAccentsAndHashes() throws Exception {
    JsonNode artifacts = RunningServer.json(server.get("/api/jobs/" + id, token).body()).get("artifacts");
    JsonNode spaced = null;
    for (JsonNode a : artifacts) if (a.get("name").asText().equals("dé part/my report #1.txt")) spaced = a;
    assertThat(spaced).as(artifacts.toString()).isNotNull();
    String url = spaced.get("url").asText();
    assertThat(url).endsWith("/artifacts/d%C3%A9%20part/my%20report%20%231.txt");

    HttpResponse<String> fetched = server.send(HttpRequest.newBuilder(URI.create(server.url() + url))
        .header("Authorization", "Bearer " + token).build());
    assertThat(fetched.statusCode()).isEqualTo(200);
    assertThat(fetched.body()).isEqualTo("spaced");
  }

  @Test
  void download_nameThatIsNotUtf8WhenDecoded_is400WithTheJsonError() throws Exception {
    HttpResponse<String> refused = download("caf%E9.txt", null);

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(RunningServer.json(refused.body()).at("/error/code").asText()).isEqualTo("bad_request");
  }

  @Test
  void download_singleRanges_arePartialWithContentRange() throws Exception {
    HttpResponse<String> span = download("digits.txt", "bytes=2-5");
    assertThat(span.statusCode()).isEqualTo(206);
    assertThat(span.body()).isEqualTo("2345");
    assertThat(span.headers().firstValue("Content-Range")).contains("bytes 2-5/10");
    assertThat(span.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"digits.txt\"");

    HttpResponse<String> open = download("digits.txt", "bytes=7-");
    assertThat(open.statusCode()).isEqualTo(206);
    assertThat(open.body()).isEqualTo("789");
    assertThat(open.headers().firstValue("Content-Range")).contains("bytes 7-9/10");

    HttpResponse<String> suffix = download("digits.txt", "bytes=-3");
    assertThat(suffix.statusCode()).isEqualTo(206);
    assertThat(suffix.body()).isEqualTo("789");

    HttpResponse<String> pastEnd = download("digits.txt", "bytes=8-100");
    assertThat(pastEnd.body()).isEqualTo("89");
    assertThat(pastEnd.headers().firstValue("Content-Range")).contains("bytes 8-9/10");
  }

  @Test
  void download_rangeOutsideTheFile_is416WithTheSize() throws Exception {
    for (String range : new String[] {"bytes=10-", "bytes=20-30", "bytes=-0"}) {
      HttpResponse<String> refused = download("digits.txt", range);
      assertThat(refused.statusCode()).as(range).isEqualTo(416);
      assertThat(refused.headers().firstValue("Content-Range")).as(range).contains("bytes */10");
      assertThat(RunningServer.json(refused.body()).at("/error/code").asText()).isEqualTo("range_not_satisfiable");
    }
    HttpResponse<String> empty = download("empty.bin", "bytes=0-");
    assertThat(empty.statusCode()).isEqualTo(416);
    assertThat(empty.headers().firstValue("Content-Range")).contains("bytes */0");
  }

  @Test
  void download_rangesTheLogRouteIgnoresToo_areAnsweredWhole() throws Exception {
    for (String range : new String[] {"bytes=0-1,4-5", "items=0-3", "bytes=x-"}) {
      HttpResponse<String> whole = download("digits.txt", range);
      assertThat(whole.statusCode()).as(range).isEqualTo(200);
      assertThat(whole.body()).isEqualTo("0123456789");
    }
  }

  @Test
  void restart_jobFinishedBeforeArtifactsWereBlobs_isCopiedAndServedAgain() throws Exception {
    server.close();
    Path blobs = dir.resolve("data/blobs");
    try (var tree = Files.walk(blobs)) {
      for (Path p : tree.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
    server = RunningServer.start(dir.resolve("data"), CONFIG);
    HttpResponse<String> whole = download("digits.txt", null);
    assertThat(whole.statusCode()).as(whole.body()).isEqualTo(200);
    assertThat(whole.body()).isEqualTo("0123456789");
  }

  @Test
  void download_afterTheJobFolderChanged_servesWhatTheJobLeftAtItsEnd() throws Exception {
    Path output = server.dataDir().resolve("jobs").resolve(id).resolve("output");
    Files.delete(output.resolve("digits.txt"));
    Files.createSymbolicLink(output.resolve("digits.txt"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(output.resolve("passwd"), Path.of("/etc/passwd"));
    assertThat(download("digits.txt", null).body()).isEqualTo("0123456789");
    assertThat(download("passwd", null).statusCode()).isEqualTo(404);
  }
}
