package dev.buildcast.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.NdjsonFollower;
import dev.buildcast.testing.PackagedCluster;
import dev.buildcast.testing.RunningServer;
import dev.buildcast.testing.ServerProcess;
import dev.buildcast.testing.SocketClients;
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
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's node death with the packaged jar: three nodes as separate processes ({@code -Xmx256m},
 * own data folders) on one {@code redis-server} and a shared blob folder; the node running a job is
 * killed with SIGKILL (its JVM alone: the job's processes live on, as after {@code kill -9} or the
 * OOM killer) at kill points drawn from a checked-in seed. The generator appends every numbered,
 * checksummed line to an oracle file outside Buildcast before printing it, so the test knows what
 * was printed whatever Buildcast shows.
 *
 * <p>After each kill: the watchers on the two other nodes (Socket.IO and an NDJSON follow) get
 * every line they were shown before, gap-free and without duplicates, then one error line and the
 * final status {@code failed}; their logs and every node's {@code GET …/log} are the oracle's
 * prefix plus Buildcast's own lines; the job is never started again; the generator left running by
 * the dead node is killed when that node starts again.
 */
class ClusterNodeKillIT {

  /** why fixed: a failing kill point must come back on the next run; change it to explore others. */
  private static final long SEED = 20261203L;
  private static final int KILL_POINTS = 5;
  private static final int MAX_KILL_AFTER_LINES = 400;
  private static final List<String> NODE_IDS = List.of("n1", "n2", "n3");
  private static final Duration PATIENT = Duration.ofSeconds(120);
  private static final String STOPPED_RENEWING = "The server running this job stopped renewing its claim on it; the job was failed.";

  @TempDir static Path dir;
  private static PackagedCluster cluster;
  private static Path oracle;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startCluster() throws Exception {
    oracle = Files.createDirectories(dir.resolve("oracle"));
    Path generator = Files.writeString(dir.resolve("counter.sh"), """
        # every line goes to the oracle before it is printed; SIGPIPE ignored: the generator goes on
        # printing when its server is gone, as a real build would until something kills it
        trap '' PIPE
        out='%s'/$BUILDCAST_JOB_ID
        echo $$ > "$out.pid"
        echo "$BUILDCAST_NODE_ID" >> "$out.starts"
        for ((i = 1; i <= 200000; i++)); do
          line="line $i sum $(( (i * 2654435761) %% 4294967296 ))"
          echo "$line" >> "$out.lines"
          echo "$line" 2>/dev/null
          if (( i %% 20 == 0 )); then sleep 0.02; fi
        done
        """.formatted(oracle));
    cluster = PackagedCluster.start(dir, NODE_IDS, """
        maxConcurrentJobs: 1
        generators:
          - name: counter
            command: [bash, '%s']
        """.formatted(generator), Duration.ofSeconds(2), "cluster-node-kill-logs");
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) cluster.close();
  }

  @Test
  void ownerKilledAtSeededPoints_watchersElsewhereGetEveryShownLineOneErrorLineAndFailed_andItsOrphanDiesAtItsRestart()
      throws Exception {
    Random killPoints = new Random(SEED);
    for (int round = 0; round < KILL_POINTS; round++) {
      int killAfter = 1 + killPoints.nextInt(MAX_KILL_AFTER_LINES);
      killOwnerOfAJob(NODE_IDS.get(round % NODE_IDS.size()), killAfter);
    }
  }

  /** One kill point: a job submitted on {@code submitter}, its owner killed once a watcher saw {@code killAfter} of its lines. */
  private void killOwnerOfAJob(String submitter, int killAfter) throws Exception {
    JsonNode ticket = submit(cluster.node(submitter));
    String id = ticket.get("jobId").asText();
    String token = ticket.get("token").asText();
    await().atMost(PATIENT).until(() -> status(cluster.node(submitter), id, token).get("state").asText().equals("running"));
    String owner = status(cluster.node(submitter), id, token).get("node").asText();
    List<String> others = NODE_IDS.stream().filter(n -> !n.equals(owner)).toList();
    ServerProcess first = cluster.node(others.get(0));
    ServerProcess second = cluster.node(others.get(1));

    try (SocketClients.Watcher onFirst = SocketClients.watch(first.url(), id, auth(token));
        SocketClients.Watcher onSecond = SocketClients.watch(second.url(), id, auth(token))) {
      NdjsonFollower follower = NdjsonFollower.start(second.url(), id, token);
      await().atMost(PATIENT).until(() -> generatorLines(onFirst.logLines).size() >= killAfter);
      long generatorPid = Long.parseLong(Files.readString(oracle.resolve(id + ".pid")).strip());

      cluster.node(owner).killServerOnly();
      long killedAt = System.nanoTime();

      for (SocketClients.Watcher w : List.of(onFirst, onSecond)) await().atMost(PATIENT).until(() -> "failed".equals(w.lastState()));
      // why printed, not asserted: the "within lease + 3 s" is a figure of the machine; the test's bound is only patience
      System.out.printf("kill point: owner %s killed after %d lines seen; failed at both watchers %.1f s later (lease 2 s)%n", owner,
          killAfter, (System.nanoTime() - killedAt) / 1e9);
      follower.done().get(PATIENT.toSeconds(), TimeUnit.SECONDS);

      List<String> printed = Files.readAllLines(oracle.resolve(id + ".lines"), StandardCharsets.UTF_8);
      List<String> shown = assertEndedByTheLease(onFirst.logLines, printed, killAfter);
      assertThat(seqAndText(onSecond.logLines)).isEqualTo(seqAndText(onFirst.logLines));
      assertThat(seqAndText(follower.lines())).isEqualTo(seqAndText(onFirst.logLines));
      String text = String.join("\n", shown) + "\n";
      assertThat(log(first, id, token)).isEqualTo(text);
      assertThat(log(second, id, token)).isEqualTo(text);

      assertThat(ProcessHandle.of(generatorPid).map(ProcessHandle::isAlive)).as("the dead node's generator lives on").hasValue(true);
      cluster.restart(owner);
      await().atMost(PATIENT).until(() -> ProcessHandle.of(generatorPid).map(h -> !h.isAlive()).orElse(true));
      assertThat(log(cluster.node(owner), id, token)).isEqualTo(text);
      assertThat(status(cluster.node(owner), id, token).get("state").asText()).isEqualTo("failed");
      assertThat(Files.readAllLines(oracle.resolve(id + ".starts"))).as("started once, on its owner").containsExactly(owner);
    }
  }

  @Test
  void ownerPausedLongerThanTheLease_isFailedElsewhere_andOnceResumedStopsItsGeneratorAndAddsNothingAfterTheSeal() throws Exception {
    ServerProcess submitter = cluster.node("n1");
    JsonNode ticket = submit(submitter);
    String id = ticket.get("jobId").asText();
    String token = ticket.get("token").asText();
    await().atMost(PATIENT).until(() -> status(submitter, id, token).get("state").asText().equals("running"));
    String owner = status(submitter, id, token).get("node").asText();
    List<String> others = NODE_IDS.stream().filter(n -> !n.equals(owner)).toList();
    ServerProcess first = cluster.node(others.get(0));
    ServerProcess second = cluster.node(others.get(1));
    ServerProcess paused = cluster.node(owner);
    double fencedBefore = fencedTotal(paused);

    try (SocketClients.Watcher onFirst = SocketClients.watch(first.url(), id, auth(token));
        SocketClients.Watcher onSecond = SocketClients.watch(second.url(), id, auth(token))) {
      await().atMost(PATIENT).until(() -> generatorLines(onFirst.logLines).size() >= 50);
      long generatorPid = Long.parseLong(Files.readString(oracle.resolve(id + ".pid")).strip());

      paused.pause();
      try {
        for (SocketClients.Watcher w : List.of(onFirst, onSecond)) await().atMost(PATIENT).until(() -> "failed".equals(w.lastState()));
        assertThat(ProcessHandle.of(generatorPid).map(ProcessHandle::isAlive)).as("the paused node's generator runs on").hasValue(true);
      } finally {
        paused.resume();
      }
      long resumedAt = System.nanoTime();
      await().atMost(PATIENT).until(() -> ProcessHandle.of(generatorPid).map(h -> !h.isAlive()).orElse(true));
      System.out.printf("paused owner %s: its generator was gone %.1f s after SIGCONT%n", owner, (System.nanoTime() - resumedAt) / 1e9);
      await().atMost(PATIENT).until(() -> fencedTotal(paused) > fencedBefore);

      List<String> printed = Files.readAllLines(oracle.resolve(id + ".lines"), StandardCharsets.UTF_8);
      List<String> shown = assertEndedByTheLease(onFirst.logLines, printed, 50);
      assertThat(seqAndText(onSecond.logLines)).isEqualTo(seqAndText(onFirst.logLines));
      // why read after the generator died: whatever the resumed node still had to ship was refused, nothing follows the seal
      String text = String.join("\n", shown) + "\n";
      assertThat(log(first, id, token)).isEqualTo(text);
      assertThat(log(second, id, token)).isEqualTo(text);
      assertThat(status(paused, id, token).get("state").asText()).isEqualTo("failed");
      assertThat(Files.readAllLines(oracle.resolve(id + ".starts"))).containsExactly(owner);
    }
  }

  private double fencedTotal(ServerProcess node) throws Exception {
    HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(node.url() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    for (String line : metrics.body().split("\n")) {
      if (line.startsWith("buildcast_cluster_fenced_total")) return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
    throw new AssertionError("no buildcast_cluster_fenced_total in the /metrics of " + node.url());
  }

  /**
   * The log a surviving watcher got: contiguous seqs from 1; Buildcast's queued and started lines;
   * then the generator's lines, exactly the oracle's first ones and at least the {@code killAfter}
   * shown before the kill; then one error line saying the owner stopped renewing its claim, last.
   *
   * @return the lines' texts
   */
  private static List<String> assertEndedByTheLease(List<JsonNode> lines, List<String> printed, int killAfter) {
    assertThat(lines.stream().map(l -> l.get("seq").asLong()).toList())
        .containsExactly(LongStream.rangeClosed(1, lines.size()).boxed().toArray(Long[]::new));
    List<String> texts = lines.stream().map(l -> l.get("text").asText()).toList();
    List<String> generated = texts.stream().filter(t -> t.startsWith("line ")).toList();
    assertThat(generated.size()).isGreaterThanOrEqualTo(killAfter);
    assertThat(generated).isEqualTo(printed.subList(0, generated.size()));
    for (String line : generated) {
      String[] parts = line.split(" ");
      long n = Long.parseLong(parts[1]);
      assertThat(Long.parseLong(parts[3])).as(line).isEqualTo((n * 2654435761L) % 4294967296L);
    }
    assertThat(texts.getFirst()).startsWith("Job queued for generator counter");
    assertThat(texts.get(1)).startsWith("Job started");
    assertThat(texts.subList(2, texts.size() - 1)).isEqualTo(generated);
    assertThat(texts.getLast()).isEqualTo(STOPPED_RENEWING);
    assertThat(lines.getLast().get("level").asText()).isEqualTo("error");
    return texts;
  }

  private static List<String> generatorLines(List<JsonNode> lines) {
    return lines.stream().map(l -> l.get("text").asText()).filter(t -> t.startsWith("line ")).toList();
  }

  private static List<String> seqAndText(List<JsonNode> lines) {
    return lines.stream().map(l -> l.get("seq").asLong() + " " + l.get("text").asText()).toList();
  }

  private static Map<String, String> auth(String token) {
    return Map.of("token", token, "format", "json", "detail", "true", "since", "0");
  }

  private JsonNode submit(ServerProcess node) throws Exception {
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(node.url() + "/api/jobs"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"generator\":\"counter\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return RunningServer.json(created.body());
  }

  private JsonNode status(ServerProcess node, String id, String token) throws Exception {
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(node.url() + "/api/jobs/" + id))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return RunningServer.json(answer.body());
  }

  private String log(ServerProcess node, String id, String token) throws Exception {
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(node.url() + "/api/jobs/" + id + "/log"))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return answer.body();
  }
}
