package dev.buildcast.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.RedisServerProcess;
import dev.buildcast.testing.RunningServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster's queue across three nodes (issue 16, "What must hold" 8): {@code 3 ×
 * maxConcurrentJobs + 5} jobs submitted on nodes chosen by a checked-in seed run exactly once, never
 * more than {@code maxConcurrentJobs} at once on a node, start in submission order across the
 * cluster, say their place in their "queued" line, and are cancelled from a node other than the one
 * that submitted or runs them.
 *
 * <p>The generator writes to an oracle folder outside Buildcast: a {@code start} line (job id and
 * its shell's pid) to its node's events file and to one file for the whole cluster, then waits for
 * a go file named after its job, which only the test creates, then an {@code end} line. So the
 * test, not timing, decides when each job ends, and the checks read what the processes did, not
 * what Buildcast says about them. Appends of one short line ({@code >>}, O_APPEND) from several
 * processes do not interleave.
 *
 * <p>why in-process nodes ({@link RunningServer}) and not the packaged jar: as in {@link
 * ClusterNodesIT}, each has its own data folder, Redis connection, queue slots and HTTP server as a
 * process would, a failure shows as an exception with its stack trace, and three JVM starts are not
 * paid on a busy machine; what the queue does happens in Redis and between those pieces either way.
 */
class ClusterQueueIT {

  /** Picks the submitting nodes, the jobs to end and cancel, and the cancelling nodes. Checked in: a failure replays. */
  private static final long SEED = 0x5EED_0016_0008L;
  private static final int SLOTS = 2;
  private static final List<String> NODE_IDS = List.of("n1", "n2", "n3");
  private static final int JOBS = NODE_IDS.size() * SLOTS + 5;

  private static RedisServerProcess redis;

  @TempDir Path dir;
  private Path oracle;
  private final Map<String, RunningServer> nodes = new LinkedHashMap<>();

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServerProcess.start();
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) redis.close();
  }

  @BeforeEach
  void startNodes() throws Exception {
    redis.flushAll();
    oracle = Files.createDirectories(dir.resolve("oracle"));
    for (String id : NODE_IDS) nodes.put(id, RunningServer.start(dir.resolve("data-" + id), config(id)));
  }

  @AfterEach
  void stopNodes() throws IOException {
    // why first: a job still waiting for its go file would hold its node's stop for the 10 s it is given
    for (String id : List.copyOf(startedIds())) Files.writeString(oracle.resolve("go-" + id), "");
    List<String> ids = new ArrayList<>(nodes.keySet());
    java.util.Collections.reverse(ids);
    for (String id : ids) nodes.get(id).close();
  }

  private String config(String nodeId) {
    String held = "o=" + oracle + "; echo \"start $BUILDCAST_JOB_ID $$\" >> \"$o/$BUILDCAST_NODE_ID.events\";"
        + " echo \"$BUILDCAST_JOB_ID\" >> \"$o/starts\"; echo \"running on $BUILDCAST_NODE_ID\";"
        + " while [ ! -e \"$o/go-$BUILDCAST_JOB_ID\" ]; do sleep 0.05; done;"
        + " echo \"end $BUILDCAST_JOB_ID $$\" >> \"$o/$BUILDCAST_NODE_ID.events\"";
    return """
        maxConcurrentJobs: %d
        generators:
          - name: held
            command: [bash, -c, '%s']
        cluster:
          nodeId: %s
          redis: {url: '%s'}
          lease: 5s
          blobs: {type: directory, path: '%s'}
        """.formatted(SLOTS, held.replace("'", "''"), nodeId, redis.url(), dir.resolve("shared-blobs"));
  }

  /** A submitted job: its ticket and the node it was submitted on. */
  private record Submitted(String id, String token, String node) {}

  private Submitted submit(String node) throws Exception {
    RunningServer server = nodes.get(node);
    HttpResponse<String> created = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"generator\":\"held\"}")).build());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode ticket = RunningServer.json(created.body());
    return new Submitted(ticket.get("jobId").asText(), ticket.get("token").asText(), node);
  }

  private JsonNode status(String node, Submitted job) throws Exception {
    HttpResponse<String> answer = nodes.get(node).get("/api/jobs/" + job.id(), job.token());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return RunningServer.json(answer.body());
  }

  private JsonNode cancel(String node, Submitted job) throws Exception {
    RunningServer server = nodes.get(node);
    HttpResponse<String> answer = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs/" + job.id() + "/cancel"))
        .header("Authorization", "Bearer " + job.token()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return RunningServer.json(answer.body());
  }

  private boolean allNodesSay(Submitted job, String state) throws Exception {
    for (String node : NODE_IDS) if (!status(node, job).get("state").asText().equals(state)) return false;
    return true;
  }

  private List<String> oracleLines(String file) throws IOException {
    Path path = oracle.resolve(file);
    return Files.exists(path) ? Files.readAllLines(path) : List.of();
  }

  /** Job ids in the order their generators started, across the cluster. */
  private List<String> startedIds() throws IOException {
    return oracleLines("starts");
  }

  /** Node of each started job, and its shell's pid, from the nodes' events files. */
  private Map<String, Started> startsByJob() throws IOException {
    Map<String, Started> starts = new HashMap<>();
    for (String node : NODE_IDS) {
      for (String line : oracleLines(node + ".events")) {
        String[] f = line.split(" ");
        if (f[0].equals("start")) starts.put(f[1], new Started(node, Long.parseLong(f[2])));
      }
    }
    return starts;
  }

  private record Started(String node, long pid) {}

  private static String otherNode(Random random, String not) {
    List<String> others = NODE_IDS.stream().filter(n -> !n.equals(not)).toList();
    return others.get(random.nextInt(others.size()));
  }

  @Test
  void jobsOnRandomNodes_runOnceInOrderWithinSlots_andCancelsFromOtherNodesHold() throws Exception {
    Random random = new Random(SEED);
    List<Submitted> jobs = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) jobs.add(submit(NODE_IDS.get(random.nextInt(NODE_IDS.size()))));
    int clusterSlots = NODE_IDS.size() * SLOTS;

    // every slot of the cluster fills, with the first jobs submitted
    await().until(() -> startedIds().size() == clusterSlots);
    assertThat(Set.copyOf(startedIds())).as("the jobs started first")
        .isEqualTo(jobs.subList(0, clusterSlots).stream().map(Submitted::id).collect(Collectors.toSet()));
    List<Submitted> waiting = new ArrayList<>(jobs.subList(clusterSlots, JOBS));
    for (Submitted job : waiting) assertThat(status(otherNode(random, job.node()), job).get("state").asText()).isEqualTo("queued");

    // a waiting job cancelled on a node other than the one it was submitted to never starts
    Submitted cancelledWaiting = waiting.remove(random.nextInt(waiting.size()));
    JsonNode answer = cancel(otherNode(random, cancelledWaiting.node()), cancelledWaiting);
    assertThat(answer.get("state").asText()).isEqualTo("cancelled");
    await().until(() -> allNodesSay(cancelledWaiting, "cancelled"));

    // ending one running job at a time frees one slot, on its node: the oldest waiting job takes it there
    List<String> running = new ArrayList<>(startedIds());
    List<String> expectedOrder = new ArrayList<>(startedIds());
    while (!waiting.isEmpty()) {
      String ending = running.remove(random.nextInt(running.size()));
      String endingNode = startsByJob().get(ending).node();
      int before = startedIds().size();
      Files.writeString(oracle.resolve("go-" + ending), "");
      await().until(() -> startedIds().size() > before);
      Submitted next = waiting.remove(0);
      assertThat(startedIds()).as("generators started so far").hasSize(before + 1).last().isEqualTo(next.id());
      assertThat(startsByJob().get(next.id()).node()).as("the node whose slot was freed").isEqualTo(endingNode);
      running.add(next.id());
      expectedOrder.add(next.id());
      Submitted ended = jobs.stream().filter(j -> j.id().equals(ending)).findFirst().orElseThrow();
      await().until(() -> allNodesSay(ended, "succeeded"));
    }

    // a running job cancelled on a node that does not run it: its process tree is killed, it ends cancelled
    String victimId = running.remove(random.nextInt(running.size()));
    Submitted victim = jobs.stream().filter(j -> j.id().equals(victimId)).findFirst().orElseThrow();
    Started victimStart = startsByJob().get(victimId);
    assertThat(ProcessHandle.of(victimStart.pid()).map(ProcessHandle::isAlive)).as("the generator's shell before the cancel").hasValue(true);
    assertThat(status(otherNode(random, victimStart.node()), victim).get("node").asText()).isEqualTo(victimStart.node());
    cancel(otherNode(random, victimStart.node()), victim);
    await().until(() -> allNodesSay(victim, "cancelled"));
    await().until(() -> ProcessHandle.of(victimStart.pid()).map(ProcessHandle::isAlive).orElse(false) == false);

    for (String id : running) Files.writeString(oracle.resolve("go-" + id), "");
    for (Submitted job : jobs) {
      if (job == cancelledWaiting || job == victim) continue;
      await().until(() -> allNodesSay(job, "succeeded"));
    }

    // the oracle: each job ran once (the cancelled waiting one never), in submission order, within the slots
    List<String> started = startedIds();
    assertThat(started).as("each job started once").doesNotHaveDuplicates().doesNotContain(cancelledWaiting.id())
        .hasSize(JOBS - 1).containsExactlyElementsOf(expectedOrder);
    assertThat(started.subList(clusterSlots, started.size())).as("the jobs that waited, in submission order")
        .isEqualTo(jobs.subList(clusterSlots, JOBS).stream().map(Submitted::id).filter(id -> !id.equals(cancelledWaiting.id())).toList());
    for (String node : NODE_IDS) assertAtMostSlotsAtOnce(node);
    Map<String, Started> starts = startsByJob();
    for (Submitted job : jobs) {
      if (job == cancelledWaiting) continue;
      assertThat(status(job.node(), job).get("node").asText()).as("node of %s", job.id()).isEqualTo(starts.get(job.id()).node());
    }

    // the "queued" lines: with every slot counted, job k (from 1) has max(0, k - slots) jobs ahead of it
    for (int k = 1; k <= JOBS; k++) {
      Submitted job = jobs.get(k - 1);
      int ahead = Math.max(0, k - clusterSlots);
      String queued = ahead == 0 ? "Job queued for generator held."
          : "Job queued for generator held: " + ahead + (ahead == 1 ? " job" : " jobs") + " ahead of it.";
      String log = nodes.get(otherNode(random, job.node())).get("/api/jobs/" + job.id() + "/log", job.token()).body();
      List<String> lines = log.lines().toList();
      assertThat(lines.getFirst()).as("first line of job %d's log", k).isEqualTo(queued);
      assertThat(lines.stream().filter(l -> l.startsWith("Job queued")).count()).as("queued lines of job %d", k).isEqualTo(1);
      if (job == cancelledWaiting) {
        assertThat(lines).as("log of the cancelled waiting job").containsExactly(queued, "Job cancelled before it started.");
      } else {
        assertThat(lines.get(1)).as("second line of job %d's log", k).isEqualTo("Job started: generator held.");
        assertThat(lines).contains("running on " + starts.get(job.id()).node());
        assertThat(lines.getLast()).isEqualTo(job == victim ? "Job cancelled." : "Job finished with exit code 0.");
      }
    }
    assertThat(oracleLines(victimStart.node() + ".events")).as("the cancelled running job never ended by itself")
        .noneMatch(l -> l.startsWith("end " + victimId));

    // each node ran jobs: their appends were timed; nothing is left to ship, no node died
    for (String node : NODE_IDS) {
      String metrics = nodes.get(node).get("/metrics", null).body();
      assertThat(metric(metrics, "buildcast_cluster_append_seconds_count")).as("appends timed on %s", node).isPositive();
      assertThat(metric(metrics, "buildcast_cluster_shipping_lag_lines")).as("shipping lag on %s", node).isZero();
      assertThat(metric(metrics, "buildcast_cluster_jobs_reaped_total{outcome=\"failed\"}")).as("jobs reaped by %s", node).isZero();
      JsonNode health = RunningServer.json(nodes.get(node).get("/healthz", null).body()).get("cluster");
      assertThat(health.get("nodeId").asText()).isEqualTo(node);
      assertThat(health.get("shippingLagLines").asLong()).isZero();
      assertThat(health.get("blobs").asText()).isEqualTo("up");
    }
  }

  private static double metric(String scrape, String series) {
    return scrape.lines().filter(l -> l.startsWith(series + " ")).findFirst()
        .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .orElseThrow(() -> new AssertionError("no " + series + " in /metrics"));
  }

  /** Walks a node's events in the order they happened there: never more than the slots started and not ended. */
  private void assertAtMostSlotsAtOnce(String node) throws IOException {
    Set<String> open = new java.util.HashSet<>();
    int most = 0;
    for (String line : oracleLines(node + ".events")) {
      String[] f = line.split(" ");
      if (f[0].equals("start")) open.add(f[1]);
      else open.remove(f[1]);
      most = Math.max(most, open.size());
    }
    assertThat(most).as("most jobs running at once on %s", node).isLessThanOrEqualTo(SLOTS);
  }
}
