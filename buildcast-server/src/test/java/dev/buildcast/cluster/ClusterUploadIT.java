package dev.buildcast.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.RedisPerClass;
import dev.buildcast.testing.RunningServer;
import dev.buildcast.testing.SocketClients;
import dev.buildcast.testing.TestBytes;
import dev.buildcast.upload.UploadClient;
import io.socket.client.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads in a cluster, end to end on two in-process nodes (one {@code redis-server}, one shared
 * blob folder; see {@link ClusterNodesIT} for why in-process): an upload begun on n1 continues on
 * n2 from what n1 stored, its SHA-256 is checked over the whole file, and a job submitted on n1 (run
 * by whichever node claims it) gets the exact bytes; over the socket events and over the HTTP
 * resumable routes.
 */
class ClusterUploadIT {

  private static final int SIZE = 10 * 1024 * 1024 + 12_345;
  private static final int CHUNK = 512 * 1024;
  @RegisterExtension static final RedisPerClass REDIS = new RedisPerClass();

  @TempDir Path dir;
  private RunningServer n1;
  private RunningServer n2;

  @BeforeEach
  void startNodes() throws Exception {
    n1 = RunningServer.start(dir.resolve("data-n1"), config("n1"));
    n2 = RunningServer.start(dir.resolve("data-n2"), config("n2"));
  }

  @AfterEach
  void stopNodes() {
    if (n2 != null) n2.close();
    if (n1 != null) n1.close();
  }

  private String config(String nodeId) {
    return """
        maxConcurrentJobs: 1
        uploads: {maxBytes: 64MiB}
        generators:
          - name: digest
            input: file
            command: [bash, -c, 'echo "sha256 $(sha256sum "$BUILDCAST_INPUT" | cut -d " " -f 1) bytes $(stat -c %%s "$BUILDCAST_INPUT")"']
        cluster:
          nodeId: %s
          redis: {url: '%s'}
          lease: 3s
          blobs: {type: directory, path: '%s'}
        """.formatted(nodeId, REDIS.server().url(), dir.resolve("shared-blobs"));
  }

  /** Submits a digest job of the upload on {@code node}; answers its log once it ended, after checking it succeeded. */
  private static String digestJobLog(RunningServer node, String uploadId) throws Exception {
    Socket root = SocketClients.root(node.url());
    JsonNode job;
    try {
      job = SocketClients.generate(root, Map.of("generator", "digest", "uploadId", uploadId));
    } finally {
      root.close();
    }
    assertThat(job.has("jobId")).as(job.toString()).isTrue();
    String path = "/api/jobs/" + job.get("jobId").asText();
    String token = job.get("token").asText();
    await().atMost(Duration.ofSeconds(120)).until(() -> RunningServer.json(node.get(path, token).body()).get("state").asText()
        .matches("succeeded|failed"));
    JsonNode status = RunningServer.json(node.get(path, token).body());
    String log = node.get(path + "/log", token).body();
    assertThat(status.get("state").asText()).as(log).isEqualTo("succeeded");
    return log;
  }

  @Test
  void socketUpload_startedOnN1_continuesOnN2FromTheStoredBytes_andAJobGetsTheExactFile() throws Exception {
    byte[] file = TestBytes.seeded(16_09L, SIZE);
    String sha = TestBytes.sha256(file);
    long sent = 6L * 1024 * 1024;
    String uploadId;
    try (UploadClient onN1 = new UploadClient(n1.url())) {
      uploadId = onN1.start("fixture.bin", SIZE, sha).get("uploadId").asText();
      long at = 0;
      while (at < sent) {
        JsonNode ack = onN1.chunk(uploadId, at, file, (int) Math.min(CHUNK, sent - at));
        assertThat(ack.has("error")).as("chunk at %d: %s", at, ack).isFalse();
        at = ack.get("offset").asLong();
      }
    } // the client leaves n1 (its connection closes)

    try (UploadClient onN2 = new UploadClient(n2.url())) {
      JsonNode resumed = onN2.resume(uploadId);
      long offset = resumed.get("offset").asLong();
      assertThat(resumed.get("size").asLong()).isEqualTo(SIZE);
      // why more than 0: n1 saved at least one checkpoint (every 4 MiB), whose bytes n2 continues from
      assertThat(offset).as(resumed.toString()).isPositive().isLessThanOrEqualTo(sent);
      JsonNode last = onN2.sendFrom(uploadId, offset, file, CHUNK);
      assertThat(last.get("offset").asLong()).as("last ack %s", last).isEqualTo(SIZE);
      await().atMost(Duration.ofSeconds(60)).until(() -> onN2.completed.size() == 1);
      assertThat(onN2.completed.getFirst().get("sha256").asText()).isEqualTo(sha);
    }

    // n1 still held the upload with its unsaved tail: asked again, it answers what n2 completed, and deletes nothing
    try (UploadClient late = new UploadClient(n1.url())) {
      JsonNode resumed = late.resume(uploadId);
      assertThat(resumed.get("offset").asLong()).as(resumed.toString()).isEqualTo(SIZE);
    }
    assertThat(digestJobLog(n1, uploadId)).contains("sha256 " + sha + " bytes " + SIZE);
    assertThat(digestJobLog(n2, uploadId)).contains("sha256 " + sha + " bytes " + SIZE);
  }

  @Test
  void socketUpload_itsNodeStopsMidUpload_n2AnswersEverythingN1Acknowledged_andCompletesIt() throws Exception {
    byte[] file = TestBytes.seeded(16_15L, SIZE);
    String sha = TestBytes.sha256(file);
    long sent = 3L * 1024 * 1024 + 7;
    String uploadId;
    try (UploadClient onN1 = new UploadClient(n1.url())) {
      uploadId = onN1.start("fixture.bin", SIZE, sha).get("uploadId").asText();
      long at = 0;
      while (at < sent) {
        JsonNode ack = onN1.chunk(uploadId, at, file, (int) Math.min(CHUNK, sent - at));
        assertThat(ack.has("error")).as("chunk at %d: %s", at, ack).isFalse();
        at = ack.get("offset").asLong();
      }
      // why exactly: a node that stops normally saves every unfinished upload first (its bytes go to the shared store)
      n1.close();
      n1 = null;
    }
    try (UploadClient onN2 = new UploadClient(n2.url())) {
      JsonNode resumed = onN2.resume(uploadId);
      assertThat(resumed.get("offset").asLong()).as(resumed.toString()).isEqualTo(sent);
      assertThat(onN2.sendFrom(uploadId, sent, file, CHUNK).get("offset").asLong()).isEqualTo(SIZE);
      await().atMost(Duration.ofSeconds(60)).until(() -> onN2.completed.size() == 1);
      assertThat(onN2.completed.getFirst().get("sha256").asText()).isEqualTo(sha);
    }
    assertThat(digestJobLog(n2, uploadId)).contains("sha256 " + sha + " bytes " + SIZE);
  }

  private static HttpResponse<String> patch(RunningServer node, String id, long offset, byte[] file, int from, int to) throws Exception {
    return node.send(HttpRequest.newBuilder(URI.create(node.url() + "/api/uploads/" + id))
        .header("Content-Type", "application/offset+octet-stream").header("Upload-Offset", Long.toString(offset))
        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(file, from, to - from)).build());
  }

  @Test
  void httpResumable_createAndPatchOnN1_headAndPatchOnN2_completeWithTheSha256_andAJobGetsTheExactFile() throws Exception {
    byte[] file = TestBytes.seeded(16_10L, SIZE);
    String sha = TestBytes.sha256(file);
    HttpResponse<String> created = n1.send(HttpRequest.newBuilder(URI.create(n1.url() + "/api/uploads/resumable"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"export.bin\",\"size\":" + SIZE + ",\"sha256\":\"" + sha + "\"}")).build());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = RunningServer.json(created.body()).get("uploadId").asText();
    int firstPart = 5_000_000;
    HttpResponse<String> first = patch(n1, id, 0, file, 0, firstPart);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(204);

    HttpResponse<String> head = n2.send(HttpRequest.newBuilder(URI.create(n2.url() + "/api/uploads/" + id))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    assertThat(head.statusCode()).isEqualTo(200);
    // why exactly: the end of a PATCH body saves the upload, so every node answers what n1 acknowledged
    long offset = head.headers().firstValueAsLong("Upload-Offset").orElseThrow();
    assertThat(offset).isEqualTo(firstPart);
    assertThat(head.headers().firstValueAsLong("Upload-Length")).hasValue(SIZE);

    HttpResponse<String> rest = patch(n2, id, offset, file, (int) offset, SIZE);
    assertThat(rest.statusCode()).as(rest.body()).isEqualTo(200);
    JsonNode done = RunningServer.json(rest.body());
    assertThat(done.get("sha256").asText()).isEqualTo(sha);
    assertThat(done.get("size").asLong()).isEqualTo(SIZE);

    assertThat(RunningServer.json(n1.get("/api/uploads/" + id, null).body()).get("state").asText()).isEqualTo("complete");
    assertThat(digestJobLog(n1, id)).contains("sha256 " + sha + " bytes " + SIZE);
  }

  @Test
  void httpResumable_wrongChecksum_isRefusedOnTheNodeThatCompletes_andTheUploadIsGoneEverywhere() throws Exception {
    byte[] file = TestBytes.seeded(16_11L, 3_000_000);
    String wrong = TestBytes.sha256(TestBytes.seeded(16_12L, 10));
    HttpResponse<String> created = n1.send(HttpRequest.newBuilder(URI.create(n1.url() + "/api/uploads/resumable"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x.bin\",\"size\":3000000,\"sha256\":\"" + wrong + "\"}")).build());
    String id = RunningServer.json(created.body()).get("uploadId").asText();
    assertThat(patch(n1, id, 0, file, 0, 1_000_000).statusCode()).isEqualTo(204);

    HttpResponse<String> rest = patch(n2, id, 1_000_000, file, 1_000_000, file.length);
    assertThat(rest.statusCode()).as(rest.body()).isEqualTo(400);
    assertThat(RunningServer.json(rest.body()).at("/error/code").asText()).isEqualTo("checksum_mismatch");
    assertThat(n1.get("/api/uploads/" + id, null).statusCode()).isEqualTo(404);
    assertThat(n2.get("/api/uploads/" + id, null).statusCode()).isEqualTo(404);
  }
}
