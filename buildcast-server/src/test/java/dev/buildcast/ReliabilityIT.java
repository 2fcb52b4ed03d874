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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real server with a small log limit and a small job limit: head + tail, /metrics, /healthz, 429. */
class ReliabilityIT {

  static final long LIMIT = 1_000_000;
  static final long TAIL = LIMIT / 5;

  static final String CONFIG =
      """
      logs: {maxBytesPerJob: 1MB}
      limits: {jobsPerIpPerMinute: 3}
      generators:
        - name: chatty
          command: [bash, -c, "for i in $(seq 1 40000); do printf 'line %06d padding-padding-padding\\\\n' $i; done; echo '::notice::all printed'"]
          timeout: 2m
        - name: quick
          command: [bash, -c, "echo hi"]
        - name: chattyThenWaits
          command: [bash, -c, "for i in $(seq 1 40000); do printf 'line %06d padding-padding-padding\\n' $i; done; sleep 300"]
      """;

  @TempDir Path data;

  @Test
  void jobPastTheLogLimit_keepsRunningAndItsLogKeepsHeadLeftOutLineAndTail() throws Exception {
    try (RunningServer server = RunningServer.start(data, CONFIG)) {
      Socket root = SocketClients.root(server.url());
      JsonNode ticket = SocketClients.generate(root, Map.of("generator", "chatty"));
      String id = ticket.get("jobId").asText();
      String token = ticket.get("token").asText();
      try (Watcher live = SocketClients.watch(server.url(), id, Map.of("token", token, "format", "json", "detail", "true"))) {
        await().atMost(Duration.ofMinutes(1)).until(() -> "succeeded".equals(live.lastState()));

        String log = server.get("/api/jobs/" + id + "/log", token).body();
        long bytes = log.getBytes(StandardCharsets.UTF_8).length;
        assertThat(bytes).isLessThanOrEqualTo(LIMIT + 1024).isGreaterThan(LIMIT - TAIL);
        List<String> lines = List.of(log.split("\n"));
        assertThat(lines.subList(0, 4)).anyMatch(l -> l.equals("line 000001 padding-padding-padding"));
        assertThat(log).contains("Log limit reached");
        assertThat(lines).anyMatch(l -> l.matches("\u2026 [0-9,]+ lines \\([0-9.]+ KB\\) left out \u2026"));
        assertThat(lines.subList(lines.size() - 3, lines.size()))
            .containsExactly("line 040000 padding-padding-padding", "all printed", "Job finished with exit code 0.");

        // the live watcher got exactly the stored lines, seqs contiguous
        assertThat(live.seqs()).containsExactlyElementsOf(LongStream.rangeClosed(1, lines.size()).boxed().toList());
        assertThat(live.logLines.stream().map(l -> l.get("text").asText()).toList()).containsExactlyElementsOf(lines);

        // a resume from the middle of the head gets the rest, and retrieve-detailed-logs the same text
        try (Watcher resumed = SocketClients.watch(server.url(), id,
            Map.of("token", token, "format", "json", "detail", "true", "since", "100"))) {
          await().atMost(Duration.ofSeconds(60)).until(() -> "succeeded".equals(resumed.lastState()));
          assertThat(resumed.seqs()).containsExactlyElementsOf(LongStream.rangeClosed(101, lines.size()).boxed().toList());
          resumed.socket.emit("retrieve-detailed-logs", new org.json.JSONObject());
          JsonNode end = resumed.fileContentEnd.get(60, TimeUnit.SECONDS);
          assertThat(String.join("", resumed.fileContent)).isEqualTo(log);
          assertThat(end.get("lines").asLong()).isEqualTo(lines.size());
        }
      }
      root.close();
    }
  }

  @Test
  void metricsAndHealth_answerWithTheSeriesAndDiskUse() throws Exception {
    try (RunningServer server = RunningServer.start(data, CONFIG)) {
      Socket root = SocketClients.root(server.url());
      JsonNode ticket = SocketClients.generate(root, Map.of("generator", "quick"));
      String id = ticket.get("jobId").asText();
      String token = ticket.get("token").asText();
      await().atMost(Duration.ofSeconds(60)).until(() -> server.get("/api/jobs/" + id, token).body().contains("\"succeeded\""));

      HttpResponse<String> metrics = server.get("/metrics", null);
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
      assertThat(metrics.body())
          .contains("buildcast_log_lines_total")
          .contains("buildcast_log_bytes_total")
          .contains("buildcast_upload_bytes_total")
          .contains("buildcast_slow_client_drops_total")
          .contains("buildcast_socketio_clients 1.0")
          .contains("buildcast_jobs{state=\"running\"}")
          .contains("buildcast_data_bytes")
          .contains("buildcast_disk_free_bytes");

      HttpResponse<String> health = server.get("/healthz", null);
      assertThat(health.statusCode()).isEqualTo(200);
      JsonNode body = RunningServer.json(health.body());
      assertThat(body.get("status").asText()).isEqualTo("ok");
      assertThat(body.get("disk").get("dataBytes").asLong()).isPositive();
      assertThat(body.get("disk").get("freeBytes").asLong()).isPositive();
      root.close();
    }
  }

  @Test
  void jobsPastThePerAddressLimit_areRefusedWith429OverHttpAndLimitExceededOverSockets() throws Exception {
    try (RunningServer server = RunningServer.start(data, CONFIG)) {
      for (int i = 0; i < 3; i++) assertThat(postJob(server).statusCode()).isEqualTo(201);
      HttpResponse<String> refused = postJob(server);
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.headers().firstValue("retry-after")).isPresent();
      JsonNode error = RunningServer.json(refused.body()).get("error");
      assertThat(error.get("code").asText()).isEqualTo("limit_exceeded");
      assertThat(error.get("message").asText()).contains("at most 3 per minute").contains("Try again in");

      Socket root = SocketClients.root(server.url());
      JsonNode reply = SocketClients.generate(root, Map.of("generator", "quick"));
      assertThat(reply.get("error").get("code").asText()).isEqualTo("limit_exceeded");
      root.close();
      assertThat(server.get("/metrics", null).body()).contains("buildcast_limit_refusals_total 2.0");
    }
  }

  @Test
  void cancelPastTheLogLimit_endsCancelledWithTheTailAndItsLastLine() throws Exception {
    try (RunningServer server = RunningServer.start(data, CONFIG)) {
      HttpResponse<String> created = postJob(server, "chattyThenWaits");
      JsonNode ticket = RunningServer.json(created.body());
      String id = ticket.get("jobId").asText();
      String token = ticket.get("token").asText();
      await().atMost(Duration.ofMinutes(1)).until(() -> server.get("/api/jobs/" + id + "/log", token).body().contains("Log limit reached"));
      // the tail is held back, so wait for the job to have printed everything before cancelling
      await().atMost(Duration.ofMinutes(1)).until(() -> metric(server, "buildcast_log_lines_total") >= 40_002);
      HttpResponse<String> cancelled = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs/" + id + "/cancel"))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
      assertThat(cancelled.statusCode()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(60)).until(() -> server.get("/api/jobs/" + id, token).body().contains("\"cancelled\""));
      List<String> lines = List.of(server.get("/api/jobs/" + id + "/log", token).body().split("\n"));
      assertThat(lines).anyMatch(l -> l.endsWith(" left out \u2026"));
      assertThat(lines.getLast()).isEqualTo("Job cancelled.");
      assertThat(lines.get(lines.size() - 2)).isEqualTo("line 040000 padding-padding-padding");
    }
  }

  @Test
  void socketIoHandshakesPastThePerAddressLimit_areRefusedWith429() throws Exception {
    try (RunningServer server = RunningServer.start(data, "limits: {connectionsPerIp: 2}\n")) {
      assertThat(server.get("/socket.io/?EIO=4&transport=polling", null).statusCode()).isEqualTo(200);
      assertThat(server.get("/socket.io/?EIO=4&transport=polling", null).statusCode()).isEqualTo(200);
      HttpResponse<String> refused = server.get("/socket.io/?EIO=4&transport=polling", null);
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.body()).contains("Too many connections from this address");
    }
  }

  private static double metric(RunningServer server, String name) {
    for (String line : server.server().metrics().scrape().split("\n")) {
      if (line.startsWith(name + " ")) return Double.parseDouble(line.substring(name.length() + 1).strip());
    }
    return 0;
  }

  private static HttpResponse<String> postJob(RunningServer server) throws Exception {
    return postJob(server, "quick");
  }

  private static HttpResponse<String> postJob(RunningServer server, String generator) throws Exception {
    return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs"))
        .header("Content-Type", "application/json")
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"generator\":\"" + generator + "\"}")).build());
  }
}
