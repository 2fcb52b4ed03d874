package dev.buildcast.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.NdjsonFollower;
import dev.buildcast.testing.PackagedCluster;
import dev.buildcast.testing.RunningServer;
import dev.buildcast.testing.SocketClients;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's "any node serves any job" (item 1) and "resume across nodes" (item 2) with the packaged
 * jar: three nodes as separate processes ({@code -Xmx256m}, {@code --node-id n1..n3}, own data
 * folders) on one {@code redis-server} and a shared directory blob store, started once for the class.
 *
 * <p>The generator appends every numbered, checksummed line to an oracle file outside Buildcast
 * before printing it, prints {@value #HELD_AT} lines, makes its artifact and a small site, then
 * waits until the test creates the job's go file (it polls for the file; nothing is decided by
 * time) and prints {@value #HELD_AT} more. So "during the job" is a point the test holds the job at.
 *
 * <p>Item 1: watchers on n1, n2, n3 and an NDJSON follower on n3 get the same lines, contiguous
 * from 1, the generator's lines equal to the oracle, the final status after the last line; every
 * HTTP read (the log whole and a {@code Range}, NDJSON, the artifact, the site's redirect and its
 * pages at the address it gave, asked of every node) and {@code retrieve-detailed-logs} answer the
 * same on every node while the job is held, after it, and after its stream left Redis. Item 2: a
 * watcher leaves after K lines; watchers with {@code since: K} on n1 and on a node holding no copy
 * of the log yet (a late joiner), and an NDJSON follower with {@code since=K}, get K+1.. exactly
 * once, then the final status; the same resume on every node once the job is sealed, and again
 * once it is archived. (A late joiner on a node without a copy of an archived log: {@link
 * ClusterArchiveIT}.)
 *
 * <p>A 2 s lease and a 2 s archive grace let a sealed log leave Redis within seconds; a 10 s command
 * timeout (the connect's too) because no test here takes Redis away, and three JVMs starting at
 * once on a busy machine may take longer than the 2 s default to connect.
 */
class ClusterLogIT {

  private static final List<String> NODE_IDS = List.of("n1", "n2", "n3");
  private static final int HELD_AT = 40;
  private static final Duration PATIENT = Duration.ofSeconds(120);
  private static final String INDEX_HTML = "<!doctype html><title>made</title><link rel=stylesheet href=style.css><p>site of ";

  @TempDir static Path dir;
  private static PackagedCluster cluster;
  private static RedisClient redisClient;
  private static StatefulRedisConnection<String, String> redisConnection;
  private static Path oracle;
  private static Path go;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startCluster() throws Exception {
    oracle = Files.createDirectories(dir.resolve("oracle"));
    go = Files.createDirectories(dir.resolve("go"));
    Path generator = Files.writeString(dir.resolve("stepped.sh"), """
        out='%1$s'/$BUILDCAST_JOB_ID
        echo "$BUILDCAST_NODE_ID" >> "$out.starts"
        emit() {
          line="line $1 sum $(( ($1 * 2654435761) %% 4294967296 ))"
          echo "$line" >> "$out.lines"
          echo "$line"
        }
        for ((i = 1; i <= %2$d; i++)); do emit $i; done
        printf 'report of %%s by %%s\\n' "$BUILDCAST_JOB_ID" "$BUILDCAST_NODE_ID" > "$BUILDCAST_OUTPUT/report.txt"
        mkdir -p site
        printf '%3$s%%s\\n' "$BUILDCAST_JOB_ID" > site/index.html
        printf 'p { color: teal }\\n' > site/style.css
        while [ ! -e '%4$s'/$BUILDCAST_JOB_ID ]; do sleep 0.05; done
        for ((i = %2$d + 1; i <= 2 * %2$d; i++)); do emit $i; done
        """.formatted(oracle, HELD_AT, INDEX_HTML, go));
    cluster = PackagedCluster.start(dir, NODE_IDS, """
        maxConcurrentJobs: 2
        generators:
          - name: stepped
            command: [bash, '%s']
            site: site
        """.formatted(generator), ", commandTimeout: 10s", "lease: 2s\narchiveGrace: 2s\n", "cluster-log-it-logs");
    redisClient = RedisClient.create(cluster.redis().url());
    redisConnection = redisClient.connect();
  }

  @AfterAll
  static void stopCluster() {
    if (redisConnection != null) redisConnection.close();
    if (redisClient != null) redisClient.shutdown();
    if (cluster != null) cluster.close();
  }


  @Test
  void jobSubmittedOnN1_watchersAndNdjsonOnEveryNodeGetTheSameLines_andEveryReadIsTheSameBytesOnEveryNode_duringAfterAndArchived()
      throws Exception {
    Job job = submit("n1");
    job.awaitRunning();
    try (SocketClients.Watcher onN1 = job.watch("n1", 0);
        SocketClients.Watcher onN2 = job.watch("n2", 0);
        SocketClients.Watcher onN3 = job.watch("n3", 0)) {
      NdjsonFollower follower = NdjsonFollower.start(url("n3"), job.id, job.token);
      List<SocketClients.Watcher> watchers = List.of(onN1, onN2, onN3);
      for (SocketClients.Watcher w : watchers) awaitGeneratorLine(job, w, HELD_AT);
      try {
        await().atMost(PATIENT).until(() -> hasGeneratorLine(follower.lines(), HELD_AT));
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        dumpThreads();
        throw new AssertionError("no line " + HELD_AT + "; the NDJSON reader on n3 got " + seqAndText(follower.lines()) + "; the logs: "
            + logsNow(job), e);
      }

      // held: nothing is written until the go file exists, so every node must answer the same now
      List<String> during = seqAndText(onN1.logLines);
      assertContiguousFromOne(onN1.logLines);
      for (List<JsonNode> lines : List.of(onN2.logLines, onN3.logLines, follower.lines())) assertThat(seqAndText(lines)).isEqualTo(during);
      String textDuring = text(onN1.logLines);
      Map<String, Answer> reads = sameOnEveryNode(job);
      assertThat(reads.get("log").text()).isEqualTo(textDuring);
      assertThat(reads.get("range").status()).isEqualTo(206);
      assertThat(reads.get("range").body()).isEqualTo(java.util.Arrays.copyOfRange(textDuring.getBytes(StandardCharsets.UTF_8), 20, 300));
      assertThat(reads.get("artifact").status()).as("artifacts are served once the job has finished").isEqualTo(404);
      assertThat(reads.get("site page").status()).as("the preview is served once the job has finished").isEqualTo(404);
      for (SocketClients.Watcher w : watchers) assertThat(detailedLog(w)).isEqualTo(textDuring);

      Files.createFile(go.resolve(job.id));
      for (SocketClients.Watcher w : watchers) assertEndsWithTheFinalStatus(w, "succeeded");
      follower.done().get(PATIENT.toSeconds(), TimeUnit.SECONDS);

      List<String> all = seqAndText(onN1.logLines);
      assertContiguousFromOne(onN1.logLines);
      for (List<JsonNode> lines : List.of(onN2.logLines, onN3.logLines, follower.lines())) assertThat(seqAndText(lines)).isEqualTo(all);
      assertThat(all).startsWith(during.toArray(String[]::new));
      assertThat(generatorLines(onN1.logLines)).isEqualTo(Files.readAllLines(oracle.resolve(job.id + ".lines"), StandardCharsets.UTF_8))
          .hasSize(2 * HELD_AT);
      assertThat(all.getLast()).endsWith("Job finished with exit code 0.");
      String owner = job.status("n2").get("node").asText();
      assertThat(Files.readAllLines(oracle.resolve(job.id + ".starts"))).as("started once, on its owner").containsExactly(owner);

      String textAfter = text(onN1.logLines);
      Map<String, Answer> after = sameOnEveryNode(job);
      assertThat(after.get("log").text()).isEqualTo(textAfter);
      assertThat(after.get("artifact").text()).isEqualTo("report of " + job.id + " by " + owner + "\n");
      assertThat(after.get("site page").text()).isEqualTo(INDEX_HTML + job.id + "\n");
      assertThat(after.get("site style").text()).isEqualTo("p { color: teal }\n");
      for (String node : NODE_IDS) assertThat(detailedLog(job, node)).isEqualTo(textAfter);

      // the archive: once the stream left Redis every node still answers the same bytes
      await().atMost(PATIENT).until(() -> !streamExists(job.id));
      Map<String, Answer> archived = sameOnEveryNode(job);
      assertThat(archived.keySet()).isEqualTo(after.keySet());
      for (String read : after.keySet()) assertThat(archived.get(read)).as(read).isEqualTo(after.get(read));
      for (String node : NODE_IDS) assertThat(detailedLog(job, node)).isEqualTo(textAfter);
    }
  }

  @Test
  void watcherLeavesOnOneNode_resumesWithSinceOnAnotherAndALateJoinerWithoutACopy_eachGetsTheRestOnceThenTheFinalStatus()
      throws Exception {
    Job job = submit("n1");
    job.awaitRunning();
    String owner = job.status("n1").get("node").asText();
    // why chosen here: the late joiner's node must hold no copy of the log; n1 (submitter) and the owner do
    String leaverNode = owner.equals("n1") ? "n2" : owner;
    String fresh = NODE_IDS.stream().filter(n -> !n.equals("n1") && !n.equals(owner) && !n.equals(leaverNode)).findFirst().orElseThrow();

    SocketClients.Watcher leaver = job.watch(leaverNode, 0);
    long k;
    try {
      awaitGeneratorLine(job, leaver, HELD_AT / 2);
    } finally {
      leaver.close();
    }
    k = leaver.logLines.size();
    assertContiguousFromOne(leaver.logLines);
    assertThat(hasCopy(fresh, job.id)).as("node " + fresh + " holds no copy of the log yet").isFalse();

    // why no wait for a line before the go file: the job is held, and the leaver may have got every line printed so far
    try (SocketClients.Watcher lateJoiner = job.watch(fresh, k);
        SocketClients.Watcher resumed = job.watch("n1", k)) {
      NdjsonFollower ndjson = NdjsonFollower.start(url(leaverNode), job.id, job.token, k);
      for (SocketClients.Watcher w : List.of(lateJoiner, resumed)) await().atMost(PATIENT).until(() -> !w.statuses.isEmpty());
      assertThat(hasCopy(fresh, job.id)).as("the late joiner's node copied the log").isTrue();
      Files.createFile(go.resolve(job.id));
      for (SocketClients.Watcher w : List.of(lateJoiner, resumed)) assertEndsWithTheFinalStatus(w, "succeeded");
      ndjson.done().get(PATIENT.toSeconds(), TimeUnit.SECONDS);

      List<String> all = seqAndText(ndjsonLines(job, "n1", 0));
      assertThat(all.getLast()).endsWith("Job finished with exit code 0.");
      assertThat(seqAndText(leaver.logLines)).isEqualTo(all.subList(0, (int) k));
      List<String> rest = all.subList((int) k, all.size());
      assertThat(rest).isNotEmpty();
      assertThat(seqAndText(lateJoiner.logLines)).as("late joiner on " + fresh).isEqualTo(rest);
      assertThat(seqAndText(resumed.logLines)).as("resumed on n1").isEqualTo(rest);
      assertThat(seqAndText(ndjson.lines())).as("NDJSON follow with since on " + leaverNode).isEqualTo(rest);
    }

    // sealed, then archived: the same resume on every node answers the same rest
    List<String> all = seqAndText(ndjsonLines(job, "n1", 0));
    List<String> rest = all.subList((int) k, all.size());
    resumesOnEveryNode(job, k, rest);
    await().atMost(PATIENT).until(() -> !streamExists(job.id));
    resumesOnEveryNode(job, k, rest);
  }

  private void resumesOnEveryNode(Job job, long since, List<String> rest) throws Exception {
    for (String node : NODE_IDS) {
      try (SocketClients.Watcher w = job.watch(node, since)) {
        assertEndsWithTheFinalStatus(w, "succeeded");
        assertThat(seqAndText(w.logLines)).as("watcher on " + node).isEqualTo(rest);
      }
      assertThat(seqAndText(ndjsonLines(job, node, since))).as("NDJSON on " + node).isEqualTo(rest);
    }
  }

  // --- the job and its reads ------------------------------------------------------------------

  private Job submit(String node) throws Exception {
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(url(node) + "/api/jobs"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"generator\":\"stepped\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode ticket = RunningServer.json(created.body());
    return new Job(ticket.get("jobId").asText(), ticket.get("token").asText());
  }

  private static final class Job {
    final String id;
    final String token;

    Job(String id, String token) {
      this.id = id;
      this.token = token;
    }

    JsonNode status(String node) throws Exception {
      HttpResponse<String> answer = get(node, "/api/jobs/" + id, null);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      return RunningServer.json(answer.body());
    }

    void awaitRunning() {
      await().atMost(PATIENT).until(() -> status("n1").get("state").asText().equals("running"));
    }

    SocketClients.Watcher watch(String node, long since) {
      return SocketClients.watch(url(node), id, Map.of("token", token, "format", "json", "detail", "true", "since", Long.toString(since)));
    }

    HttpResponse<String> get(String node, String path, String range) throws Exception {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(node) + path)).header("Authorization", "Bearer " + token);
      if (range != null) request.header("Range", range);
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    Answer read(String node, String path, String range) throws Exception {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(node) + path)).header("Authorization", "Bearer " + token);
      if (range != null) request.header("Range", range);
      HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      Map<String, String> headers = new LinkedHashMap<>();
      for (String name : List.of("Content-Type", "Content-Range", "Content-Length", "Location", "Content-Disposition")) {
        answer.headers().firstValue(name).ifPresent(value -> headers.put(name, value));
      }
      return new Answer(answer.statusCode(), headers, answer.body());
    }
  }

  /** What a node answered: status, the headers that describe the body, the body. */
  private record Answer(int status, Map<String, String> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Answer a && a.status == status && a.headers.equals(headers) && java.util.Arrays.equals(a.body, body);
    }

    @Override
    public int hashCode() {
      return 31 * status + java.util.Arrays.hashCode(body);
    }

    @Override
    public String toString() {
      return status + " " + headers + " " + text();
    }
  }

  /**
   * Every HTTP read of the job on every node, checked to be the same answer on each (status,
   * headers, bytes): the whole log, a range of it, NDJSON, the artifact, and the site preview (the
   * token's redirect, then its pages at the address it gave, asked of every node: a load balancer
   * may send the browser's next request anywhere). The answers by read.
   */
  private Map<String, Answer> sameOnEveryNode(Job job) throws Exception {
    String base = "/api/jobs/" + job.id;
    Map<String, Answer> reads = new LinkedHashMap<>();
    reads.put("log", sameOnEveryNode(node -> job.read(node, base + "/log", null)));
    reads.put("range", sameOnEveryNode(node -> job.read(node, base + "/log", "bytes=20-299")));
    reads.put("ndjson", sameOnEveryNode(node -> job.read(node, base + "/log?format=ndjson", null)));
    reads.put("artifact", sameOnEveryNode(node -> job.read(node, base + "/artifacts/report.txt", null)));
    Answer redirect = sameOnEveryNode(node -> job.read(node, base + "/site/", null));
    assertThat(redirect.status()).as(redirect.toString()).isEqualTo(302);
    reads.put("site redirect", redirect);
    String preview = redirect.headers().get("Location");
    reads.put("site page", sameOnEveryNode(node -> job.read(node, preview, null)));
    reads.put("site style", sameOnEveryNode(node -> job.read(node, preview + "style.css", null)));
    return reads;
  }

  @FunctionalInterface
  private interface Read {
    Answer on(String node) throws Exception;
  }

  private static Answer sameOnEveryNode(Read read) throws Exception {
    Answer first = read.on(NODE_IDS.get(0));
    for (String node : NODE_IDS.subList(1, NODE_IDS.size())) {
      assertThat(read.on(node)).as("the answer of " + node + " and of " + NODE_IDS.get(0)).isEqualTo(first);
    }
    return first;
  }

  /** The whole detailed log as {@code retrieve-detailed-logs} sends it to {@code w}. */
  private static String detailedLog(SocketClients.Watcher w) throws Exception {
    w.socket.emit("retrieve-detailed-logs", new org.json.JSONObject());
    JsonNode end = w.fileContentEnd.get(PATIENT.toSeconds(), TimeUnit.SECONDS);
    String text = String.join("", w.fileContent);
    assertThat(end.get("bytes").asLong()).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
    assertThat(end.get("lines").asLong()).isEqualTo(text.lines().count());
    return text;
  }

  /** The same through a new watcher on {@code node}. */
  private static String detailedLog(Job job, String node) throws Exception {
    try (SocketClients.Watcher w = job.watch(node, 0)) {
      w.connected.get(PATIENT.toSeconds(), TimeUnit.SECONDS);
      return detailedLog(w);
    }
  }

  private List<JsonNode> ndjsonLines(Job job, String node, long since) throws Exception {
    HttpResponse<String> answer = job.get(node, "/api/jobs/" + job.id + "/log?format=ndjson&since=" + since, null);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : answer.body().split("\n")) if (!line.isEmpty()) lines.add(RunningServer.json(line));
    return lines;
  }

  // --- what watchers got ----------------------------------------------------------------------

  /** Its final status came after its last line, and nothing after it. */
  private static void assertEndsWithTheFinalStatus(SocketClients.Watcher w, String state) {
    await().atMost(PATIENT).until(() -> state.equals(w.lastState()));
    assertThat(w.errors).isEmpty();
    assertThat(w.order.getLast()).as("the last event").isEqualTo("status");
    assertThat(w.order.subList(w.order.lastIndexOf("log") + 1, w.order.size())).containsOnly("status");
    assertThat(w.statuses.getLast().get("state").asText()).isEqualTo(state);
  }

  private static void assertContiguousFromOne(List<JsonNode> lines) {
    assertThat(lines).extracting(l -> l.get("seq").asLong())
        .containsExactly(LongStream.rangeClosed(1, lines.size()).boxed().toArray(Long[]::new));
  }

  /** Waits until {@code w} got the generator's line {@code number}; a timeout says what it got. */
  private static void awaitGeneratorLine(Job job, SocketClients.Watcher w, int number) {
    try {
      await().atMost(PATIENT).until(() -> hasGeneratorLine(w.logLines, number));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      dumpThreads();
      throw new AssertionError("no line " + number + "; the watcher got " + seqAndText(w.logLines) + ", statuses " + w.statuses + ", errors "
          + w.errors + ", connect error " + w.connectError.getNow(null) + ", events " + w.order + ", messages " + w.messages
          + ", connected " + w.connected.isDone() + "; the logs: " + logsNow(job), e);
    }
  }

  /** What every node answers for the job's log now, for a failure's message. */
  private static String logsNow(Job job) {
    StringBuilder logs = new StringBuilder();
    for (String node : NODE_IDS) {
      try {
        logs.append("\n").append(node).append(": ").append(job.get(node, "/api/jobs/" + job.id + "/log", null).body());
      } catch (Exception e) {
        logs.append("\n").append(node).append(": ").append(e);
      }
    }
    return logs.toString();
  }

  /** Every node's threads, next to its log in target/, for what a node was stuck in. */
  private static void dumpThreads() {
    for (String id : NODE_IDS) {
      try {
        Path out = Files.createDirectories(Path.of("target", "cluster-log-it-logs")).resolve(id + "-threads.txt");
        Files.deleteIfExists(out);
        new ProcessBuilder("jcmd", Long.toString(cluster.node(id).pid()), "Thread.dump_to_file", "-format=text", out.toAbsolutePath().toString())
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
      } catch (IOException | InterruptedException e) {
        System.err.println("no thread dump of " + id + ": " + e);
      }
    }
  }

  private static boolean hasGeneratorLine(List<JsonNode> lines, int number) {
    String prefix = "line " + number + " sum ";
    return lines.stream().anyMatch(l -> l.get("text").asText().startsWith(prefix));
  }

  private static List<String> generatorLines(List<JsonNode> lines) {
    return lines.stream().map(l -> l.get("text").asText()).filter(t -> t.matches("line \\d+ sum \\d+")).toList();
  }

  private static List<String> seqAndText(List<JsonNode> lines) {
    return lines.stream().map(l -> l.get("seq").asLong() + " " + l.get("text").asText()).toList();
  }

  private static String text(List<JsonNode> lines) {
    StringBuilder text = new StringBuilder();
    for (JsonNode line : lines) text.append(line.get("text").asText()).append('\n');
    return text.toString();
  }

  private static String url(String node) {
    return cluster.node(node).url();
  }

  private static boolean hasCopy(String node, String jobId) {
    return Files.exists(cluster.dataDir(node).resolve("jobs").resolve(jobId).resolve("detailed.log"));
  }

  private static boolean streamExists(String jobId) {
    return redisConnection.sync().exists("bc:{" + jobId + "}:log") == 1;
  }
}
