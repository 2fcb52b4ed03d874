package dev.buildcast.cluster;

import static dev.buildcast.testing.ClusterJobs.follow;
import static dev.buildcast.testing.ClusterJobs.hasLine;
import static dev.buildcast.testing.ClusterJobs.seqAndText;
import static dev.buildcast.testing.ClusterJobs.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.cluster.StreamEntry;
import dev.buildcast.log.cluster.StreamPosition;
import dev.buildcast.testing.ClusterJobs;
import dev.buildcast.testing.NdjsonFollower;
import dev.buildcast.testing.RedisPerClass;
import dev.buildcast.testing.RedisServerProcess;
import dev.buildcast.testing.RunningServer;
import dev.buildcast.testing.SocketClients;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis itself goes away while a job prints (issue 16, "what must hold" 5), with in-process nodes
 * as in {@link ClusterNodesIT}: hung ({@code SIGSTOP}) for longer than the command timeout, killed
 * with {@code SIGKILL} and restarted from its AOF, and a stream that lost its tail. The job keeps
 * running; watchers on both nodes get nothing during the outage and every line after it, once and
 * in order; requests that need Redis answer {@code engine_unavailable}; no job is failed.
 *
 * <p>The generator prints a batch of numbered lines each time the test creates its {@code go-<n>}
 * file (and appends them to an oracle file outside Buildcast), so the outage falls at a known point
 * of the log. The lease is {@value #LEASE_SECONDS} s, much longer than any outage here: a node cut
 * from Redis gives its runs up after 0.7 × lease, and what happens when an outage outlasts the
 * lease is item 7's (and the lease sweep's grace after an outage is {@code EngineAvailabilityTest}'s,
 * {@code JobControlTest}'s and {@code RedisQueueReaperTest}'s). No sleep decides anything.
 */
class ClusterEngineIT {

  private static final int LEASE_SECONDS = 60;
  private static final Duration PATIENT = Duration.ofSeconds(60);
  private static final int LINES_PER_STEP = 40;
  private static final int STEPS = 3;

  @RegisterExtension static final RedisPerClass REDIS = new RedisPerClass();

  @TempDir Path dir;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closing.reversed()) c.close();
  }

  private String config(String nodeId) throws IOException {
    return config(nodeId, "{url: '" + REDIS.server().url() + "'}");
  }

  private String config(String nodeId, String redisSection) throws IOException {
    Path script = dir.resolve("stepped.sh");
    if (!Files.exists(script)) {
      Files.writeString(script, """
          n=0
          for step in $(seq 1 %d); do
            while [ ! -e '%s/go-'$step ]; do sleep 0.05; done
            for i in $(seq 1 %d); do n=$((n+1)); echo "line $n"; echo "line $n" >> '%s/oracle'; done
            touch '%s/printed-'$step
          done
          """.formatted(STEPS, dir, LINES_PER_STEP, dir, dir));
    }
    return """
        maxConcurrentJobs: 2
        generators:
          - name: stepped
            command: [bash, '%s']
        cluster:
          nodeId: %s
          redis: %s
          lease: %ds
          blobs: {type: directory, path: '%s'}
        """.formatted(script, nodeId, redisSection, LEASE_SECONDS, dir.resolve("shared-blobs"));
  }

  private RunningServer node(String nodeId) throws Exception {
    return node(nodeId, config(nodeId));
  }

  private RunningServer node(String nodeId, String config) throws Exception {
    RunningServer node = RunningServer.start(dir.resolve("data-" + nodeId), config);
    closing.add(node);
    return node;
  }

  private static HttpResponse<String> post(RunningServer node) throws Exception {
    return node.send(HttpRequest.newBuilder(URI.create(node.url() + "/api/jobs"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"generator\":\"stepped\"}")).build());
  }

  private SocketClients.Watcher watch(RunningServer node, JsonNode ticket) {
    SocketClients.Watcher watcher = ClusterJobs.watch(node, ticket, 0);
    closing.add(watcher);
    return watcher;
  }

  
  
  
  private void step(int n) throws IOException {
    Files.createFile(dir.resolve("go-" + n));
  }

  private static String lastLineOf(int step) {
    return "line " + step * LINES_PER_STEP;
  }

  /** A job running on n1 (started alone, so the claim is no race), with watchers on both nodes that got its first batch. */
  private record Watched(RunningServer n1, RunningServer n2, JsonNode ticket, SocketClients.Watcher onN1, SocketClients.Watcher onN2,
      NdjsonFollower ndjsonOnN2) {

    List<List<JsonNode>> all() {
      return List.of(onN1.logLines, onN2.logLines, ndjsonOnN2.lines());
    }

    List<Integer> sizes() {
      return all().stream().map(List::size).toList();
    }
  }

  private Watched jobWithWatchersPastItsFirstStep() throws Exception {
    return jobWithWatchersPastItsFirstStep(this::node);
  }

  /** Starts a node by its id. */
  private interface NodeStarter {
    RunningServer start(String nodeId) throws Exception;
  }

  private Watched jobWithWatchersPastItsFirstStep(NodeStarter nodes) throws Exception {
    RunningServer n1 = nodes.start("n1");
    HttpResponse<String> created = post(n1);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode ticket = RunningServer.json(created.body());
    await().atMost(PATIENT).until(() -> status(n1, ticket).get("state").asText().equals("running"));
    assertThat(status(n1, ticket).get("node").asText()).isEqualTo("n1");
    RunningServer n2 = nodes.start("n2");
    Watched watched = new Watched(n1, n2, ticket, watch(n1, ticket), watch(n2, ticket), follow(n2, ticket));
    step(1);
    for (List<JsonNode> lines : watched.all()) await().atMost(PATIENT).until(() -> hasLine(lines, lastLineOf(1)));
    return watched;
  }

  /** While Redis is out of reach: what needs it answers engine_unavailable, and the job goes on printing. */
  private void duringTheOutage(Watched w) throws Exception {
    List<Integer> before = w.sizes();
    step(2);
    await().atMost(PATIENT).until(() -> Files.exists(dir.resolve("printed-2")));

    for (RunningServer node : List.of(w.n1(), w.n2())) {
      HttpResponse<String> health = node.get("/healthz", null);
      assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
      assertThat(RunningServer.json(health.body()).at("/cluster/engine").asText()).isEqualTo("down");
    }
    HttpResponse<String> refused = post(w.n2());
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
    assertThat(RunningServer.json(refused.body()).at("/error/code").asText()).isEqualTo("engine_unavailable");
    io.socket.client.Socket root = SocketClients.root(w.n1().url());
    try {
      JsonNode ack = SocketClients.generate(root, Map.of("generator", "stepped"));
      assertThat(ack.at("/error/code").asText()).as(ack.toString()).isEqualTo("engine_unavailable");
    } finally {
      root.close();
    }
    try (SocketClients.Watcher late = SocketClients.watch(w.n2().url(), w.ticket().get("jobId").asText(),
        Map.of("token", w.ticket().get("token").asText()))) {
      JsonNode error = SocketClients.tree(late.connectError.get(PATIENT.toSeconds(), TimeUnit.SECONDS));
      assertThat(error.at("/data/code").asText()).as(error.toString()).isEqualTo("engine_unavailable");
    }

    assertThat(w.sizes()).as("lines the watchers got during the outage").isEqualTo(before);
    assertThat(w.all()).allSatisfy(lines -> assertThat(hasLine(lines, "line " + (LINES_PER_STEP + 1))).isFalse());
  }

  /** Redis is back: the rest arrives, the job ends well, and every watcher has the one log. */
  private void afterTheOutage(Watched w) throws Exception {
    afterTheOutage(w, REDIS.server().url());
  }

  private void afterTheOutage(Watched w, String primaryUrl) throws Exception {
    for (List<JsonNode> lines : w.all()) await().atMost(PATIENT).until(() -> hasLine(lines, lastLineOf(2)));
    await().atMost(PATIENT).until(() -> w.n1().get("/healthz", null).statusCode() == 200);
    step(3);
    for (SocketClients.Watcher watcher : List.of(w.onN1(), w.onN2())) {
      await().atMost(PATIENT).until(() -> "succeeded".equals(watcher.lastState()));
    }
    w.ndjsonOnN2().done().get(PATIENT.toSeconds(), TimeUnit.SECONDS);

    List<String> log = seqAndText(w.onN1().logLines);
    assertThat(w.onN1().seqs()).as("gap-free and duplicate-free")
        .containsExactly(LongStream.rangeClosed(1, log.size()).boxed().toArray(Long[]::new));
    assertThat(seqAndText(w.onN2().logLines)).isEqualTo(log);
    assertThat(seqAndText(w.ndjsonOnN2().lines())).isEqualTo(log);
    List<String> texts = w.onN1().logLines.stream().map(l -> l.get("text").asText()).toList();
    List<String> printed = texts.stream().filter(t -> t.startsWith("line ")).toList();
    assertThat(printed).containsExactlyElementsOf(Files.readAllLines(dir.resolve("oracle")));
    assertThat(printed).containsExactlyElementsOf(IntStream.rangeClosed(1, STEPS * LINES_PER_STEP).mapToObj(i -> "line " + i).toList());
    assertThat(texts.stream().filter(t -> t.startsWith("Job started"))).as("started once").hasSize(1);
    assertThat(texts.getLast()).isEqualTo("Job finished with exit code 0.");
    for (SocketClients.Watcher watcher : List.of(w.onN1(), w.onN2())) {
      assertThat(watcher.errors).isEmpty();
      assertThat(watcher.statuses.stream().map(s -> s.get("state").asText())).doesNotContain("failed");
    }

    String token = w.ticket().get("token").asText();
    String path = "/api/jobs/" + w.ticket().get("jobId").asText() + "/log";
    String whole = w.n1().get(path, token).body();
    assertThat(whole.lines().toList()).isEqualTo(texts);
    assertThat(w.n2().get(path, token).body()).isEqualTo(whole);
    JsonNode ended = status(w.n2(), w.ticket());
    assertThat(ended.get("state").asText()).as("no job is failed because of the outage").isEqualTo("succeeded");
    assertThat(status(w.n1(), w.ticket())).isEqualTo(ended);
    assertThat(streamLines(primaryUrl, w.ticket().get("jobId").asText())).as("the stream holds each line once, as shown").isEqualTo(log);
  }

  private static List<String> streamLines(String jobId) {
    return streamLines(REDIS.server().url(), jobId);
  }

  /** Every line the job's stream holds, in entry order, as "seq text". */
  private static List<String> streamLines(String url, String jobId) {
    try (RedisEngine engine = RedisEngine.connect(url, PATIENT);
        RedisAcceptedLines stream = new RedisAcceptedLines(engine)) {
      List<String> lines = new ArrayList<>();
      for (StreamEntry entry : stream.read(jobId, StreamPosition.START, 100_000)) {
        if (entry instanceof StreamEntry.Lines batch) for (LogLine line : batch.lines()) lines.add(line.seq() + " " + line.text());
      }
      return lines;
    }
  }

  @Test
  void redisHung_longerThanTheCommandTimeout_jobKeepsRunning_watchersGetNothingThenEverything_requestsAnswerEngineUnavailable()
      throws Exception {
    Watched w = jobWithWatchersPastItsFirstStep();
    REDIS.server().hang();
    long hungAt = System.nanoTime();
    try {
      duringTheOutage(w);
      // each check above waited for a command to time out, so this holds on any machine
      assertThat(Duration.ofNanos(System.nanoTime() - hungAt)).isGreaterThan(RedisEngine.DEFAULT_COMMAND_TIMEOUT);
    } finally {
      REDIS.server().resume();
    }
    afterTheOutage(w);
  }

  @Test
  void redisKilledAndRestartedFromItsAof_jobKeepsRunning_watchersGetNothingThenEverything_requestsAnswerEngineUnavailable()
      throws Exception {
    Watched w = jobWithWatchersPastItsFirstStep();
    REDIS.server().killHard();
    try {
      duringTheOutage(w);
    } finally {
      REDIS.server().restart();
    }
    afterTheOutage(w);
  }

  @Test
  void streamLostItsTail_ownerShipsTheSameSeqsAndTextAgain_watchersSeeEachLineOnce() throws Exception {
    Watched w = jobWithWatchersPastItsFirstStep();
    String jobId = w.ticket().get("jobId").asText();
    List<String> shown = seqAndText(w.onN1().logLines);
    String lastShown = shown.getLast();
    // what a Redis restarted from an AOF that lost its last second keeps: all but the newest entry
    try (RedisEngine engine = RedisEngine.connect(REDIS.server().url(), PATIENT)) {
      List<StreamMessage<String, String>> newest = engine.call("test", r -> r.xrevrange(RedisAcceptedLines.logKey(jobId),
          Range.create("-", "+"), io.lettuce.core.Limit.from(1)));
      assertThat(newest).hasSize(1);
      assertThat(newest.getFirst().getBody()).as("the newest entry holds the first step's last line").doesNotContainKey("k");
      String id = newest.getFirst().getId();
      assertThat(id).endsWith("-0");
      assertThat(lastShown).isEqualTo(id.substring(0, id.indexOf('-')) + " " + lastLineOf(1));
      engine.call("test", r -> r.xdel(RedisAcceptedLines.logKey(jobId), newest.getFirst().getId()));
    }
    assertThat(streamLines(jobId)).as("the stream lost the lines up to " + lastShown).doesNotContain(lastShown);

    step(2);
    afterTheOutage(w);
    assertThat(seqAndText(w.onN1().logLines)).startsWith(shown.toArray(String[]::new));
  }

  @Test
  void primaryKilledMidJob_sentinelsPromoteTheReplica_nodesFollowIt_jobCompletes_noLineAnyWatcherGotChanged() throws Exception {
    RedisServerProcess primary = RedisServerProcess.start();
    closing.add(primary);
    RedisServerProcess replica = RedisServerProcess.startReplicaOf(primary);
    closing.add(replica);
    replica.awaitInSync();
    List<RedisServerProcess> sentinels = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      RedisServerProcess sentinel = RedisServerProcess.startSentinel("bc", primary, Duration.ofMillis(2000));
      closing.add(sentinel);
      sentinels.add(sentinel);
    }
    // a failover needs each Sentinel to know the replica and the two others (they meet through the primary)
    for (RedisServerProcess sentinel : sentinels) {
      await().atMost(PATIENT).until(() -> sentinel.info("sentinel").contains("slaves=1,sentinels=3"));
    }
    String redisSection = "{sentinels: [%s], masterName: bc, minReplicasAck: 1, ackTimeout: 2s, commandTimeout: 5s}".formatted(
        String.join(", ", sentinels.stream().map(s -> "'127.0.0.1:" + s.port() + "'").toList()));
    Watched w = jobWithWatchersPastItsFirstStep(nodeId -> node(nodeId, config(nodeId, redisSection)));
    List<List<String>> shownBefore = w.all().stream().map(ClusterJobs::seqAndText).toList();

    primary.killHard();
    step(2); // the job prints on while the Sentinels fail over
    for (RedisServerProcess sentinel : sentinels) {
      await().atMost(PATIENT).until(() -> sentinel.info("sentinel").contains("address=127.0.0.1:" + replica.port()));
    }
    // the old primary comes back from its AOF; the Sentinels make it the new primary's replica, so
    // minReplicasAck: 1 can be met again (until then no line counts, so none is shown)
    primary.restart();
    await().atMost(PATIENT).until(() -> primary.info("replication").contains("master_port:" + replica.port())
        && primary.info("replication").contains("master_link_status:up"));

    afterTheOutage(w, replica.url());
    for (int i = 0; i < shownBefore.size(); i++) {
      assertThat(seqAndText(w.all().get(i))).as("what watcher " + i + " had before the failover is unchanged")
          .startsWith(shownBefore.get(i).toArray(String[]::new));
    }
  }
}
