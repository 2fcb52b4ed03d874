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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's partitions on loopback: each node reaches Redis through its own {@link FaultProxy}, so
 * a test can slow down every node's link, stall one node's link for less than the lease (a
 * partition that heals: TCP delivers afterwards what it held), or cut one node off for longer than
 * the lease and heal it. Two in-process nodes, as in {@code ClusterFailureIT}.
 */
class ClusterPartitionIT {

  private static final Duration PATIENT = Duration.ofSeconds(120);
  @RegisterExtension static final RedisPerClass REDIS = new RedisPerClass();

  @TempDir Path dir;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closing.reversed()) c.close();
  }

  /**
   * {@code stepped} prints lines 1–3, waits until the test creates {@code go-<job>}, then prints
   * lines 4–6 (it only polls for the file: no sleep decides anything).
   */
  private String config(String nodeId, int redisPort, Duration lease, int slots) {
    String stepped = "for i in 1 2 3; do echo \\\"line $i\\\"; done; while [ ! -e '" + dir + "'/go-$BUILDCAST_JOB_ID ]; do sleep 0.05; done;"
        + " for i in 4 5 6; do echo \\\"line $i\\\"; done";
    return """
        maxConcurrentJobs: %d
        generators:
          - name: stepped
            command: [bash, -c, "%s"]
        cluster:
          nodeId: %s
          redis: {url: 'redis://127.0.0.1:%d'}
          lease: %ds
          blobs: {type: directory, path: '%s'}
        """.formatted(slots, stepped, nodeId, redisPort, lease.toSeconds(), dir.resolve("shared-blobs"));
  }

  private FaultProxy proxy() {
    FaultProxy proxy = FaultProxy.to(REDIS.server().port());
    closing.add(proxy);
    return proxy;
  }

  private RunningServer node(String nodeId, FaultProxy toRedis, Duration lease, int slots) throws Exception {
    RunningServer node = RunningServer.start(dir.resolve("data-" + nodeId), config(nodeId, toRedis.port(), lease, slots));
    closing.add(node);
    return node;
  }

  private void release(JsonNode ticket) throws Exception {
    Files.createFile(dir.resolve("go-" + ticket.get("jobId").asText()));
  }

  @Test
  void delayOf300msOnEveryNodesLinkToRedis_watchersOnBothNodesAndAResumeOnTheOtherGetTheWholeLogOnce() throws Exception {
    FaultProxy p1 = proxy();
    FaultProxy p2 = proxy();
    // why a 6 s lease: each renewal crosses two delayed links; the renewals (every lease/5) must fit well inside it
    RunningServer n1 = node("n1", p1, Duration.ofSeconds(6), 2);
    RunningServer n2 = node("n2", p2, Duration.ofSeconds(6), 2);
    p1.delay(Duration.ofMillis(300));
    p2.delay(Duration.ofMillis(300));

    JsonNode ticket = submit(n1, "stepped");
    String id = ticket.get("jobId").asText();
    SocketClients.Watcher leaver = watch(n1, ticket, 0);
    SocketClients.Watcher onN1 = watch(n1, ticket, 0);
    SocketClients.Watcher onN2 = watch(n2, ticket, 0);
    NdjsonFollower follower = follow(n2, ticket);
    await().atMost(PATIENT).until(() -> hasLine(leaver.logLines, "line 3"));
    long k = leaver.logLines.size();
    leaver.close();
    SocketClients.Watcher resumed = watch(n2, ticket, k);
    release(ticket);

    for (SocketClients.Watcher w : List.of(onN1, onN2, resumed)) await().atMost(PATIENT).until(() -> "succeeded".equals(w.lastState()));
    follower.done().get(PATIENT.toSeconds(), TimeUnit.SECONDS);
    List<String> all = seqAndText(onN1.logLines);
    assertThat(onN1.seqs()).containsExactly(LongStream.rangeClosed(1, all.size()).boxed().toArray(Long[]::new));
    assertThat(all).anyMatch(l -> l.endsWith(" line 6"));
    assertThat(all.getLast()).endsWith("Job finished with exit code 0.");
    assertThat(seqAndText(onN2.logLines)).isEqualTo(all);
    assertThat(seqAndText(follower.lines())).isEqualTo(all);
    assertThat(seqAndText(leaver.logLines)).isEqualTo(all.subList(0, (int) k));
    assertThat(seqAndText(resumed.logLines)).isEqualTo(all.subList((int) k, all.size()));
  }

  @Test
  void partitionShorterThanTheLease_pausesTheLogOnTheOtherNode_thenTheJobGoesOnAndSucceeds() throws Exception {
    FaultProxy p1 = proxy();
    // why a 20 s lease: the stall lasts until n1 notices Redis is gone (its 2 s command timeout), and
    // must stay well below the lease (and its 0.7 cut-off) on a slow machine
    RunningServer n1 = node("n1", p1, Duration.ofSeconds(20), 1);
    JsonNode ticket = submit(n1, "stepped"); // why before n2 starts: n1 claims it, no race
    await().atMost(PATIENT).until(() -> status(n1, ticket).get("state").asText().equals("running"));
    RunningServer n2 = node("n2", proxy(), Duration.ofSeconds(20), 1);
    SocketClients.Watcher onN2 = watch(n2, ticket, 0);
    await().atMost(PATIENT).until(() -> hasLine(onN2.logLines, "line 3"));

    p1.stall();
    await().atMost(PATIENT).until(() -> n1.get("/healthz", null).statusCode() == 503);
    release(ticket); // lines 4–6 are printed while n1 cannot ship them
    int shownDuringThePartition = onN2.logLines.size();
    p1.pass();

    await().atMost(PATIENT).until(() -> "succeeded".equals(onN2.lastState()));
    assertThat(shownDuringThePartition).as("nothing after line 3 reached n2 during the partition").isEqualTo(
        (int) onN2.logLines.stream().takeWhile(l -> !l.get("text").asText().equals("line 4")).count());
    List<String> texts = onN2.logLines.stream().map(l -> l.get("text").asText()).toList();
    assertThat(onN2.seqs()).containsExactly(LongStream.rangeClosed(1, texts.size()).boxed().toArray(Long[]::new));
    assertThat(texts).containsSubsequence("line 1", "line 2", "line 3", "line 4", "line 5", "line 6", "Job finished with exit code 0.");
    assertThat(texts).noneMatch(t -> t.contains("stopped renewing") || t.contains("stopped responding"));
    assertThat(status(n2, ticket).get("node").asText()).isEqualTo("n1");
    assertThat(n1.get("/healthz", null).statusCode()).isEqualTo(200);
  }

  @Test
  void nodeCutOffLongerThanTheLease_losesItsJob_andOnceHealedClaimsNewJobsAgain() throws Exception {
    FaultProxy p1 = proxy();
    RunningServer n1 = node("n1", p1, Duration.ofSeconds(2), 1);
    JsonNode lost = submit(n1, "stepped");
    await().atMost(PATIENT).until(() -> status(n1, lost).get("state").asText().equals("running"));
    RunningServer n2 = node("n2", proxy(), Duration.ofSeconds(2), 1);

    p1.cut();
    await().atMost(PATIENT).until(() -> status(n2, lost).get("state").asText().equals("failed"));
    p1.pass();
    await().atMost(PATIENT).until(() -> n1.get("/healthz", null).statusCode() == 200);

    // n2's one slot is taken by a job held open, so the next job can only run on n1
    JsonNode holding = submit(n2, "stepped");
    await().atMost(PATIENT).until(() -> status(n2, holding).get("state").asText().equals("running"));
    String holder = status(n2, holding).get("node").asText();
    JsonNode next = submit(n2, "stepped");
    await().atMost(PATIENT).until(() -> status(n2, next).get("state").asText().equals("running"));
    assertThat(List.of(holder, status(n2, next).get("node").asText())).containsExactlyInAnyOrder("n1", "n2");
    release(holding);
    release(next);
    for (JsonNode t : List.of(holding, next)) await().atMost(PATIENT).until(() -> status(n1, t).get("state").asText().equals("succeeded"));
    assertThat(status(n1, lost).get("state").asText()).isEqualTo("failed");
  }

  
  
  private SocketClients.Watcher watch(RunningServer node, JsonNode ticket, long since) {
    SocketClients.Watcher watcher = ClusterJobs.watch(node, ticket, since);
    closing.add(watcher);
    return watcher;
  }

  
  }
