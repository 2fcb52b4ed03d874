package dev.buildcast.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.RedisServerProcess;
import dev.buildcast.testing.RunningServer;
import dev.buildcast.testing.SocketClients;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sealed logs in object storage (issue 16, item 10), with two in-process nodes on one {@code
 * redis-server} and a shared directory blob store (as {@link ClusterNodesIT}): the job runs on n1,
 * which its submitter claims at once; n2 never opens its log before the stream is gone from Redis,
 * so every read there comes from the archive. A 2 s lease (the archivers look every 400 ms) and a
 * 2 s grace; every wait is on a condition.
 */
class ClusterArchiveIT {

  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final int LINES = 150;

  private static RedisServerProcess redis;
  private static RedisClient client;
  private static StatefulRedisConnection<String, String> connection;

  @TempDir Path dir;
  private RunningServer n1;
  private RunningServer n2;
  private Path go;
  private Path blobs;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServerProcess.start();
    client = RedisClient.create(redis.url());
    connection = client.connect();
  }

  @AfterAll
  static void stopRedis() {
    if (connection != null) connection.close();
    if (client != null) client.shutdown();
    if (redis != null) redis.close();
  }

  /** Tags a test whose jobs wait out an outage of the blob store ({@code cluster.finishTimeout} 10m, not 4s). */
  private static final String WAITS_FOR_STORAGE = "waits-for-storage";

  @BeforeEach
  void startNodes(TestInfo test) throws Exception {
    redis.flushAll();
    go = dir.resolve("go");
    blobs = dir.resolve("shared-blobs");
    String finishTimeout = test.getTags().contains(WAITS_FOR_STORAGE) ? "10m" : "4s";
    n1 = RunningServer.start(dir.resolve("data-n1"), config("n1", finishTimeout));
    n2 = RunningServer.start(dir.resolve("data-n2"), config("n2", finishTimeout));
  }

  @AfterEach
  void stopNodes() {
    if (n2 != null) n2.close();
    if (n1 != null) n1.close();
  }

  private static RedisCommands<String, String> redis() {
    return connection.sync();
  }

  /** Prints {@value #LINES} lines, waits until the test creates {@code go} (polling a file, deciding nothing by time), prints one more. */
  private String config(String nodeId, String finishTimeout) {
    String script = "for i in $(seq 1 " + LINES + "); do echo \\\"line $i · ünïcode\\\"; done; while [ ! -e '" + go + "' ]; do sleep 0.05; done;"
        + " echo \\\"done on $BUILDCAST_NODE_ID\\\"";
    return """
        maxConcurrentJobs: 2
        generators:
          - name: printer
            command: [bash, -c, "%s"]
        cluster:
          nodeId: %s
          redis: {url: '%s'}
          lease: 2s
          archiveGrace: 2s
          finishTimeout: %s
          blobs: {type: directory, path: '%s'}
        """.formatted(script, nodeId, redis.url(), finishTimeout, blobs);
  }

  private static JsonNode submit(RunningServer node) throws Exception {
    HttpResponse<String> created = node.send(HttpRequest.newBuilder(URI.create(node.url() + "/api/jobs"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"generator\":\"printer\"}")).build());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return RunningServer.json(created.body());
  }

  private static String state(RunningServer node, JsonNode ticket) throws Exception {
    HttpResponse<String> answer = node.get("/api/jobs/" + ticket.get("jobId").asText(), ticket.get("token").asText());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return RunningServer.json(answer.body()).get("state").asText();
  }

  private static HttpResponse<byte[]> log(RunningServer node, JsonNode ticket, String query, String range) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.url() + "/api/jobs/" + ticket.get("jobId").asText() + "/log" + query))
        .header("Authorization", "Bearer " + ticket.get("token").asText());
    if (range != null) request.header("Range", range);
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static double archivePending(RunningServer node) throws Exception {
    for (String line : node.get("/metrics", null).body().split("\n")) {
      if (line.startsWith("buildcast_cluster_archive_pending")) return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
    throw new AssertionError("no buildcast_cluster_archive_pending in /metrics");
  }

  private static boolean streamExists(String jobId) {
    return redis().exists("bc:{" + jobId + "}:log") == 1;
  }

  private Path archived(String jobId) {
    return blobs.resolve("objects").resolve("jobs").resolve(jobId).resolve("log");
  }

  /** Runs a job on n1 to its end and waits until its log is archived and its stream gone. */
  private JsonNode finishedAndArchived() throws Exception {
    Files.createFile(go);
    JsonNode ticket = submit(n1);
    String id = ticket.get("jobId").asText();
    await().atMost(PATIENCE).until(() -> state(n1, ticket).equals("succeeded"));
    await().atMost(PATIENCE).until(() -> !streamExists(id));
    return ticket;
  }

  @Test
  void sealedJob_isArchivedThenItsStreamDropped_andANodeWithoutACopyAnswersEveryReadByteForByte() throws Exception {
    JsonNode ticket = finishedAndArchived();
    String id = ticket.get("jobId").asText();
    try (Stream<Path> files = Files.list(archived(id))) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder("detailed.log", "detailed.idx", "detailed.basic.idx", "detailed.sealed");
    }
    assertThat(redis().hget("bc:{" + id + "}:job", "sealed")).as("the log stays sealed after its stream went").isEqualTo("1");
    String ranOn = RunningServer.json(n1.get("/api/jobs/" + id, ticket.get("token").asText()).body()).get("node").asText();
    RunningServer ran = ranOn.equals("n1") ? n1 : n2;
    // why a third node started now: n1 and n2 may both hold a copy (either may run the job, and n1
    // followed it since it wrote its queued line); a node started after the archive has none
    try (RunningServer other = RunningServer.start(dir.resolve("data-n3"), config("n3", "4s"))) {
      assertThat(Files.exists(dir.resolve("data-n3").resolve("jobs").resolve(id).resolve("detailed.log"))).isFalse();
      readsFromTheArchive(ticket, ran, other, ranOn);
    }
  }

  private void readsFromTheArchive(JsonNode ticket, RunningServer ran, RunningServer other, String ranOn) throws Exception {
    String id = ticket.get("jobId").asText();
    HttpResponse<byte[]> whole = log(other, ticket, "", null);
    assertThat(whole.statusCode()).isEqualTo(200);
    String text = new String(whole.body(), StandardCharsets.UTF_8);
    assertThat(text).startsWith("Job queued for generator printer").contains("line 1 · ünïcode\n", "line " + LINES + " · ünïcode\n", "done on " + ranOn + "\n")
        .endsWith("Job finished with exit code 0.\n");
    assertThat(whole.body()).isEqualTo(log(ran, ticket, "", null).body());
    HttpResponse<byte[]> part = log(other, ticket, "", "bytes=40-399");
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(whole.body(), 40, 400)).isEqualTo(log(ran, ticket, "", "bytes=40-399").body());

    String ndjson = new String(log(other, ticket, "?format=ndjson&since=100", null).body(), StandardCharsets.UTF_8);
    assertThat(ndjson).isEqualTo(new String(log(ran, ticket, "?format=ndjson&since=100", null).body(), StandardCharsets.UTF_8));
    List<JsonNode> lines = ndjson.lines().map(ClusterArchiveIT::json).toList();
    long last = text.lines().count();
    assertThat(lines).extracting(l -> l.get("seq").asLong()).containsExactly(LongStream.rangeClosed(101, last).boxed().toArray(Long[]::new));

    Map<String, String> auth = Map.of("token", ticket.get("token").asText(), "format", "json", "detail", "true", "since", "100");
    try (SocketClients.Watcher onN2 = SocketClients.watch(other.url(), id, auth);
        SocketClients.Watcher onN1 = SocketClients.watch(ran.url(), id, auth)) {
      for (SocketClients.Watcher w : List.of(onN2, onN1)) await().atMost(PATIENCE).until(() -> "succeeded".equals(w.lastState()));
      assertThat(onN2.seqs()).containsExactly(LongStream.rangeClosed(101, last).boxed().toArray(Long[]::new));
      assertThat(onN2.logLines).isEqualTo(onN1.logLines);
      onN2.socket.emit("retrieve-detailed-logs", new org.json.JSONObject());
      JsonNode end = onN2.fileContentEnd.get(60, TimeUnit.SECONDS);
      assertThat(String.join("", onN2.fileContent)).isEqualTo(text);
      assertThat(end.get("lines").asLong()).isEqualTo(last);
      assertThat(end.get("bytes").asLong()).isEqualTo(whole.body().length);
    }
  }

  @Test
  void objectStorageDown_streamKeptAndArchivePendingCounted_archivedOnceItIsBack() throws Exception {
    JsonNode ticket = submit(n1);
    String id = ticket.get("jobId").asText();
    await().atMost(PATIENCE).until(() -> state(n1, ticket).equals("running"));
    Path temp = blobs.resolve("tmp");
    breakBlobStore(temp);
    Files.createFile(go);
    // its artifacts could not be stored either: it waited cluster.finishTimeout (4 s here), then failed
    await().atMost(PATIENCE).until(() -> state(n1, ticket).equals("failed"));
    assertThat(new String(log(n1, ticket, "", null).body(), StandardCharsets.UTF_8))
        .contains("Waiting to store the job's artifacts: the file storage cannot be written now; trying again for up to 4.0 s.\n");
    await().atMost(PATIENCE).until(() -> archivePending(n1) == 1 && archivePending(n2) == 1);
    assertThat(streamExists(id)).isTrue();
    assertThat(pendingScore(id)).as("pending in Redis").isNotNull();
    assertThat(Files.exists(archived(id).resolve("detailed.sealed"))).isFalse();

    Files.delete(temp);
    Files.createDirectory(temp);
    await().atMost(PATIENCE).until(() -> !streamExists(id));
    assertThat(archivePending(n1)).isZero();
    await().atMost(PATIENCE).until(() -> archivePending(n2) == 0);
    assertThat(Files.exists(archived(id).resolve("detailed.sealed"))).isTrue();
    byte[] fromN1 = log(n1, ticket, "", null).body();
    assertThat(new String(fromN1, StandardCharsets.UTF_8)).contains("line " + LINES + " · ünïcode\n").endsWith("it was logged.\n");
    assertThat(log(n2, ticket, "", null).body()).isEqualTo(fromN1);
  }

  /** An outage of the directory store: each put writes a temporary file in {@code tmp/} first, so a file there fails them all. */
  private static void breakBlobStore(Path temp) throws Exception {
    try (Stream<Path> left = Files.list(temp)) {
      assertThat(left).isEmpty();
    }
    Files.delete(temp);
    Files.writeString(temp, "not a folder");
  }

  @Test
  @Tag(WAITS_FOR_STORAGE)
  void objectStorageDownWhenAJobEnds_theJobWaitsRunning_andSucceedsWithItsFilesOnceItIsBack_readableOnEveryNode() throws Exception {
    JsonNode ticket = submit(n1);
    await().atMost(PATIENCE).until(() -> state(n1, ticket).equals("running"));
    Path temp = blobs.resolve("tmp");
    breakBlobStore(temp);
    Files.createFile(go);
    await().atMost(PATIENCE).until(() -> new String(log(n2, ticket, "", null).body(), StandardCharsets.UTF_8)
        .contains("Waiting to store the job's artifacts"));
    assertThat(state(n2, ticket)).as("it waits, running").isEqualTo("running");

    Files.delete(temp);
    Files.createDirectory(temp);
    await().atMost(PATIENCE).until(() -> state(n2, ticket).equals("succeeded"));
    String text = new String(log(n2, ticket, "", null).body(), StandardCharsets.UTF_8);
    assertThat(text).endsWith("The job's artifacts are stored now.\nJob finished with exit code 0.\n");
    assertThat(log(n1, ticket, "", null).body()).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
  }

  private static Double pendingScore(String jobId) {
    return redis().zscore("bc:archive:pending", jobId);
  }

  @Test
  void retention_afterTheArchive_leavesNoObjectAndNoRedisKeyOfTheJob() throws Exception {
    JsonNode ticket = finishedAndArchived();
    String id = ticket.get("jobId").asText();
    assertThat(log(n2, ticket, "", null).statusCode()).isEqualTo(200); // n2 now holds a copy as well

    assertThat(n2.server().jobs().deleteFinished(id)).isTrue();

    assertThat(Files.exists(blobs.resolve("objects").resolve("jobs").resolve(id))).as("the job's objects").isFalse();
    assertThat(redis().keys("*" + id + "*")).as("keys naming the job").isEmpty();
    assertThat(redis().zscore("bc:jobs", id)).isNull();
    assertThat(redis().zscore("bc:archive:pending", id)).isNull();
    assertThat(redis().zscore("bc:archive:archived", id)).isNull();
    assertThat(Files.exists(dir.resolve("data-n2").resolve("jobs").resolve(id))).as("the deleting node's folder").isFalse();
    assertThat(log(n1, ticket, "", null).statusCode()).isEqualTo(404);
  }

  private static JsonNode json(String line) {
    try {
      return RunningServer.json(line);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
