package dev.buildcast.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.buildcast.blob.BlobStore;
import dev.buildcast.storage.file.FolderBlobStore;
import dev.buildcast.testing.HaproxyProcess;
import dev.buildcast.testing.PackagedCluster;
import dev.buildcast.testing.ServerProcess;
import dev.buildcast.testing.TestBytes;
import dev.buildcast.upload.UploadClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, item 9, with the packaged jar: three nodes (separate processes, {@code -Xmx256m}) on one
 * {@code redis-server} and a shared blob folder, {@code haproxy} with the README's configuration in
 * front of them ({@link PackagedCluster}).
 *
 * <ul>
 *   <li>through HAProxy only: a resumable HTTP upload in several {@code PATCH}es (HAProxy spreads
 *       them over the nodes), one of them cut mid-body, continued at the offset the cluster
 *       answers; a one-body {@code PUT}; the documented refusals (wrong offset, a body past the
 *       end, a wrong SHA-256), which keep the bytes accepted before; jobs started through HAProxy
 *       get the exact files;
 *   <li>a node killed with SIGKILL (its JVM alone) in the middle of an upload, at a point drawn
 *       from a checked-in seed and reached by waiting on what the node acknowledged (a socket
 *       chunk's ack; the bytes of a {@code PATCH} body it holds): another node continues from the
 *       end of the last part the dead node stored — never less, never anything of its unsaved
 *       tail or of a part it stored without counting it — the SHA-256 matches, and a job on a third
 *       node gets the exact file.
 * </ul>
 *
 * <p>why one cluster for the class: three JVM starts cost more than the tests; the tests that kill
 * nodes run last (n1, then n2).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterUploadEndToEndIT {

  /** why fixed: a failing kill point must come back on the next run; change it to explore others. */
  private static final long SEED = 2026_12_03_16L;
  private static final long MIB = 1024 * 1024;
  /** What docs/protocol.md promises: an unfinished upload's record is saved every 4 MiB of chunks (or sooner). */
  private static final long CHECKPOINT_BYTES = 4 * MIB;
  private static final Duration PATIENT = Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static PackagedCluster cluster;
  private static String lb;
  private static RedisClient redisClient;
  private static StatefulRedisConnection<String, String> redis;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void startCluster() throws Exception {
    HaproxyProcess.requireInstalled(); // why first: no JVM is started for nothing when the test is skipped
    cluster = PackagedCluster.start(dir, List.of("n1", "n2", "n3"), """
        maxConcurrentJobs: 1
        # why: behind HAProxy without the PROXY protocol every client is 127.0.0.1
        limits: {connectionsPerIp: 500, jobsPerIpPerMinute: 500}
        uploads: {maxBytes: 64MiB, maxUnfinishedPerAddress: 20}
        generators:
          - name: digest
            input: file
            command: [bash, -c, 'echo "sha256 $(sha256sum "$BUILDCAST_INPUT" | cut -d " " -f 1) bytes $(stat -c %s "$BUILDCAST_INPUT")"']
        """, Duration.ofSeconds(3), "cluster-upload-logs");
    lb = cluster.behindHaproxy();
    redisClient = RedisClient.create(cluster.redis().url());
    redis = redisClient.connect();
  }

  @AfterAll
  static void stopCluster() {
    if (redis != null) redis.close();
    if (redisClient != null) redisClient.shutdown();
    if (cluster != null) cluster.close();
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String create(String base, String name, long size, String sha256) throws Exception {
    String shaField = sha256 == null ? "" : ",\"sha256\":\"" + sha256 + "\"";
    HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(base + "/api/uploads/resumable"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"size\":" + size + shaField + "}")));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return JSON.readTree(created.body()).get("uploadId").asText();
  }

  private HttpResponse<String> patch(String base, String id, long offset, byte[] file, long from, long to) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + "/api/uploads/" + id))
        .header("Content-Type", "application/offset+octet-stream").header("Upload-Offset", Long.toString(offset))
        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(file, (int) from, (int) (to - from))));
  }

  private HttpResponse<String> head(String base, String id) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + "/api/uploads/" + id)).method("HEAD", HttpRequest.BodyPublishers.noBody()));
  }

  private long offsetOf(String base, String id) throws Exception {
    HttpResponse<String> head = head(base, id);
    assertThat(head.statusCode()).as("HEAD of upload %s", id).isEqualTo(200);
    return head.headers().firstValueAsLong("Upload-Offset").orElseThrow();
  }

  private static String code(HttpResponse<String> answer) throws IOException {
    return JSON.readTree(answer.body()).at("/error/code").asText();
  }

  /**
   * A {@code PATCH} whose headers promise {@code contentLength} bytes, sent over a plain socket so
   * the test decides how much of the body goes out and when; the caller writes the body and closes it.
   */
  private static Socket openPatch(String base, String id, long offset, long contentLength) throws IOException {
    URI uri = URI.create(base);
    Socket socket = new Socket(uri.getHost(), uri.getPort());
    String head = "PATCH /api/uploads/" + id + " HTTP/1.1\r\nHost: " + uri.getAuthority() + "\r\n"
        + "Content-Type: application/offset+octet-stream\r\nUpload-Offset: " + offset + "\r\nContent-Length: " + contentLength + "\r\n\r\n";
    socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
    return socket;
  }

  /** Starts a digest job of the upload at {@code base} and answers its log once it succeeded. */
  private String digestJobLog(String base, String uploadId) throws Exception {
    HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(base + "/api/jobs")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"generator\":\"digest\",\"uploadId\":\"" + uploadId + "\"}")));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode ticket = JSON.readTree(created.body());
    String path = base + "/api/jobs/" + ticket.get("jobId").asText();
    String auth = "Bearer " + ticket.get("token").asText();
    await().atMost(PATIENT).until(() -> JSON.readTree(send(HttpRequest.newBuilder(URI.create(path)).header("Authorization", auth)).body())
        .path("state").asText().matches("succeeded|failed"));
    JsonNode status = JSON.readTree(send(HttpRequest.newBuilder(URI.create(path)).header("Authorization", auth)).body());
    String log = send(HttpRequest.newBuilder(URI.create(path + "/log")).header("Authorization", auth)).body();
    assertThat(status.get("state").asText()).as(log).isEqualTo("succeeded");
    return log;
  }

  /** What Redis holds of the upload: {@link RedisUploadStore}'s hash. */
  private static Map<String, String> stored(String id) {
    return redis.sync().hgetall(RedisUploadStore.uploadKey(id));
  }

  private static long storedOffset(String id) throws IOException {
    return JSON.readTree(stored(id).get("rec")).get("offset").asLong();
  }

  private static List<String> storedParts(String id) {
    String parts = stored(id).get("parts");
    return parts == null || parts.isEmpty() ? List.of() : List.of(parts.split(","));
  }

  @Test
  @Order(1)
  void resumablePatchesThroughHaproxy_cutOnceAndContinuedAtTheAnsweredOffset_completeWithTheSha256_andAJobGetsTheExactFile()
      throws Exception {
    int size = (int) (10 * MIB + 12_345);
    byte[] file = TestBytes.seeded(16_21L, size);
    String sha = TestBytes.sha256(file);
    String id = create(lb, "export.bin", size, sha);
    Set<String> holders = new LinkedHashSet<>();

    long answered = 0; // the offset the last whole PATCH was answered with: durable, so never less afterwards
    for (long piece : List.of(MIB + 3, 1_500_000L, MIB)) {
      HttpResponse<String> sent = patch(lb, id, answered, file, answered, answered + piece);
      assertThat(sent.statusCode()).as(sent.body()).isEqualTo(204);
      answered += piece;
      assertThat(sent.headers().firstValueAsLong("Upload-Offset")).hasValue(answered);
      holders.add(stored(id).get("holder"));
    }

    // cut mid-body: headers promise 5 MiB, 3 MiB go out, then the connection closes
    long cutAt = answered + 3 * MIB;
    try (Socket cut = openPatch(lb, id, answered, 5 * MIB)) {
      OutputStream out = cut.getOutputStream();
      out.write(file, (int) answered, (int) (cutAt - answered));
      out.flush();
    }

    // continue where the cluster says, whichever node answers; a 409 names the offset to use instead
    long at = offsetOf(lb, id);
    long continuedAt = at;
    assertThat(at).as("offset answered after the cut").isBetween(answered, cutAt);
    int patches = 0;
    JsonNode done = null;
    while (done == null) {
      assertThat(++patches).as("PATCHes after the cut").isLessThan(50);
      long to = Math.min(size, at + 2 * MIB);
      HttpResponse<String> sent = patch(lb, id, at, file, at, to);
      switch (sent.statusCode()) {
        case 204 -> {
          at = to;
          holders.add(stored(id).get("holder"));
        }
        case 200 -> {
          done = JSON.readTree(sent.body());
          holders.add(stored(id).get("holder"));
        }
        case 409 -> {
          // another node took it over at what was stored: that, too, lies between what was answered and what was sent
          assertThat(code(sent)).isEqualTo("wrong_offset");
          at = sent.headers().firstValueAsLong("Upload-Offset").orElseThrow();
          assertThat(at).isBetween(answered, cutAt);
        }
        default -> throw new AssertionError("PATCH at " + at + " answered " + sent.statusCode() + ": " + sent.body());
      }
    }
    assertThat(done.get("sha256").asText()).isEqualTo(sha);
    assertThat(done.get("size").asLong()).isEqualTo(size);
    assertThat(done.get("state").asText()).isEqualTo("complete");
    // why not "at least two": which node takes each PATCH is HAProxy's choice, and on a loaded machine its
    // health checks may leave one node up; the moves between nodes are tests 4 and 5's, by the test's own hand
    assertThat(holders).as("nodes that took PATCHes").isNotEmpty().isSubsetOf("n1", "n2", "n3");
    System.out.printf("resumable upload through HAProxy: answered %d, cut after %d sent, continued at %d; PATCHes taken by %s%n", answered,
        cutAt, continuedAt, holders);

    assertThat(digestJobLog(lb, id)).contains("sha256 " + sha + " bytes " + size);
  }

  @Test
  @Order(2)
  void onePutThroughHaproxy_isKeptWithItsSha256_andAJobGetsTheExactFile_whileAWrongSha256IsRefused() throws Exception {
    int size = 3_000_017;
    byte[] file = TestBytes.seeded(16_22L, size);
    String sha = TestBytes.sha256(file);
    HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(lb + "/api/uploads")).header("X-File-Name", "one.bin")
        .header("X-Sha256", sha).PUT(HttpRequest.BodyPublishers.ofByteArray(file)));
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    JsonNode done = JSON.readTree(put.body());
    assertThat(done.get("sha256").asText()).isEqualTo(sha);
    assertThat(done.get("size").asLong()).isEqualTo(size);

    String wrong = TestBytes.sha256(TestBytes.seeded(16_23L, 10));
    HttpResponse<String> refused = send(HttpRequest.newBuilder(URI.create(lb + "/api/uploads")).header("X-File-Name", "bad.bin")
        .header("X-Sha256", wrong).PUT(HttpRequest.BodyPublishers.ofByteArray(file)));
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
    assertThat(code(refused)).isEqualTo("checksum_mismatch");

    assertThat(digestJobLog(lb, done.get("uploadId").asText())).contains("sha256 " + sha + " bytes " + size);
  }

  @Test
  @Order(3)
  void badPatchesThroughHaproxy_getTheirDocumentedErrors_andLeaveTheAcceptedBytesWhole() throws Exception {
    int size = 3_000_000;
    byte[] file = TestBytes.seeded(16_24L, size);
    String sha = TestBytes.sha256(file);
    String id = create(lb, "x.bin", size, sha);
    assertThat(patch(lb, id, 0, file, 0, 1_000_000).statusCode()).isEqualTo(204);

    HttpResponse<String> wrongOffset = patch(lb, id, 500, file, 500, 1_000);
    assertThat(wrongOffset.statusCode()).as(wrongOffset.body()).isEqualTo(409);
    assertThat(code(wrongOffset)).isEqualTo("wrong_offset");
    assertThat(JSON.readTree(wrongOffset.body()).at("/error/expectedOffset").asLong()).isEqualTo(1_000_000);
    assertThat(wrongOffset.headers().firstValueAsLong("Upload-Offset")).hasValue(1_000_000);

    int almost = size - 10;
    assertThat(patch(lb, id, 1_000_000, file, 1_000_000, almost).statusCode()).isEqualTo(204);
    HttpResponse<String> pastTheEnd = send(HttpRequest.newBuilder(URI.create(lb + "/api/uploads/" + id))
        .header("Content-Type", "application/offset+octet-stream").header("Upload-Offset", Integer.toString(almost))
        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[11]))); // one byte more than is left
    assertThat(pastTheEnd.statusCode()).as(pastTheEnd.body()).isEqualTo(400);
    assertThat(code(pastTheEnd)).isEqualTo("size_mismatch");

    HttpResponse<String> noOffset = send(HttpRequest.newBuilder(URI.create(lb + "/api/uploads/" + id))
        .header("Content-Type", "application/offset+octet-stream").method("PATCH", HttpRequest.BodyPublishers.ofByteArray(file, 0, 10)));
    assertThat(noOffset.statusCode()).as(noOffset.body()).isEqualTo(400);
    assertThat(code(noOffset)).isEqualTo("bad_request");

    assertThat(offsetOf(lb, id)).as("after the refusals").isEqualTo(almost);
    HttpResponse<String> rest = patch(lb, id, almost, file, almost, size);
    assertThat(rest.statusCode()).as(rest.body()).isEqualTo(200);
    assertThat(JSON.readTree(rest.body()).get("sha256").asText()).isEqualTo(sha);

    HttpResponse<String> addToCompleted = patch(lb, id, size, file, 0, 10);
    assertThat(addToCompleted.statusCode()).as(addToCompleted.body()).isEqualTo(400);
    assertThat(code(addToCompleted)).isEqualTo("size_mismatch");
    assertThat(digestJobLog(lb, id)).contains("sha256 " + sha + " bytes " + size);

    // a wrong announced SHA-256: refused when the last byte is in, and the upload is gone from every node
    String wrong = TestBytes.sha256(TestBytes.seeded(16_25L, 10));
    String doomed = create(lb, "y.bin", size, wrong);
    assertThat(patch(lb, doomed, 0, file, 0, 2_000_000).statusCode()).isEqualTo(204);
    HttpResponse<String> mismatch = patch(lb, doomed, 2_000_000, file, 2_000_000, size);
    assertThat(mismatch.statusCode()).as(mismatch.body()).isEqualTo(400);
    assertThat(code(mismatch)).isEqualTo("checksum_mismatch");
    assertThat(head(lb, doomed).statusCode()).isEqualTo(404);
    for (String node : List.of("n1", "n2", "n3")) {
      HttpResponse<String> asked = send(HttpRequest.newBuilder(URI.create(cluster.node(node).url() + "/api/uploads/" + doomed)));
      assertThat(asked.statusCode()).as(node + ": " + asked.body()).isEqualTo(404);
      assertThat(code(asked)).isEqualTo("unknown_upload");
    }
  }

  @Test
  @Order(4)
  void socketUpload_itsNodeKilledAfterAnAcknowledgedOffset_continuesOnN2FromTheLastStoredPart_andAJobOnN3GetsTheExactFile()
      throws Exception {
    Random seeded = new Random(SEED);
    int chunk = 200_000 + seeded.nextInt(500_000);
    long killAfter = 9 * MIB + seeded.nextInt((int) (3 * MIB));
    int size = (int) (14 * MIB + 4_321);
    byte[] file = TestBytes.seeded(16_26L, size);
    String sha = TestBytes.sha256(file);
    ServerProcess n1 = cluster.node("n1");

    String id;
    long acked = 0;
    long floor = 0; // the end of the last part n1 must have stored by the documented rule (every 4 MiB of chunks)
    try (UploadClient onN1 = new UploadClient(n1.url())) {
      id = onN1.start("big.bin", size, sha).get("uploadId").asText();
      // until past the kill point, with bytes after the last stored part: the tail that must not be served
      while (acked < killAfter || acked == floor) {
        JsonNode ack = onN1.chunk(id, acked, file, (int) Math.min(chunk, size - acked));
        assertThat(ack.has("error")).as("chunk at %d: %s", acked, ack).isFalse();
        acked = ack.get("offset").asLong();
        if (acked - floor >= CHECKPOINT_BYTES) floor = acked;
      }
      cluster.node("n1").killServerOnly();
    }

    // what n1 left: the parts it counted in Redis, and its unsaved tail on its own disk
    long storedEnd = storedOffset(id);
    List<String> parts = storedParts(id);
    assertThat(stored(id).get("holder")).isEqualTo("n1");
    assertThat(storedEnd).as("stored end (the rule says at least %d)", floor).isBetween(floor, acked);
    assertThat(floor).as("more than one part stored").isGreaterThanOrEqualTo(2 * CHECKPOINT_BYTES);
    assertThat(parts).hasSizeGreaterThanOrEqualTo(2).containsOnly("n1");
    Path tail = cluster.dataDir("n1").resolve("uploads").resolve(id + ".part");
    assertThat(Files.size(tail)).as("n1's unsaved tail").isEqualTo(acked - storedEnd);
    // what a kill between storing a part and counting it would leave: a part nobody counted, with other bytes
    BlobStore shared = new FolderBlobStore(cluster.blobs(), FolderBlobStore.Durability.PAGE_CACHE);
    shared.put(RedisUploadStore.partKey(id, parts.size(), "n1"), new ByteArrayInputStream(TestBytes.seeded(16_27L, 1_000_000)));

    try (UploadClient onN2 = new UploadClient(cluster.node("n2").url())) {
      JsonNode resumed = onN2.resume(id);
      assertThat(resumed.get("offset").asLong()).as(resumed.toString()).isEqualTo(storedEnd);
      JsonNode last = onN2.sendFrom(id, storedEnd, file, chunk);
      assertThat(last.get("offset").asLong()).as("last ack %s", last).isEqualTo(size);
      await().atMost(PATIENT).until(() -> onN2.completed.size() == 1);
      assertThat(onN2.completed.getFirst().get("sha256").asText()).isEqualTo(sha);
    }
    System.out.printf("n1 killed after %d bytes acknowledged (chunks of %d): stored %d in %d parts, continued on n2 from there%n", acked,
        chunk, storedEnd, parts.size());
    assertThat(cluster.blobs().resolve("objects").resolve("upload-parts").resolve(id)).as("parts left after completion").doesNotExist();
    assertThat(digestJobLog(cluster.node("n3").url(), id)).contains("sha256 " + sha + " bytes " + size);
  }

  @Test
  @Order(5)
  void httpPatch_itsNodeKilledMidBody_continuesOnN3FromTheLastSaveInTheBody_andAJobGetsTheExactFile() throws Exception {
    Random seeded = new Random(SEED + 1);
    long cutAt = 5 * MIB + seeded.nextInt((int) (4 * MIB));
    int size = (int) (12 * MIB + 99);
    byte[] file = TestBytes.seeded(16_28L, size);
    String sha = TestBytes.sha256(file);
    String n2 = cluster.node("n2").url();
    String id = create(n2, "body.bin", size, sha);

    try (Socket body = openPatch(n2, id, 0, size)) {
      body.getOutputStream().write(file, 0, (int) cutAt);
      body.getOutputStream().flush();
      // the kill point: n2 holds every byte sent so far (the body goes on no further)
      await().atMost(PATIENT).until(() -> offsetOf(n2, id) == cutAt);
      cluster.node("n2").killServerOnly();
    }

    long storedEnd = storedOffset(id);
    // why these bounds: a body is saved every 4 MiB as it arrives, so less than that is lost, and only what arrived is stored
    assertThat(storedEnd).as("stored end, %d bytes of the body sent", cutAt).isGreaterThan(cutAt - CHECKPOINT_BYTES)
        .isGreaterThanOrEqualTo(CHECKPOINT_BYTES).isLessThanOrEqualTo(cutAt);
    String n3 = cluster.node("n3").url();
    long resumed = offsetOf(n3, id);
    assertThat(resumed).isEqualTo(storedEnd);
    HttpResponse<String> rest = patch(n3, id, resumed, file, resumed, size);
    assertThat(rest.statusCode()).as(rest.body()).isEqualTo(200);
    assertThat(JSON.readTree(rest.body()).get("sha256").asText()).isEqualTo(sha);
    System.out.printf("n2 killed holding %d bytes of a PATCH body: stored %d, continued on n3 from there%n", cutAt, storedEnd);
    assertThat(digestJobLog(n3, id)).contains("sha256 " + sha + " bytes " + size);
  }
}
