package dev.buildcast.upload;

import static dev.buildcast.testing.TestBytes.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.RunningServer;
import dev.buildcast.testing.TestBytes;
import dev.buildcast.testing.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 over HTTP: 60 % of a 20 MB file sent with {@code PATCH}, the server SIGKILLed and
 * started again over the same data folder; {@code HEAD} answers an offset no higher than what was
 * sent (every answered PATCH is durable, so exactly that), the client sends the rest from there, and
 * a job run on the upload gets exactly the file's bytes. An upload received as one {@code PUT} body
 * is still usable after the restart too (it had completed); only unfinished PUT bodies are dropped.
 */
class UploadHttpRestartIT {

  /** Checked in: the fixture is the same on every run. */
  private static final long FIXTURE_SEED = 0x15_2026_20L;
  private static final int FIXTURE_BYTES = 20_000_000;
  private static final int PIECE = 4_000_000;

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  private static byte[] fixture() {
    return TestBytes.seeded(FIXTURE_SEED, FIXTURE_BYTES);
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> patch(String url, String id, long offset, byte[] file, int length) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url + "/api/uploads/" + id)).header("Upload-Offset", Long.toString(offset))
        .header("Content-Type", "application/offset+octet-stream")
        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(file, (int) offset, length)).build());
  }

  @Test
  void sigkillAfter60PercentPatched_restartHeadAndPatchTheRest_jobGetsTheExactBytes() throws Exception {
    byte[] file = fixture();
    String sha = sha256(file);
    Path config = Files.writeString(dir.resolve("c.yaml"), """
        generators:
          - name: digest
            input: file
            command: [bash, -c, 'echo "::notice::sha256 $(sha256sum "$BUILDCAST_INPUT" | cut -d " " -f 1) bytes $(stat -c %s "$BUILDCAST_INPUT")"']
        """);
    String[] args = {"--port", "0", "--data-dir", dir.resolve("data").toString(), "--config", config.toString()};
    long sent = FIXTURE_BYTES * 6L / 10;
    String uploadId;
    String putId;
    try (ServerProcess server = ServerProcess.start(Map.of(), args)) {
      HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(server.url() + "/api/uploads/resumable"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"fixture.bin\",\"size\":" + FIXTURE_BYTES + ",\"sha256\":\"" + sha + "\"}")).build());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      uploadId = RunningServer.json(created.body()).get("uploadId").asText();
      for (long at = 0; at < sent; at += PIECE) {
        HttpResponse<String> piece = patch(server.url(), uploadId, at, file, (int) Math.min(PIECE, sent - at));
        assertThat(piece.statusCode()).as(piece.body()).isEqualTo(204);
      }
      HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(server.url() + "/api/uploads")).header("X-File-Name", "small.txt")
          .PUT(HttpRequest.BodyPublishers.ofString("one body")).build());
      putId = RunningServer.json(put.body()).get("uploadId").asText();
      server.kill(); // SIGKILL: no shutdown hook, no last save
    }

    try (ServerProcess server = ServerProcess.start(Map.of(), args)) {
      HttpResponse<String> head = send(HttpRequest.newBuilder(URI.create(server.url() + "/api/uploads/" + uploadId))
          .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
      assertThat(head.statusCode()).isEqualTo(200);
      long offset = head.headers().firstValueAsLong("Upload-Offset").orElseThrow();
      assertThat(head.headers().firstValueAsLong("Upload-Length")).hasValue(FIXTURE_BYTES);
      assertThat(offset).isLessThanOrEqualTo(sent).isEqualTo(sent);
      HttpResponse<String> rest = patch(server.url(), uploadId, offset, file, (int) (FIXTURE_BYTES - offset));
      assertThat(rest.statusCode()).as(rest.body()).isEqualTo(200);
      JsonNode done = RunningServer.json(rest.body());
      assertThat(done.get("sha256").asText()).isEqualTo(sha);
      assertThat(done.get("name").asText()).isEqualTo("fixture.bin");

      HttpResponse<String> job = send(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"generator\":\"digest\",\"uploadId\":\"" + uploadId + "\"}")).build());
      assertThat(job.statusCode()).as(job.body()).isEqualTo(201);
      JsonNode ticket = RunningServer.json(job.body());
      String status = server.url() + "/api/jobs/" + ticket.get("jobId").asText() + "?token=" + ticket.get("token").asText();
      await().atMost(Duration.ofSeconds(120)).until(() -> RunningServer.json(send(HttpRequest.newBuilder(URI.create(status)).build()).body())
          .get("state").asText().matches("succeeded|failed"));
      String log = send(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs/" + ticket.get("jobId").asText() + "/log?token="
          + ticket.get("token").asText())).build()).body();
      assertThat(log).contains("sha256 " + sha + " bytes " + FIXTURE_BYTES);
      assertThat(RunningServer.json(send(HttpRequest.newBuilder(URI.create(status)).build()).body()).at("/input/name").asText()).isEqualTo("fixture.bin");

      JsonNode putStanding = RunningServer.json(send(HttpRequest.newBuilder(URI.create(server.url() + "/api/uploads/" + putId)).build()).body());
      assertThat(putStanding.get("state").asText()).isEqualTo("complete");
    }
  }
}
