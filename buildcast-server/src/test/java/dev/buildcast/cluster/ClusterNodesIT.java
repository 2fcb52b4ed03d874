package dev.buildcast.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.RedisPerClass;
import dev.buildcast.testing.RunningServer;
import dev.buildcast.testing.SocketClients;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes wired by a {@code cluster:} section on one {@code redis-server} and one shared blob
 * folder: what the first slice of cluster mode makes hold end to end (job records, states, the
 * running node, artifacts, the live log on both nodes, a resume on the other node).
 *
 * <p>why two in-process servers and not the packaged jar: each has its own data folder, Redis
 * connection and Socket.IO server exactly as a process would, the test sees their failures as
 * exceptions with stack traces (a process's stderr is discarded), and no JVM start is paid twice
 * on a busy machine. The jar's own start in cluster mode is the same constructor.
 */
class ClusterNodesIT {

  @RegisterExtension static final RedisPerClass REDIS = new RedisPerClass();

  @TempDir Path dir;
  private RunningServer n1;
  private RunningServer n2;
  private Path go;

  @BeforeEach
  void startNodes() throws Exception {
    go = dir.resolve("go");
    n1 = RunningServer.start(dir.resolve("data-n1"), config("n1"));
    n2 = RunningServer.start(dir.resolve("data-n2"), config("n2"));
  }

  @AfterEach
  void stopNodes() {
    if (n2 != null) n2.close();
    if (n1 != null) n1.close();
  }

  /**
   * A generator that prints a line, waits until the test creates {@code go} (no sleep decides
   * anything: it only polls for the file), then prints its node and writes an artifact.
   */
  private String config(String nodeId) {
    String stepped = "for i in 1 2 3; do echo \\\"line $i\\\"; done; while [ ! -e '" + go + "' ]; do sleep 0.05; done;"
        + " for i in 4 5 6; do echo \\\"line $i\\\"; done; echo \\\"ran on $BUILDCAST_NODE_ID\\\"; printf 'made by %s' \\\"$BUILDCAST_NODE_ID\\\" > \\\"$BUILDCAST_OUTPUT/report.txt\\\"";
    return """
        maxConcurrentJobs: 2
        generators:
          - name: stepped
            command: [bash, -c, "%s"]
        cluster:
          nodeId: %s
          redis: {url: '%s'}
          lease: 3s
          blobs: {type: directory, path: '%s'}
        """.formatted(stepped, nodeId, REDIS.server().url(), dir.resolve("shared-blobs"));
  }

  private static JsonNode submit(RunningServer node) throws Exception {
    HttpResponse<String> created = node.send(HttpRequest.newBuilder(URI.create(node.url() + "/api/jobs"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"generator\":\"stepped\"}")).build());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return RunningServer.json(created.body());
  }

  private static JsonNode status(RunningServer node, JsonNode ticket) throws Exception {
    HttpResponse<String> answer = node.get("/api/jobs/" + ticket.get("jobId").asText(), ticket.get("token").asText());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return RunningServer.json(answer.body());
  }

  private static HttpResponse<byte[]> artifact(RunningServer node, JsonNode ticket, String name) throws Exception {
    return java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(node.url() + "/api/jobs/" + ticket.get("jobId").asText() + "/artifacts/" + name))
        .header("Authorization", "Bearer " + ticket.get("token").asText()).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void submitOnN1_recordIsReadableOnN2AtOnce() throws Exception {
    JsonNode ticket = submit(n1);

    JsonNode onN2 = status(n2, ticket);
    assertThat(onN2.get("generator").asText()).isEqualTo("stepped");
    assertThat(onN2.get("state").asText()).isIn("queued", "running");
    Files.createFile(go);
    await().atMost(Duration.ofSeconds(60)).until(() -> status(n1, ticket).get("state").asText().equals("succeeded"));
  }

  @Test
  void jobOnEitherNode_bothNodesAgreeOnItsNodeStateAndArtifact() throws Exception {
    JsonNode ticket = submit(n1);
    await().atMost(Duration.ofSeconds(60)).until(() -> status(n2, ticket).get("state").asText().equals("running"));
    String node = status(n2, ticket).get("node").asText();
    assertThat(node).isIn("n1", "n2");
    assertThat(status(n1, ticket).get("node").asText()).isEqualTo(node);

    Files.createFile(go);
    await().atMost(Duration.ofSeconds(60)).until(() -> status(n2, ticket).get("state").asText().equals("succeeded"));
    JsonNode onN1 = status(n1, ticket);
    JsonNode onN2 = status(n2, ticket);
    assertThat(onN1).isEqualTo(onN2);
    assertThat(onN1.get("node").asText()).isEqualTo(node);

    HttpResponse<byte[]> fromN1 = artifact(n1, ticket, "report.txt");
    HttpResponse<byte[]> fromN2 = artifact(n2, ticket, "report.txt");
    assertThat(fromN1.statusCode()).isEqualTo(200);
    assertThat(fromN2.statusCode()).isEqualTo(200);
    assertThat(new String(fromN1.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("made by " + node);
    assertThat(fromN2.body()).isEqualTo(fromN1.body());
  }

  @Test
  void twoJobsPerNodeSlots_fillBothNodes_eachJobRunsOnce() throws Exception {
    // two slots per node: five jobs submitted on n1 fill n1's two slots, two of n2's, and one waits
    List<JsonNode> tickets = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) tickets.add(submit(n1));
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      long running = 0;
      for (JsonNode t : tickets) if (status(n1, t).get("state").asText().equals("running")) running++;
      return running == 4;
    });
    long onN2 = 0;
    for (JsonNode t : tickets) if (status(n1, t).path("node").asText().equals("n2")) onN2++;
    assertThat(onN2).as("jobs running on n2 while n1's slots are full").isEqualTo(2);

    Files.createFile(go);
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      for (JsonNode t : tickets) if (!status(n2, t).get("state").asText().equals("succeeded")) return false;
      return true;
    });
    for (JsonNode t : tickets) {
      String node = status(n1, t).get("node").asText();
      assertThat(new String(artifact(n2, t, "report.txt").body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("made by " + node);
      // why each job's log: a job n2 runs was queued by n1, so n2 filled its spool from the stream before its first line
      String log = n1.get("/api/jobs/" + t.get("jobId").asText() + "/log", t.get("token").asText()).body();
      assertThat(log).startsWith("Job queued for generator stepped").contains("ran on " + node)
          .endsWith("Job finished with exit code 0.\n");
      assertThat(log.split("Job queued", -1)).hasSize(2);
      assertThat(n2.get("/api/jobs/" + t.get("jobId").asText() + "/log", t.get("token").asText()).body()).isEqualTo(log);
    }
  }

  private static Map<String, String> auth(JsonNode ticket, long since) {
    return Map.of("token", ticket.get("token").asText(), "format", "json", "detail", "true", "since", Long.toString(since));
  }

  private static List<String> seqAndText(List<JsonNode> lines) {
    return lines.stream().map(l -> l.get("seq").asLong() + " " + l.get("text").asText()).toList();
  }

  @Test
  void liveLog_watchersOnBothNodesAndNdjsonOnN2_getTheSameLinesOnceAndResumeAcrossNodes() throws Exception {
    JsonNode ticket = submit(n1);
    String id = ticket.get("jobId").asText();
    List<JsonNode> ndjson = new CopyOnWriteArrayList<>();
    HttpResponse<java.util.stream.Stream<String>> follow = java.net.http.HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(n2.url() + "/api/jobs/" + id + "/log?format=ndjson&follow=true"))
            .header("Authorization", "Bearer " + ticket.get("token").asText()).build(), HttpResponse.BodyHandlers.ofLines());
    assertThat(follow.statusCode()).isEqualTo(200);
    CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> follow.body().forEach(line -> {
      try {
        ndjson.add(RunningServer.json(line));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }));
    // why not a resource: it leaves mid-job, and resumes on the other node
    SocketClients.Watcher leaver = SocketClients.watch(n1.url(), id, auth(ticket, 0));
    try (SocketClients.Watcher onN1 = SocketClients.watch(n1.url(), id, auth(ticket, 0));
        SocketClients.Watcher onN2 = SocketClients.watch(n2.url(), id, auth(ticket, 0))) {
      for (SocketClients.Watcher w : List.of(onN1, onN2, leaver)) {
        await().atMost(Duration.ofSeconds(60)).until(() -> w.logLines.stream().anyMatch(l -> l.get("text").asText().equals("line 3")));
      }
      long k = leaver.logLines.size();
      assertThat(leaver.seqs()).containsExactly(LongStream.rangeClosed(1, k).boxed().toArray(Long[]::new));
      leaver.close();
      try (SocketClients.Watcher resumed = SocketClients.watch(n2.url(), id, auth(ticket, k))) {
        Files.createFile(go);
        for (SocketClients.Watcher w : List.of(onN1, onN2, resumed)) {
          await().atMost(Duration.ofSeconds(60)).until(() -> "succeeded".equals(w.lastState()));
        }
        reading.get(60, TimeUnit.SECONDS);

        String node = status(n1, ticket).get("node").asText();
        List<String> all = seqAndText(onN1.logLines);
        long last = onN1.logLines.size();
        assertThat(onN1.seqs()).containsExactly(LongStream.rangeClosed(1, last).boxed().toArray(Long[]::new));
        assertThat(all).contains("1 Job queued for generator stepped.").anyMatch(l -> l.endsWith(" line 6"))
            .anyMatch(l -> l.contains("ran on " + node));
        assertThat(all.getLast()).endsWith("Job finished with exit code 0.");
        assertThat(seqAndText(onN2.logLines)).isEqualTo(all);
        assertThat(seqAndText(ndjson)).isEqualTo(all);
        assertThat(seqAndText(resumed.logLines)).isEqualTo(all.subList((int) k, all.size()));
        assertThat(seqAndText(leaver.logLines)).isEqualTo(all.subList(0, (int) k));
      }
    }
    HttpResponse<String> logN1 = n1.get("/api/jobs/" + id + "/log", ticket.get("token").asText());
    HttpResponse<String> logN2 = n2.get("/api/jobs/" + id + "/log", ticket.get("token").asText());
    assertThat(logN1.statusCode()).isEqualTo(200);
    assertThat(logN1.body()).contains("line 6").isEqualTo(logN2.body());
  }

  @Test
  void readersOnTheNodeThatDoesNotRunTheJob_leaveNoLogHeldOpenOnceTheyAreDone() throws Exception {
    JsonNode ticket = submit(n1);
    String id = ticket.get("jobId").asText();
    String token = ticket.get("token").asText();
    await().atMost(Duration.ofSeconds(60)).until(() -> status(n1, ticket).get("state").asText().equals("running"));
    RunningServer other = status(n1, ticket).get("node").asText().equals("n1") ? n2 : n1;

    // each way of reading the log on the node that follows the job's stream: a watcher asking for
    // the detailed log too, the text (whole and a range), and NDJSON
    try (SocketClients.Watcher watcher = SocketClients.watch(other.url(), id, auth(ticket, 0))) {
      await().atMost(Duration.ofSeconds(60)).until(() -> watcher.logLines.stream().anyMatch(l -> l.get("text").asText().equals("line 3")));
      watcher.socket.emit("retrieve-detailed-logs");
      assertThat(watcher.fileContentEnd.get(60, TimeUnit.SECONDS).get("lines").asLong()).isGreaterThanOrEqualTo(4);
      assertThat(other.server().clusterLogsHeld()).containsExactly(id);
    }
    assertThat(other.get("/api/jobs/" + id + "/log", token).body()).contains("line 3");
    HttpResponse<String> range = other.send(HttpRequest.newBuilder(URI.create(other.url() + "/api/jobs/" + id + "/log"))
        .header("Authorization", "Bearer " + token).header("Range", "bytes=0-9").build());
    assertThat(range.statusCode()).isEqualTo(206);
    assertThat(other.get("/api/jobs/" + id + "/log?format=ndjson", token).body()).contains("line 3");
    // why wait: the server hears the watcher's disconnect after the client closed
    await().atMost(Duration.ofSeconds(60)).until(() -> other.server().clusterLogsHeld().isEmpty());

    Files.createFile(go);
    await().atMost(Duration.ofSeconds(60)).until(() -> status(n1, ticket).get("state").asText().equals("succeeded"));
    assertThat(other.get("/api/jobs/" + id + "/log", token).body()).contains("line 6");
    // why wait: the route closes its handle after the last byte left, which the client may read first
    await().atMost(Duration.ofSeconds(60)).until(() -> other.server().clusterLogsHeld().isEmpty());
  }

  @Test
  void secondProcessWithTheIdOfALiveNode_refusesToStartNamingIt_andTheLiveNodeKeepsWorking() throws Exception {
    // why a lease's wait: the second one cannot tell a live node from a crashed one before the key would have expired
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunningServer.start(dir.resolve("data-n1-again"), config("n1")))
        .isInstanceOf(DuplicateNodeIdException.class).hasMessageContaining("node n1");
    JsonNode ticket = submit(n1);
    Files.createFile(go);
    await().atMost(Duration.ofSeconds(60)).until(() -> status(n2, ticket).get("state").asText().equals("succeeded"));
    assertThat(RunningServer.json(n1.get("/healthz", null).body()).at("/cluster/engine").asText()).isEqualTo("up");
  }

  @Test
  void blobStoreGone_healthSaysBlobsDownAndStays200_untilItIsBack() throws Exception {
    Path blobs = dir.resolve("shared-blobs");
    Path away = dir.resolve("shared-blobs-away");
    JsonNode before = RunningServer.json(n2.get("/healthz", null).body());
    assertThat(before.at("/cluster/blobs").asText()).isEqualTo("up");
    // the shared folder's mount went away; the probe looks again at most every few seconds
    Files.move(blobs, away);
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> RunningServer.json(n2.get("/healthz", null).body()).at("/cluster/blobs").asText()
          .equals("down"));
      HttpResponse<String> health = n2.get("/healthz", null);
      assertThat(health.statusCode()).as("jobs still run and stream: no reason to take the node out").isEqualTo(200);
      JsonNode body = RunningServer.json(health.body());
      assertThat(body.get("status").asText()).isEqualTo("ok");
      assertThat(body.at("/cluster/engine").asText()).isEqualTo("up");
      assertThat(health.body()).doesNotContain(dir.toString());
    } finally {
      Files.move(away, blobs);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> RunningServer.json(n2.get("/healthz", null).body()).at("/cluster/blobs").asText()
        .equals("up"));
  }

  @Test
  void engineDown_requestsAnswerEngineUnavailableAndHealthSaysSo_untilItIsBack() throws Exception {
    HttpResponse<String> healthy = n1.get("/healthz", null);
    assertThat(healthy.statusCode()).isEqualTo(200);
    assertThat(RunningServer.json(healthy.body()).get("cluster"))
        .isEqualTo(RunningServer.json("{\"nodeId\":\"n1\",\"engine\":\"up\",\"blobs\":\"up\",\"shippingLagLines\":0}"));

    REDIS.server().killHard();
    try {
      HttpResponse<String> health = n1.get("/healthz", null);
      assertThat(health.statusCode()).isEqualTo(503);
      JsonNode body = RunningServer.json(health.body());
      assertThat(body.get("status").asText()).isEqualTo("engine_unavailable");
      assertThat(body.at("/cluster/engine").asText()).isEqualTo("down");

      HttpResponse<String> refused = n2.send(HttpRequest.newBuilder(URI.create(n2.url() + "/api/jobs"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"generator\":\"stepped\"}")).build());
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
      assertThat(RunningServer.json(refused.body()).at("/error/code").asText()).isEqualTo("engine_unavailable");
      assertThat(refused.body()).contains("could not be reached").doesNotContain("Exception");

      io.socket.client.Socket root = SocketClients.root(n1.url());
      try {
        JsonNode ack = SocketClients.generate(root, Map.of("generator", "stepped"));
        assertThat(ack.at("/error/code").asText()).as(ack.toString()).isEqualTo("engine_unavailable");
      } finally {
        root.close();
      }
      try (SocketClients.Watcher watcher = SocketClients.watch(n2.url(), "A".repeat(22), Map.of("token", "t"))) {
        JsonNode error = SocketClients.tree(watcher.connectError.get(60, TimeUnit.SECONDS));
        assertThat(error.at("/data/code").asText()).as(error.toString()).isEqualTo("engine_unavailable");
      }
    } finally {
      REDIS.server().restart();
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> n1.get("/healthz", null).statusCode() == 200);
    JsonNode ticket = submit(n2);
    assertThat(status(n1, ticket).get("generator").asText()).isEqualTo("stepped");
    Files.createFile(go);
    await().atMost(Duration.ofSeconds(60)).until(() -> status(n1, ticket).get("state").asText().equals("succeeded"));
  }
}
