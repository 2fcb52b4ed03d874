package dev.buildcast.upload;

import static dev.buildcast.testing.TestBytes.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.RunningServer;
import dev.buildcast.testing.TestBytes;
import dev.buildcast.testing.ServerProcess;
import dev.buildcast.testing.SocketClients;
import io.socket.client.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, must hold: 60 % of a 50 MB upload sent over the socket, the server SIGKILLed and
 * started again over the same data folder; the client resumes with the same uploadId from the
 * offset the new process answers, and the job run on the upload gets exactly the file's bytes
 * (the SHA-256 its generator computes equals the file's). Also: the upload's expectation ({@code
 * expect: "zip"}) holds after the restart, and an upload completed before the kill keeps its name
 * for a job created after it.
 */
class UploadRestartIT {

  /** Checked in: the fixture is the same on every run. */
  private static final long FIXTURE_SEED = 0x15_2026_50L;
  private static final int FIXTURE_BYTES = 50_000_000;
  private static final int CHUNK = 512 * 1024;
  /** Bytes a crash may cost: those after the last save of the record (UploadService.CHECKPOINT_BYTES). */
  private static final long MAX_LOST_BYTES = 4L << 20;

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  private static byte[] fixture() {
    return TestBytes.seeded(FIXTURE_SEED, FIXTURE_BYTES);
  }

  private JsonNode getJson(String url) throws Exception {
    return RunningServer.json(http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  private String get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void sigkillAt60Percent_restartAndResumeFromTheAnsweredOffset_jobGetsTheExactBytes() throws Exception {
    byte[] file = fixture();
    String sha = sha256(file);
    Path config = Files.writeString(dir.resolve("c.yaml"), """
        generators:
          - name: digest
            input: file
            command: [bash, -c, 'echo "::notice::sha256 $(sha256sum "$BUILDCAST_INPUT" | cut -d " " -f 1) bytes $(stat -c %s "$BUILDCAST_INPUT")"']
        """);
    String[] args = {"--port", "0", "--data-dir", dir.resolve("data").toString(), "--config", config.toString()};
    byte[] small = "completed before the kill\n".getBytes(StandardCharsets.UTF_8);
    String smallId;
    String uploadId;
    long sent = FIXTURE_BYTES * 6L / 10;
    try (ServerProcess server = ServerProcess.start(Map.of(), args); UploadClient client = new UploadClient(server.url())) {
      smallId = client.start("before-restart.txt", small.length, null).get("uploadId").asText();
      assertThat(client.sendFrom(smallId, 0, small, CHUNK).get("offset").asLong()).isEqualTo(small.length);
      JsonNode started = client.start("fixture.bin", FIXTURE_BYTES, sha, "zip");
      uploadId = started.get("uploadId").asText();
      long at = 0;
      while (at < sent) {
        JsonNode ack = client.chunk(uploadId, at, file, (int) Math.min(CHUNK, sent - at));
        assertThat(ack.has("error")).as("chunk at %d: %s", at, ack).isFalse();
        at = ack.get("offset").asLong();
      }
      server.kill(); // SIGKILL: no shutdown hook, no disconnect, no last save
    }

    try (ServerProcess server = ServerProcess.start(Map.of(), args); UploadClient client = new UploadClient(server.url())) {
      JsonNode resumed = client.resume(uploadId);
      long offset = resumed.get("offset").asLong();
      assertThat(resumed.get("size").asLong()).isEqualTo(FIXTURE_BYTES);
      assertThat(offset).isLessThanOrEqualTo(sent).isGreaterThanOrEqualTo(sent - MAX_LOST_BYTES);
      System.out.println("upload restart: " + sent + " bytes acknowledged before the SIGKILL, resumed at " + offset);
      JsonNode last = client.sendFrom(uploadId, offset, file, CHUNK);
      assertThat(last.get("offset").asLong()).as("last ack %s", last).isEqualTo(FIXTURE_BYTES);
      await().atMost(Duration.ofSeconds(60)).until(() -> client.completed.size() == 1);
      JsonNode complete = client.completed.getFirst();
      assertThat(complete.get("sha256").asText()).isEqualTo(sha);
      // the expectation of the start before the kill still holds: the fixture is no zip
      assertThat(complete.get("kind").asText()).isEqualTo("file");
      assertThat(complete.at("/error/code").asText()).isEqualTo("not_a_zip");

      Socket root = SocketClients.root(server.url());
      JsonNode job = SocketClients.generate(root, Map.of("generator", "digest", "uploadId", uploadId));
      String status = server.url() + "/api/jobs/" + job.get("jobId").asText() + "?token=" + job.get("token").asText();
      await().atMost(Duration.ofSeconds(120)).until(() -> getJson(status).get("state").asText().matches("succeeded|failed"));
      assertThat(getJson(status).get("state").asText()).isEqualTo("succeeded");
      String log = get(server.url() + "/api/jobs/" + job.get("jobId").asText() + "/log?token=" + job.get("token").asText());
      assertThat(log).contains("sha256 " + sha + " bytes " + FIXTURE_BYTES);
      assertThat(getJson(status).at("/input/name").asText()).isEqualTo("fixture.bin");

      JsonNode before = SocketClients.generate(root, Map.of("generator", "digest", "uploadId", smallId));
      JsonNode beforeStatus = getJson(server.url() + "/api/jobs/" + before.get("jobId").asText() + "?token=" + before.get("token").asText());
      assertThat(beforeStatus.at("/input/name").asText()).isEqualTo("before-restart.txt");
      assertThat(beforeStatus.at("/input/size").asLong()).isEqualTo(small.length);
      root.close();
    }
  }
}
