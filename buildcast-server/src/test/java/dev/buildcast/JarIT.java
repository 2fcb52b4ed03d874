package dev.buildcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.RunningServer;
import dev.buildcast.testing.ServerProcess;
import dev.buildcast.testing.SocketClients;
import dev.buildcast.testing.SocketClients.Watcher;
import io.socket.client.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, started as users start it: options, environment, the ready line, and a SIGKILL. */
class JarIT {

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void help_printsEveryOptionAndExitsZero() throws Exception {
    ServerProcess.Result r = ServerProcess.run(Map.of(), "--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).contains("--host", "--port", "--data-dir", "--config", "BUILDCAST_DATA_DIR");
  }

  @Test
  void badOption_exitsTwoWithTheReason() throws Exception {
    ServerProcess.Result r = ServerProcess.run(Map.of(), "--prot", "80");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("Unknown option --prot");
  }

  @Test
  void start_portZero_printsTheReadyLineAndServesEverythingOnOnePort() throws Exception {
    try (ServerProcess server = ServerProcess.start(Map.of(), "--port", "0", "--data-dir", dir.resolve("data").toString())) {
      assertThat(server.url()).matches("http://127\\.0\\.0\\.1:\\d+");
      assertThat(server.stdout()).contains("Buildcast listening on " + server.url());
      assertThat(get(server.url() + "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(server.url() + "/api/generators").body()).contains("open-event-site");
      assertThat(get(server.url() + "/socket.io/?EIO=4&transport=polling").body()).startsWith("0{\"sid\":");
      assertThat(dir.resolve("data")).isDirectory();
    }
  }

  @Test
  void start_environmentVariables_configureTheServer() throws Exception {
    Path config = Files.writeString(dir.resolve("c.yaml"), "generators: [{name: envgen, command: [true]}]\n");
    Map<String, String> env = Map.of("BUILDCAST_PORT", "0", "BUILDCAST_DATA_DIR", dir.resolve("envdata").toString(), "BUILDCAST_CONFIG", config.toString());
    try (ServerProcess server = ServerProcess.start(env)) {
      assertThat(get(server.url() + "/api/generators").body()).contains("envgen");
      assertThat(dir.resolve("envdata")).isDirectory();
    }
  }

  @Test
  void sigkillMidJob_restartKeepsEveryLineSentAndFailsTheJob() throws Exception {
    Path config = Files.writeString(dir.resolve("c.yaml"), """
        generators:
          - name: loud
            command: [bash, -c, "i=0; while true; do i=$((i+1)); echo \\"::notice::line $i\\"; done"]
          - name: quick
            command: [bash, -c, "echo '::notice::done quickly'"]
        """);
    String[] args = {"--port", "0", "--data-dir", dir.resolve("data").toString(), "--config", config.toString()};
    String loudId;
    String loudToken;
    String quickId;
    String quickToken;
    List<JsonNode> received;
    try (ServerProcess server = ServerProcess.start(Map.of(), args)) {
      Socket root = SocketClients.root(server.url());
      JsonNode quick = SocketClients.generate(root, Map.of("generator", "quick"));
      quickId = quick.get("jobId").asText();
      quickToken = quick.get("token").asText();
      JsonNode loud = SocketClients.generate(root, Map.of("generator", "loud"));
      loudId = loud.get("jobId").asText();
      loudToken = loud.get("token").asText();
      Watcher watcher = SocketClients.watch(server.url(), loudId, Map.of("token", loudToken, "format", "json", "detail", "true"));
      await().atMost(Duration.ofSeconds(180)).until(() -> watcher.logLines.size() > 2_000); // why 3 min: only a failure waits that long
      server.kill();
      received = List.copyOf(watcher.logLines);
      watcher.close();
      root.close();
    }
    String quickLogBefore;
    try (ServerProcess server = ServerProcess.start(Map.of(), args)) {
      HttpResponse<String> log = get(server.url() + "/api/jobs/" + loudId + "/log?token=" + loudToken);
      List<String> lines = log.body().lines().toList();
      for (JsonNode line : received) {
        assertThat(lines.get((int) line.get("seq").asLong() - 1)).isEqualTo(line.get("text").asText());
      }
      assertThat(lines.getLast()).contains("server restarted");
      JsonNode status = RunningServer.json(get(server.url() + "/api/jobs/" + loudId + "?token=" + loudToken).body());
      assertThat(status.get("state").asText()).isEqualTo("failed");
      assertThat(status.get("reason").asText()).isEqualTo("server restarted");
      JsonNode quickStatus = RunningServer.json(get(server.url() + "/api/jobs/" + quickId + "?token=" + quickToken).body());
      assertThat(quickStatus.get("state").asText()).isEqualTo("succeeded");
      quickLogBefore = get(server.url() + "/api/jobs/" + quickId + "/log?token=" + quickToken).body();
      assertThat(quickLogBefore).contains("done quickly\n");

      Watcher resumed = SocketClients.watch(server.url(), loudId, Map.of("token", loudToken, "format", "json", "detail", "true",
          "since", String.valueOf(received.getLast().get("seq").asLong())));
      await().atMost(Duration.ofSeconds(60)).until(() -> "failed".equals(resumed.lastState()));
      assertThat(resumed.seqs().getFirst()).isEqualTo(received.getLast().get("seq").asLong() + 1);
      assertThat(resumed.seqs().getLast()).isEqualTo((long) lines.size());
      resumed.close();
    }
  }

  @Test
  void sigkillMidJob_restartFailsTheJobAndKillsTheProcessTreeItsGeneratorLeft() throws Exception {
    Path config = Files.writeString(dir.resolve("tree.yaml"), """
        generators:
          - name: tree
            command: [bash, -c, "sleep 300 & echo \\"::notice::child $!\\"; wait"]
        """);
    String[] args = {"--port", "0", "--data-dir", dir.resolve("data").toString(), "--config", config.toString()};
    String jobId;
    String token;
    long child;
    try (ServerProcess server = ServerProcess.start(Map.of(), args)) {
      Socket root = SocketClients.root(server.url());
      JsonNode ticket = SocketClients.generate(root, Map.of("generator", "tree"));
      jobId = ticket.get("jobId").asText();
      token = ticket.get("token").asText();
      String logUrl = server.url() + "/api/jobs/" + jobId + "/log?token=" + token;
      await().atMost(Duration.ofSeconds(60)).until(() -> get(logUrl).body().contains("child "));
      String line = get(logUrl).body().lines().filter(l -> l.startsWith("child ")).findFirst().orElseThrow();
      child = Long.parseLong(line.substring("child ".length()));
      root.close();
      server.killServerOnly();
    }
    assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive)).contains(true); // the kill left it running
    try (ServerProcess server = ServerProcess.start(Map.of(), args)) {
      JsonNode status = RunningServer.json(get(server.url() + "/api/jobs/" + jobId + "?token=" + token).body());
      assertThat(status.get("state").asText()).isEqualTo("failed");
      assertThat(status.get("reason").asText()).isEqualTo("server restarted");
      await().atMost(Duration.ofSeconds(60)).until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    } finally {
      ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
    }
  }
}
