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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Job control held in the store, through the whole server (issue 15): a queued job survives a
 * restart, and a cancel works from another entry point than the one that started the job.
 */
class JobControlIT {

  static final String CONFIG =
      """
      maxConcurrentJobs: 1
      generators:
        - name: forever
          command: [bash, -c, "echo '::notice::running'; sleep 300"]
        - name: quick
          command: [bash, -c, "echo '::notice::done quickly'"]
      """;

  @TempDir Path data;
  private RunningServer server;
  private Socket root;
  private final List<Watcher> watchers = new ArrayList<>();

  @AfterEach
  void stop() {
    watchers.forEach(Watcher::close);
    if (root != null) root.close();
    if (server != null) server.close();
  }

  private JsonNode generate(String generator) throws Exception {
    return SocketClients.generate(root, Map.of("generator", generator));
  }

  private JsonNode status(JsonNode ticket) throws Exception {
    return RunningServer.json(server.get("/api/jobs/" + ticket.get("jobId").asText(), ticket.get("token").asText()).body());
  }

  private HttpResponse<String> cancelOverHttp(JsonNode ticket) throws Exception {
    return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs/" + ticket.get("jobId").asText() + "/cancel"))
        .header("Authorization", "Bearer " + ticket.get("token").asText())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
  }

  @Test
  void restart_withAJobQueued_runsItAfterTheRestart() throws Exception {
    server = RunningServer.start(data, CONFIG);
    root = SocketClients.root(server.url());
    JsonNode running = generate("forever");
    await().atMost(Duration.ofSeconds(60)).until(() -> "running".equals(status(running).get("state").asText()));
    JsonNode queued = generate("quick");
    assertThat(status(queued).get("state").asText()).isEqualTo("queued");
    root.close();
    root = null;
    server.close();

    server = RunningServer.start(data, CONFIG);
    await().atMost(Duration.ofSeconds(60)).until(() -> "succeeded".equals(status(queued).get("state").asText()));
    assertThat(status(running).get("reason").asText()).isEqualTo("server stopped");
    String log = server.get("/api/jobs/" + queued.get("jobId").asText() + "/log", queued.get("token").asText()).body();
    assertThat(log).contains("The server restarted; the job is queued again.\n").contains("done quickly\n");
    assertThat(data.resolve("node-id")).isRegularFile();
  }

  @Test
  void cancel_overHttpOfJobsStartedOverTheSocket_endsTheQueuedAtOnceAndTheRunningOnceItsProcessIsGone() throws Exception {
    server = RunningServer.start(data, CONFIG);
    root = SocketClients.root(server.url());
    JsonNode running = generate("forever");
    JsonNode queued = generate("forever");
    Watcher w = SocketClients.watch(server.url(), running.get("jobId").asText(), Map.of("token", running.get("token").asText()));
    watchers.add(w);
    await().atMost(Duration.ofSeconds(60)).until(() -> w.messages.contains("running"));

    HttpResponse<String> queuedAnswer = cancelOverHttp(queued);
    assertThat(queuedAnswer.statusCode()).as(queuedAnswer.body()).isEqualTo(200);
    assertThat(RunningServer.json(queuedAnswer.body()).get("state").asText()).isEqualTo("cancelled");

    HttpResponse<String> runningAnswer = cancelOverHttp(running);
    assertThat(runningAnswer.statusCode()).as(runningAnswer.body()).isEqualTo(200);
    assertThat(RunningServer.json(runningAnswer.body()).get("state").asText()).isIn("running", "cancelled");
    await().atMost(Duration.ofSeconds(60)).until(() -> "cancelled".equals(w.lastState()));
    assertThat(w.statuses).extracting(s -> s.get("state").asText()).isSubsetOf("queued", "running", "cancelled");
    assertThat(status(queued).get("startedAt").isNull()).isTrue();
  }
}
