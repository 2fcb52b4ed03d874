package dev.buildcast.cluster;

import static dev.buildcast.testing.ClusterJobs.follow;
import static dev.buildcast.testing.ClusterJobs.hasLine;
import static dev.buildcast.testing.ClusterJobs.seqAndText;
import static dev.buildcast.testing.ClusterJobs.status;
import static dev.buildcast.testing.ClusterJobs.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.ClusterJobs;
import dev.buildcast.testing.FaultProxy;
import dev.buildcast.testing.NdjsonFollower;
import dev.buildcast.testing.RedisPerClass;
import dev.buildcast.testing.RunningServer;
import dev.buildcast.testing.SocketClients;
import io.lettuce.core.XAddArgs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What happens to a job when the node running it dies, is cut from Redis, or is fenced off its log
 * (issue 16, "what must hold" 3 and 4, with in-process nodes as in {@link ClusterNodesIT}): the
 * other node fails it by its lease, every watcher there gets the lines the dead node had shipped,
 * one error line and the final status; the fenced node stops its generator at once and writes
 * nothing more; a watcher whose log cannot be followed gets one {@code error} event.
 *
 * <p>The node that runs the job is started alone, and the other one only once the job runs, so
 * which node claims it is never a race. No sleep decides anything: the tests wait on conditions
 * (Redis's own expiry of the 2 s lease included) with generous overall limits.
 */
class ClusterFailureIT {

  private static final Duration LEASE = Duration.ofSeconds(2);
  private static final Duration PATIENT = Duration.ofSeconds(60);
  private static final String STOPPED_RENEWING = "The server running this job stopped renewing its claim on it; the job was failed.";

  @RegisterExtension static final RedisPerClass REDIS = new RedisPerClass();

  @TempDir Path dir;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closing.reversed()) c.close();
  }

  /**
   * {@code printer} prints numbered lines until it is killed, after writing its process id to
   * {@code pid}; {@code stepped} prints three lines, then waits until the test creates {@code go}.
   */
  private String config(String nodeId, String redisUrl) {
    String printer = "echo $$ > '" + dir.resolve("pid") + "'; i=0; while true; do i=$((i+1)); echo \\\"line $i\\\"; sleep 0.05; done";
    String stepped = "for i in 1 2 3; do echo \\\"line $i\\\"; done; while [ ! -e '" + dir.resolve("go") + "' ]; do sleep 0.05; done;"
        + " echo \\\"line 4\\\"";
    return """
        maxConcurrentJobs: 2
        generators:
          - name: printer
            command: [bash, -c, "%s"]
          - name: stepped
            command: [bash, -c, "%s"]
        cluster:
          nodeId: %s
          redis: {url: '%s'}
          lease: 2s
          blobs: {type: directory, path: '%s'}
        """.formatted(printer, stepped, nodeId, redisUrl, dir.resolve("shared-blobs"));
  }

  private RunningServer node(String nodeId, String redisUrl) throws Exception {
    RunningServer node = RunningServer.start(dir.resolve("data-" + nodeId), config(nodeId, redisUrl));
    closing.add(node);
    return node;
  }

  
  
  private SocketClients.Watcher watch(RunningServer node, JsonNode ticket) {
    SocketClients.Watcher watcher = ClusterJobs.watch(node, ticket, 0);
    closing.add(watcher);
    return watcher;
  }

  
  
  
  private long generatorPid() throws IOException {
    Path pid = dir.resolve("pid");
    await().atMost(PATIENT).until(() -> Files.exists(pid) && Files.readString(pid).strip().matches("\\d+"));
    return Long.parseLong(Files.readString(pid).strip());
  }

  private static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static double fencedTotal(RunningServer node) throws Exception {
    for (String line : node.get("/metrics", null).body().split("\n")) {
      if (line.startsWith("buildcast_cluster_fenced_total")) return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
    throw new AssertionError("no buildcast_cluster_fenced_total in /metrics");
  }

  /**
   * The log a surviving watcher got: contiguous seqs from 1, the runner's lines, then exactly one
   * error line saying the server stopped responding, last.
   */
  private static void assertEndedByTheLease(List<JsonNode> lines) {
    assertThat(lines).isNotEmpty();
    assertThat(lines.stream().map(l -> l.get("seq").asLong()).toList())
        .containsExactly(LongStream.rangeClosed(1, lines.size()).boxed().toArray(Long[]::new));
    List<String> texts = lines.stream().map(l -> l.get("text").asText()).toList();
    assertThat(texts.getFirst()).startsWith("Job queued for generator printer");
    assertThat(texts.getLast()).isEqualTo(STOPPED_RENEWING);
    assertThat(lines.getLast().get("level").asText()).isEqualTo("error");
    assertThat(texts.stream().filter(STOPPED_RENEWING::equals)).hasSize(1);
    assertThat(texts.stream().filter(t -> t.startsWith("Job started"))).as("started once").hasSize(1);
    // the runner's lines are its own numbering, in order, none lost between them
    List<String> printed = texts.stream().filter(t -> t.startsWith("line ")).toList();
    assertThat(printed).containsExactlyElementsOf(LongStream.rangeClosed(1, printed.size()).mapToObj(i -> "line " + i).toList());
  }

  @Test
  void ownerCutFromRedis_otherNodeFailsTheJobByItsLease_watchersThereGetTheShippedLinesOneErrorLineAndFailed() throws Exception {
    FaultProxy toRedis = FaultProxy.to(REDIS.server().port());
    closing.add(toRedis);
    RunningServer n1 = node("n1", "redis://127.0.0.1:" + toRedis.port());
    JsonNode ticket = submit(n1, "printer");
    await().atMost(PATIENT).until(() -> status(n1, ticket).get("state").asText().equals("running"));
    assertThat(status(n1, ticket).get("node").asText()).isEqualTo("n1");
    long pid = generatorPid();
    RunningServer n2 = node("n2", REDIS.server().url());
    SocketClients.Watcher onN2 = watch(n2, ticket);
    NdjsonFollower ndjson = follow(n2, ticket);
    await().atMost(PATIENT).until(() -> hasLine(onN2.logLines, "line 5") && hasLine(ndjson.lines(), "line 5"));

    toRedis.cut();
    long cutAt = System.nanoTime();

    await().atMost(PATIENT).until(() -> "failed".equals(onN2.lastState()));
    Duration endedAfter = Duration.ofNanos(System.nanoTime() - cutAt);
    ndjson.done().get(PATIENT.toSeconds(), TimeUnit.SECONDS);
    // why a bound this loose: the lease is 2 s; a busy machine may add seconds, never tens of them
    assertThat(endedAfter).as("time from the cut to the failed status on n2").isLessThan(LEASE.plusSeconds(20));
    // cut for 0.7 of the lease, n1 gave its generator up by itself
    await().atMost(PATIENT).until(() -> !isAlive(pid));

    assertEndedByTheLease(onN2.logLines);
    assertThat(onN2.order.getLast()).isEqualTo("status");
    assertThat(onN2.order.lastIndexOf("log")).isLessThan(onN2.order.lastIndexOf("status"));
    assertThat(onN2.errors).isEmpty();
    assertThat(seqAndText(ndjson.lines())).isEqualTo(seqAndText(onN2.logLines));
    JsonNode failed = status(n2, ticket);
    assertThat(failed.get("state").asText()).isEqualTo("failed");

    // healed: n1's shipper finds itself fenced off the sealed log; nothing lands after the seal
    toRedis.pass();
    await().atMost(PATIENT).until(() -> fencedTotal(n1) >= 1);
    String log = n2.get("/api/jobs/" + ticket.get("jobId").asText() + "/log", ticket.get("token").asText()).body();
    assertThat(log).endsWith(STOPPED_RENEWING + "\n");
    assertThat(log.lines().toList()).isEqualTo(onN2.logLines.stream().map(l -> l.get("text").asText()).toList());
    assertThat(status(n1, ticket)).as("never started again, the same record on both nodes").isEqualTo(failed);
  }

  @Test
  void ownerFencedByATakeover_stopsItsGeneratorAtOnce_itsWatcherIsToldToReconnect_theOtherNodeEndsTheJob() throws Exception {
    RunningServer n1 = node("n1", REDIS.server().url());
    JsonNode ticket = submit(n1, "printer");
    String jobId = ticket.get("jobId").asText();
    await().atMost(PATIENT).until(() -> status(n1, ticket).get("state").asText().equals("running"));
    assertThat(status(n1, ticket).get("node").asText()).isEqualTo("n1");
    long pid = generatorPid();
    RunningServer n2 = node("n2", REDIS.server().url());
    SocketClients.Watcher onN1 = watch(n1, ticket);
    SocketClients.Watcher onN2 = watch(n2, ticket);
    await().atMost(PATIENT).until(() -> hasLine(onN1.logLines, "line 5") && hasLine(onN2.logLines, "line 5"));
    assertThat(fencedTotal(n1)).isZero();

    // what a reaper does first: take the job's log over with the next epoch (here for a node "n9")
    try (RedisEngine engine = RedisEngine.connect(REDIS.server().url(), Duration.ofSeconds(10));
        RedisAcceptedLines lines = new RedisAcceptedLines(engine)) {
      lines.takeOver(jobId, "n9");
    }

    await().atMost(PATIENT).until(() -> !isAlive(pid));
    await().atMost(PATIENT).until(() -> fencedTotal(n1) == 1);
    await().atMost(PATIENT).until(() -> !onN1.errors.isEmpty());
    assertThat(onN1.errors).hasSize(1);
    assertThat(onN1.errors.getFirst().at("/error/code").asText()).isEqualTo("log_moved");
    assertThat(onN1.errors.getFirst().at("/error/message").asText()).contains("connect again").doesNotContain("n9").doesNotContain("Exception");

    // nobody renews the job's lease any more: a node fails it, and n2's watcher hears the end
    await().atMost(PATIENT).until(() -> "failed".equals(onN2.lastState()));
    assertEndedByTheLease(onN2.logLines);
    // n1's watcher: a prefix of the log, the error, and nothing after it
    assertThat(seqAndText(onN2.logLines)).startsWith(seqAndText(onN1.logLines).toArray(String[]::new));
    assertThat(onN1.order.getLast()).isEqualTo("error");
    assertThat(onN1.statuses.stream().map(s -> s.get("state").asText())).doesNotContain("failed");

    // a watcher connecting to n1 later is told the same at once
    SocketClients.Watcher late = watch(n1, ticket);
    await().atMost(PATIENT).until(() -> !late.errors.isEmpty());
    assertThat(late.errors.getFirst().at("/error/code").asText()).isEqualTo("log_moved");
    assertThat(late.order.getLast()).isEqualTo("error");
    assertThat(status(n1, ticket).get("state").asText()).isEqualTo("failed");
  }

  @Test
  void damagedEntryInTheStream_socketWatcherOnAnotherNode_getsOneLogUnreadableErrorAndNoFinalStatus() throws Exception {
    RunningServer n1 = node("n1", REDIS.server().url());
    JsonNode ticket = submit(n1, "stepped");
    String jobId = ticket.get("jobId").asText();
    await().atMost(PATIENT).until(() -> status(n1, ticket).get("state").asText().equals("running"));
    RunningServer n2 = node("n2", REDIS.server().url());
    SocketClients.Watcher onN1 = watch(n1, ticket);
    SocketClients.Watcher onN2 = watch(n2, ticket);
    await().atMost(PATIENT).until(() -> hasLine(onN2.logLines, "line 3") && hasLine(onN1.logLines, "line 3"));
    long lastSeq = onN2.logLines.getLast().get("seq").asLong();

    // after the last entry, a checksum that does not match, as a torn or tampered write would leave it
    try (RedisEngine engine = RedisEngine.connect(REDIS.server().url(), Duration.ofSeconds(10))) {
      engine.call("test", r -> r.xadd(RedisAcceptedLines.logKey(jobId), new XAddArgs().id(lastSeq + "-99"),
          Map.of("f", Long.toString(lastSeq + 1), "t", "x\n", "m", "0.0.1", "c", "00000000")));
    }
    await().atMost(PATIENT).until(() -> !onN2.errors.isEmpty());

    Files.createFile(dir.resolve("go"));
    await().atMost(PATIENT).until(() -> "succeeded".equals(onN1.lastState()));
    // a watcher connecting to n2 now is told the same (its mirror stays failed)
    SocketClients.Watcher late = watch(n2, ticket);
    await().atMost(PATIENT).until(() -> !late.errors.isEmpty());

    for (SocketClients.Watcher w : List.of(onN2, late)) {
      assertThat(w.errors).hasSize(1);
      JsonNode error = w.errors.getFirst().get("error");
      assertThat(error.get("code").asText()).isEqualTo("log_unreadable");
      assertThat(error.get("message").asText()).doesNotContain(jobId).doesNotContain("CRC").doesNotContain("bc:");
      assertThat(w.order.getLast()).isEqualTo("error");
      assertThat(w.statuses.stream().map(s -> s.get("state").asText())).doesNotContain("succeeded");
    }
    assertThat(seqAndText(onN2.logLines)).isEqualTo(seqAndText(onN1.logLines).subList(0, onN2.logLines.size()));
  }
}
