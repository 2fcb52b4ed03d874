package dev.buildcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.RunningServer;
import dev.buildcast.testing.SocketClients;
import dev.buildcast.testing.SocketClients.Watcher;
import io.socket.client.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server end to end, with the official Java Socket.IO client and plain HTTP. */
class BuildcastServerIT {

  static final String CONFIG =
      """
      maxConcurrentJobs: 60
      limits: {connectionsPerIp: 200, jobsPerIpPerMinute: 200}   # fifty jobs and watchers from one test client
      generators:
        - name: docs
          description: Prints a few lines
          command: [bash, -c, "echo detail one; echo '::group::Build'; echo '::notice::building docs'; echo detail two; echo '::warning::careful'; echo '::endgroup::'; echo '::progress::100'; echo out > $BUILDCAST_OUTPUT/result.txt"]
        - name: count
          description: Prints N numbered lines
          command: [bash, -c, "for i in $(seq 1 $BUILDCAST_PARAM_N); do echo \\"::notice::$BUILDCAST_JOB_ID line $i\\"; done"]
        - name: wait
          description: Waits for a file, then ends
          command: [bash, -c, "echo '::notice::waiting'; while [ ! -e ../go ]; do sleep 0.05; done; echo '::notice::released'"]
        - name: forever
          command: [bash, -c, "echo '::notice::running'; sleep 300"]
      """;

  @TempDir Path data;
  private RunningServer server;
  private Socket root;
  private final List<Watcher> watchers = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = RunningServer.start(data, CONFIG);
    root = SocketClients.root(server.url());
  }

  @AfterEach
  void stop() {
    watchers.forEach(Watcher::close);
    if (root != null) root.close();
    if (server != null) server.close();
  }

  private Watcher watch(String jobId, Map<String, ?> auth) {
    Watcher w = SocketClients.watch(server.url(), jobId, auth);
    watchers.add(w);
    return w;
  }

  private JsonNode generate(String generator, Map<String, String> params) throws Exception {
    return SocketClients.generate(root, Map.of("generator", generator, "params", params));
  }

  @Test
  void generate_thenWatch_getsStatusAndBasicLinesInOrderThenFinalStatus() throws Exception {
    JsonNode ticket = generate("docs", Map.of());
    Watcher w = watch(ticket.get("jobId").asText(), Map.of("token", ticket.get("token").asText()));
    await().atMost(Duration.ofSeconds(60)).until(() -> "succeeded".equals(w.lastState()));
    assertThat(w.statuses.getFirst().get("jobId").asText()).isEqualTo(ticket.get("jobId").asText());
    assertThat(w.messages).containsExactly(
        "Job queued for generator docs.", "Job started: generator docs.", "Build", "building docs", "careful", "Job finished with exit code 0.");
    JsonNode last = w.statuses.getLast();
    assertThat(last.get("percentage").asInt()).isEqualTo(100);
    assertThat(last.get("exitCode").asInt()).isZero();
    assertThat(last.get("artifacts").get(0).get("name").asText()).isEqualTo("result.txt");
  }

  @Test
  void watch_jsonFormatWithDetailAndSince_resumesExactlyAfterTheGivenLine() throws Exception {
    JsonNode ticket = generate("docs", Map.of());
    String id = ticket.get("jobId").asText();
    Watcher all = watch(id, Map.of("token", ticket.get("token").asText(), "format", "json", "detail", "true"));
    await().atMost(Duration.ofSeconds(60)).until(() -> "succeeded".equals(all.lastState()));
    assertThat(all.seqs()).containsExactlyElementsOf(LongRange.closed(1, all.logLines.size()));
    assertThat(all.logLines.stream().map(l -> l.get("level").asText()).toList())
        .containsExactly("system", "system", "detail", "group", "notice", "detail", "warning", "endgroup", "system");

    Watcher resumed = watch(id, Map.of("token", ticket.get("token").asText(), "format", "json", "detail", "true", "since", "4"));
    await().atMost(Duration.ofSeconds(60)).until(() -> resumed.logLines.size() == all.logLines.size() - 4);
    assertThat(resumed.seqs()).containsExactlyElementsOf(LongRange.closed(5, all.logLines.size()));
  }

  @Test
  void watch_wrongOrMissingTokenOrUnknownJob_isRefusedWithAReason() throws Exception {
    JsonNode ticket = generate("docs", Map.of());
    Watcher wrong = watch(ticket.get("jobId").asText(), Map.of("token", "nope"));
    Watcher missing = watch(ticket.get("jobId").asText(), Map.of());
    Watcher unknown = watch("AAAAAAAAAAAAAAAAAAAAAA", Map.of("token", ticket.get("token").asText()));
    assertThat(wrong.connectError.get(60, TimeUnit.SECONDS).toString()).contains("does not grant access");
    assertThat(missing.connectError.get(60, TimeUnit.SECONDS).toString()).contains("needs its token");
    assertThat(unknown.connectError.get(60, TimeUnit.SECONDS).toString()).contains("No job");
    assertThat(wrong.messages).isEmpty();
  }

  @Test
  void generate_malformedRequests_answerWithErrorsAndServerCarriesOn() throws Exception {
    assertThat(SocketClients.generate(root, Map.of("generator", "nope")).get("error").get("code").asText()).isEqualTo("unknown_generator");
    assertThat(SocketClients.generate(root, Map.of("generator", 42)).get("error").get("code").asText()).isEqualTo("bad_request");
    assertThat(SocketClients.generate(root, Map.of("generator", "count", "params", Map.of("N", List.of(1))))
        .get("error").get("code").asText()).isEqualTo("invalid_param");
    assertThat(SocketClients.generate(root, Map.of("generator", "count", "params", Map.of("bad name", "1")))
        .get("error").get("message").asText()).contains("bad name");
    assertThat(generate("docs", Map.of()).has("jobId")).isTrue();
  }

  @Test
  void retrieveDetailedLogs_streamsTheWholeLogThenTheEnd() throws Exception {
    JsonNode ticket = generate("docs", Map.of());
    Watcher w = watch(ticket.get("jobId").asText(), Map.of("token", ticket.get("token").asText()));
    await().atMost(Duration.ofSeconds(60)).until(() -> "succeeded".equals(w.lastState()));
    w.socket.emit("retrieve-detailed-logs", new org.json.JSONObject());
    JsonNode end = w.fileContentEnd.get(60, TimeUnit.SECONDS);
    String text = String.join("", w.fileContent);
    assertThat(text).contains("detail one\n").contains("detail two\n").contains("building docs\n");
    assertThat(end.get("lines").asLong()).isEqualTo(9);
    assertThat(end.get("bytes").asLong()).isEqualTo(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
  }

  @Test
  void cancel_runningJob_acknowledgesAndEndsCancelled() throws Exception {
    JsonNode ticket = generate("forever", Map.of());
    Watcher w = watch(ticket.get("jobId").asText(), Map.of("token", ticket.get("token").asText()));
    await().atMost(Duration.ofSeconds(60)).until(() -> w.messages.contains("running"));
    var ack = new java.util.concurrent.CompletableFuture<JsonNode>();
    w.socket.emit("cancel", new org.json.JSONObject(), (io.socket.client.Ack) a -> ack.complete(SocketClients.tree(a[0])));
    assertThat(ack.get(60, TimeUnit.SECONDS).get("ok").asBoolean()).isTrue();
    await().atMost(Duration.ofSeconds(60)).until(() -> "cancelled".equals(w.lastState()));
  }

  @Test
  void fiftyJobsAtOnce_eachWatcherSeesExactlyItsOwnLinesInOrder() throws Exception {
    int jobs = 50;
    int lines = 200;
    List<JsonNode> tickets = new ArrayList<>();
    List<Watcher> ws = new ArrayList<>();
    for (int i = 0; i < jobs; i++) tickets.add(generate("count", Map.of("N", String.valueOf(lines))));
    for (JsonNode t : tickets) ws.add(watch(t.get("jobId").asText(), Map.of("token", t.get("token").asText())));
    await().atMost(Duration.ofSeconds(60)).until(() -> ws.stream().allMatch(w -> w.lastState() != null && w.lastState().equals("succeeded")));
    for (int j = 0; j < jobs; j++) {
      String id = tickets.get(j).get("jobId").asText();
      List<String> own = ws.get(j).messages.stream().filter(m -> m.contains(" line ")).toList();
      assertThat(own).containsExactlyElementsOf(IntStream.rangeClosed(1, lines).mapToObj(i -> id + " line " + i).toList());
    }
  }

  @Test
  void http_statusLogAndArtifact_needTheTokenAndStreamTheFiles() throws Exception {
    JsonNode ticket = generate("docs", Map.of());
    String id = ticket.get("jobId").asText();
    String token = ticket.get("token").asText();
    await().atMost(Duration.ofSeconds(60)).until(() -> server.get("/api/jobs/" + id, token).body().contains("\"succeeded\""));

    JsonNode status = RunningServer.json(server.get("/api/jobs/" + id, token).body());
    assertThat(status.get("artifacts").get(0).get("url").asText()).isEqualTo("/api/jobs/" + id + "/artifacts/result.txt");

    HttpResponse<String> log = server.get("/api/jobs/" + id + "/log?token=" + token, null);
    assertThat(log.statusCode()).isEqualTo(200);
    assertThat(log.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    assertThat(log.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"buildcast-" + id + ".log\"");
    assertThat(log.body()).startsWith("Job queued for generator docs.\n").contains("detail two\n");

    HttpResponse<String> range = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs/" + id + "/log"))
        .header("Authorization", "Bearer " + token).header("Range", "bytes=0-2").build());
    assertThat(range.statusCode()).isEqualTo(206);
    assertThat(range.body()).isEqualTo("Job");

    assertThat(server.get("/api/jobs/" + id + "/artifacts/result.txt", token).body()).isEqualTo("out\n");
    assertThat(server.get("/api/jobs/" + id, "wrong").statusCode()).isEqualTo(403);
    assertThat(server.get("/api/jobs/" + id, null).statusCode()).isEqualTo(403);
    assertThat(RunningServer.json(server.get("/api/jobs/" + id, "wrong").body()).at("/error/code").asText()).isEqualTo("forbidden");
    assertThat(server.get("/api/jobs/AAAAAAAAAAAAAAAAAAAAAA", token).statusCode()).isEqualTo(404);
  }

  @Test
  void http_artifactPathsLeavingTheOutputFolder_areNeverServed() throws Exception {
    JsonNode ticket = generate("docs", Map.of());
    String id = ticket.get("jobId").asText();
    String token = ticket.get("token").asText();
    await().atMost(Duration.ofSeconds(60)).until(() -> server.get("/api/jobs/" + id, token).body().contains("\"succeeded\""));
    for (String evil : List.of("../job.json", "..%2Fjob.json", "%2e%2e/job.json", "%2e%2e%2fjob.json", "/etc/passwd", "a%00b", "..%5Cjob.json", "%2Fetc%2Fpasswd")) {
      int code = server.get("/api/jobs/" + id + "/artifacts/" + evil, token).statusCode();
      assertThat(code).as(evil).isIn(400, 404);
    }
  }

  @Test
  void healthz_whenReady_isOk() throws Exception {
    assertThat(server.get("/healthz", null).statusCode()).isEqualTo(200);
  }

  @Test
  void restart_keepsFinishedJobsAndFailsStoppedOnes() throws Exception {
    JsonNode done = generate("docs", Map.of());
    JsonNode running = generate("forever", Map.of());
    await().atMost(Duration.ofSeconds(60)).until(() -> server.get("/api/jobs/" + done.get("jobId").asText(), done.get("token").asText()).body().contains("\"succeeded\""));
    await().atMost(Duration.ofSeconds(60)).until(() -> server.get("/api/jobs/" + running.get("jobId").asText(), running.get("token").asText()).body().contains("\"running\""));
    String logBefore = server.get("/api/jobs/" + done.get("jobId").asText() + "/log", done.get("token").asText()).body();
    root.close();
    root = null;
    server.server().close();
    server = RunningServer.start(data, CONFIG);

    assertThat(server.get("/api/jobs/" + done.get("jobId").asText() + "/log", done.get("token").asText()).body()).isEqualTo(logBefore);
    JsonNode interrupted = RunningServer.json(server.get("/api/jobs/" + running.get("jobId").asText(), running.get("token").asText()).body());
    assertThat(interrupted.get("state").asText()).isEqualTo("failed");
    Watcher w = watch(running.get("jobId").asText(), Map.of("token", running.get("token").asText()));
    await().atMost(Duration.ofSeconds(60)).until(() -> w.messages.stream().anyMatch(m -> m.contains("The server stopped while this job was running")));
  }

  /** Inclusive ranges of longs, for expected seq lists. */
  static final class LongRange {
    static List<Long> closed(long from, long to) {
      return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
    }
  }
}
