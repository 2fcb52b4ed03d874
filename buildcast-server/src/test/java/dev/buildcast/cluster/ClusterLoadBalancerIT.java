package dev.buildcast.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.buildcast.testing.EngineTransports;
import dev.buildcast.testing.HaproxyProcess;
import dev.buildcast.testing.NodeScript;
import dev.buildcast.testing.PackagedCluster;
import dev.buildcast.testing.SocketClients;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes (the packaged jar, separate processes) on one {@code redis-server} and a shared blob
 * folder, behind one {@code haproxy} running the configuration the README gives operators
 * ({@code docs/haproxy-buildcast.cfg}; only its bind and server addresses are filled in). Every
 * client talks to HAProxy only: the official Java and JavaScript clients with their default
 * transports follow jobs through it, requests carrying a session id reach the node the id is
 * tagged with, and a watcher whose node is killed reconnects through it to another node and
 * resumes without a gap. Jobs run wherever a slot is free: the tests read the {@code node} a job
 * reports, never choose it.
 *
 * <p>why one cluster for the class: three JVM starts cost more than every test together; the test
 * that kills a node runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterLoadBalancerIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> NODE_IDS = List.of("n1", "n2", "n3");

  @TempDir static Path dir;
  private static PackagedCluster cluster;
  /** HAProxy's URL: every client of the tests goes through it. */
  private static String lb;
  private static Path go;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void startCluster() throws Exception {
    HaproxyProcess.requireInstalled(); // why first: no JVM is started for nothing when the test is skipped
    go = Files.createDirectories(dir.resolve("go"));
    cluster = PackagedCluster.start(dir, NODE_IDS, settings(), Duration.ofSeconds(3), "cluster-load-balancer-logs");
    lb = cluster.behindHaproxy();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) cluster.close();
  }

  /**
   * {@code stepped} prints lines 1–3, waits for the file {@code <jobId>.1} in {@code go}, prints
   * 4–6, waits for {@code <jobId>.2}, prints 7–9 and its node (it only polls for the files: no
   * sleep decides anything); {@code quick} prints one notice and ends.
   */
  private static String settings() {
    String wait = "until [ -e '" + go + "'/$BUILDCAST_JOB_ID.%d ]; do sleep 0.05; done; ";
    String stepped = "for i in 1 2 3; do echo line $i; done; " + wait.formatted(1) + "for i in 4 5 6; do echo line $i; done; "
        + wait.formatted(2) + "for i in 7 8 9; do echo line $i; done; echo ran on $BUILDCAST_NODE_ID";
    return """
        maxConcurrentJobs: 2
        # why: behind HAProxy without the PROXY protocol every client is 127.0.0.1
        limits: {connectionsPerIp: 500, jobsPerIpPerMinute: 500}
        generators:
          - name: stepped
            command: [bash, -c, "%s"]
          - name: quick
            command: [bash, -c, "echo ::notice::quick on $BUILDCAST_NODE_ID"]
        """.formatted(stepped);
  }

  private static void release(JsonNode ticket, int stage) throws IOException {
    Files.createFile(go.resolve(ticket.get("jobId").asText() + "." + stage));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode submit() throws Exception {
    HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(lb + "/api/jobs"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"generator\":\"stepped\"}")));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return JSON.readTree(created.body());
  }

  private JsonNode status(JsonNode ticket) throws Exception {
    HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(lb + "/api/jobs/" + ticket.get("jobId").asText()))
        .header("Authorization", "Bearer " + ticket.get("token").asText()));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return JSON.readTree(answer.body());
  }

  /** The job's whole log as {@code "<seq> <text>"}, read through HAProxy from whichever node it picks. */
  private List<String> archivedLog(JsonNode ticket) throws Exception {
    HttpResponse<String> answer = send(HttpRequest.newBuilder(
            URI.create(lb + "/api/jobs/" + ticket.get("jobId").asText() + "/log?format=ndjson"))
        .header("Authorization", "Bearer " + ticket.get("token").asText()));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    List<String> lines = new ArrayList<>();
    for (String line : answer.body().split("\n")) {
      if (line.isBlank()) continue;
      JsonNode l = JSON.readTree(line);
      lines.add(l.get("seq").asLong() + " " + l.get("text").asText());
    }
    return lines;
  }

  private static Map<String, String> auth(JsonNode ticket) {
    return Map.of("token", ticket.get("token").asText(), "format", "json", "detail", "true", "since", "0");
  }

  private static List<String> seqAndText(List<JsonNode> lines) {
    return lines.stream().map(l -> l.get("seq").asLong() + " " + l.get("text").asText()).toList();
  }

  private static boolean received(SocketClients.Watcher watcher, String text) {
    return watcher.logLines.stream().anyMatch(l -> l.get("text").asText().equals(text));
  }

  /** Waits until {@code watcher} received the line {@code text}; a timeout says what it did get. */
  private void awaitLine(SocketClients.Watcher watcher, JsonNode ticket, String text) {
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(received(watcher, text))
        .as(() -> "watcher waiting for '" + text + "': " + describe(watcher) + "; the job through HAProxy: " + statusOrError(ticket))
        .isTrue());
  }

  private static String describe(SocketClients.Watcher watcher) {
    return "connects " + watcher.connects.get() + ", connect error " + watcher.connectError.getNow(null)
        + ", transports " + watcher.transports.opened.stream().map(t -> t.name() + " " + t.sessionId() + " (" + t.messages.get() + " messages)").toList()
        + ", lines " + seqAndText(watcher.logLines) + ", states " + watcher.statuses.stream().map(s -> s.path("state").asText()).toList();
  }

  private String statusOrError(JsonNode ticket) {
    try {
      return status(ticket).toString();
    } catch (Exception | AssertionError e) {
      return e.toString();
    }
  }

  private static String tag(String sessionId) {
    assertThat(sessionId).matches("n[123]\\.[A-Za-z0-9_-]{24}");
    return sessionId.substring(0, sessionId.indexOf('.'));
  }

  /** Every line once, in order, from 1, and exactly the job's whole log. */
  private void assertGapFreeAndWhole(SocketClients.Watcher watcher, JsonNode ticket) throws Exception {
    long n = watcher.logLines.size();
    assertThat(watcher.seqs()).containsExactly(LongStream.rangeClosed(1, n).boxed().toArray(Long[]::new));
    List<String> archived = archivedLog(ticket);
    assertThat(seqAndText(watcher.logLines)).isEqualTo(archived);
    assertThat(archived.getFirst()).isEqualTo("1 Job queued for generator stepped.");
    assertThat(archived).anyMatch(l -> l.endsWith(" line 1")).anyMatch(l -> l.endsWith(" line 9"));
    assertThat(archived.getLast()).endsWith("Job finished with exit code 0.");
  }

  @Test
  @Order(1)
  void javaClient_defaultTransportsThroughHaproxy_followsAJobToItsEndGapFree() throws Exception {
    Socket root = IO.socket(URI.create(lb + "/"), IO.Options.builder().setForceNew(true).build());
    EngineTransports rootTransports = EngineTransports.observe(root);
    CompletableFuture<Void> rootConnected = new CompletableFuture<>();
    root.once(Socket.EVENT_CONNECT, a -> rootConnected.complete(null));
    root.connect();
    try {
      rootConnected.get(60, TimeUnit.SECONDS);
      JsonNode ticket = SocketClients.generate(root, Map.of("generator", "stepped"));
      assertThat(ticket.has("jobId")).as(ticket.toString()).isTrue();
      try (SocketClients.Watcher watcher = SocketClients.watch(lb, ticket.get("jobId").asText(), auth(ticket))) {
        awaitLine(watcher, ticket, "line 3");
        // polling first, then the upgrade: the WebSocket carries the same tagged id, and the server
        // answered its probe, which only the node holding the session can
        await().atMost(Duration.ofSeconds(60)).until(() -> watcher.transports.opened.stream()
            .anyMatch(t -> t.name().equals("websocket") && t.probeAnswered.get()));
        EngineTransports.Seen first = watcher.transports.opened.getFirst();
        assertThat(first.name()).isEqualTo("polling");
        String sid = first.sessionId();
        tag(sid);
        assertThat(watcher.transports.opened).filteredOn(t -> t.name().equals("websocket"))
            .allSatisfy(t -> assertThat(t.sessionId()).isEqualTo(sid));

        release(ticket, 1);
        release(ticket, 2);
        awaitLine(watcher, ticket, "Job finished with exit code 0.");
        await().atMost(Duration.ofSeconds(60)).until(() -> "succeeded".equals(watcher.lastState()));

        String node = status(ticket).get("node").asText();
        assertThat(node).isIn(NODE_IDS);
        assertGapFreeAndWhole(watcher, ticket);
        assertThat(seqAndText(watcher.logLines)).anyMatch(l -> l.endsWith(" ran on " + node));
        assertThat(watcher.connects.get()).isEqualTo(1);
      }

      // the root socket after its upgrade: a round trip whose answer comes over the WebSocket
      await().atMost(Duration.ofSeconds(60)).until(() -> rootTransports.opened.stream()
          .anyMatch(t -> t.name().equals("websocket") && t.probeAnswered.get()));
      EngineTransports.Seen rootSocket = rootTransports.opened.stream().filter(t -> t.name().equals("websocket")).findFirst().orElseThrow();
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        JsonNode refused = SocketClients.generate(root, Map.of("generator", "no-such-generator"));
        assertThat(refused.at("/error/code").asText()).isEqualTo("unknown_generator");
        return rootSocket.messages.get() > 0;
      });
      assertThat(rootSocket.sessionId()).isEqualTo(rootTransports.opened.getFirst().sessionId());
    } finally {
      root.close();
    }
  }

  @Test
  @Order(2)
  void jsClient_defaultTransportsThroughHaproxy_followsAJobAndKeepsItsTaggedSessionAcrossTheUpgrade() throws Exception {
    JsonNode r = JSON.readTree(NodeScript.run("follow-job.mjs", 120, lb, "quick"));

    tag(r.get("rootSid").asText());
    tag(r.get("watcherSid").asText());
    assertThat(r.get("watcherSidKept").asBoolean()).isTrue();
    assertThat(r.get("firstTransports")).extracting(JsonNode::asText).containsExactly("polling", "polling");
    assertThat(r.get("transports")).extracting(JsonNode::asText).containsExactly("websocket", "websocket");
    assertThat(r.at("/finalStatus/state").asText()).isEqualTo("succeeded");
    String node = r.at("/finalStatus/node").asText();
    assertThat(node).isIn(NODE_IDS);
    assertThat(r.get("messages")).extracting(JsonNode::asText).contains("quick on " + node);
    assertThat(r.at("/afterUpgrade/error/code").asText()).isEqualTo("unknown_generator");
  }

  private HttpResponse<String> poll(String base, String sid) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + "/socket.io/?EIO=4&transport=polling&sid=" + sid)));
  }

  private HttpResponse<String> post(String base, String sid, String packet) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + "/socket.io/?EIO=4&transport=polling&sid=" + sid))
        .header("Content-Type", "text/plain;charset=UTF-8").POST(HttpRequest.BodyPublishers.ofString(packet)));
  }

  @Test
  @Order(3)
  void requestsWithSid_reachTheTaggedNode_handshakesAreSpreadOverEveryNode() throws Exception {
    // handshakes carry no sid: leastconn spreads them, so every node's tag turns up
    Map<String, String> sidByNode = new ConcurrentHashMap<>();
    List<String> opened = new ArrayList<>();
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      HttpResponse<String> open = send(HttpRequest.newBuilder(URI.create(lb + "/socket.io/?EIO=4&transport=polling")));
      assertThat(open.body()).startsWith("0{");
      String sid = JSON.readTree(open.body().substring(1)).get("sid").asText();
      opened.add(sid);
      sidByNode.putIfAbsent(tag(sid), sid);
      return sidByNode.keySet().equals(Set.copyOf(NODE_IDS));
    });

    for (Map.Entry<String, String> session : sidByNode.entrySet()) {
      String node = session.getKey();
      String sid = session.getValue();
      String direct = cluster.node(node).url();
      // a session lives in its node's memory alone: any other node refuses the id
      for (String other : NODE_IDS) {
        if (other.equals(node)) continue;
        HttpResponse<String> elsewhere = post(cluster.node(other).url(), sid, "40");
        assertThat(elsewhere.statusCode()).as(other + " asked about " + sid + ": " + elsewhere.body()).isEqualTo(400);
        assertThat(elsewhere.body()).contains("Session ID unknown");
      }
      assertThat(post(lb, sid, "40").statusCode()).isEqualTo(200);
      assertThat(poll(lb, sid).body()).startsWith("40{\"sid\":");
      // rounds of request and answer through HAProxy, one sent straight to the node: one session
      for (int round = 1; round <= 4; round++) {
        String base = round == 3 ? direct : lb;
        HttpResponse<String> sent = post(base, sid, "42" + round + "[\"generate\",{\"generator\":\"no-such-generator\"}]");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        HttpResponse<String> answer = poll(lb, sid);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).startsWith("43" + round + "[").contains("unknown_generator");
      }
      assertThat(metric(direct, "buildcast_socketio_clients")).isGreaterThanOrEqualTo(1);
    }
    for (String sid : opened) post(lb, sid, "1");
  }

  private double metric(String base, String name) throws Exception {
    String body = send(HttpRequest.newBuilder(URI.create(base + "/metrics"))).body();
    return body.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1).trim()))
        .findFirst().orElseThrow(() -> new AssertionError(name + " not in /metrics of " + base));
  }

  @Test
  @Order(4)
  void watchersNodeKilled_clientReconnectsThroughHaproxyToAnotherNode_andResumesGapFree() throws Exception {
    JsonNode ticket = submit();
    String id = ticket.get("jobId").asText();
    await().atMost(Duration.ofSeconds(60)).until(() -> status(ticket).get("state").asText().equals("running"));
    String runner = status(ticket).get("node").asText();
    assertThat(runner).isIn(NODE_IDS);

    // the watcher must sit on a node that does not run the job, which HAProxy chooses: ask again until it does
    SocketClients.Watcher watcher = null;
    Set<String> tried = new HashSet<>();
    for (int attempt = 0; attempt < 12 && watcher == null; attempt++) {
      SocketClients.Watcher candidate = SocketClients.watchAndResume(lb, id, auth(ticket));
      candidate.connected.get(60, TimeUnit.SECONDS);
      String node = tag(candidate.transports.sessionId());
      tried.add(node);
      if (node.equals(runner)) candidate.close();
      else watcher = candidate;
    }
    assertThat(watcher).as("no watcher landed off the runner %s; nodes tried %s", runner, tried).isNotNull();
    try (SocketClients.Watcher resuming = watcher) {
      String watched = tag(resuming.transports.sessionId());
      awaitLine(resuming, ticket, "line 3");

      cluster.node(watched).kill();
      release(ticket, 1); // lines 4–6 are written while the watcher is cut off or reconnecting

      await().atMost(Duration.ofSeconds(90)).until(() -> resuming.connects.get() >= 2);
      String now = tag(resuming.transports.sessionId());
      assertThat(now).isNotEqualTo(watched).isIn(NODE_IDS);
      awaitLine(resuming, ticket, "line 6");
      release(ticket, 2);
      await().atMost(Duration.ofSeconds(60)).until(() -> "succeeded".equals(resuming.lastState()));

      assertThat(status(ticket).get("node").asText()).isEqualTo(runner);
      assertThat(cluster.node(runner).isAlive()).isTrue();
      assertGapFreeAndWhole(resuming, ticket);
      assertThat(seqAndText(resuming.logLines)).anyMatch(l -> l.endsWith(" ran on " + runner));
    }
  }
}
