package dev.buildcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.buildcast.testing.NodeScript;
import dev.buildcast.testing.RawWebSocket;
import dev.buildcast.testing.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's identity on the wire, with the packaged jar: a node started with {@code --node-id}
 * (or {@code BUILDCAST_NODE_ID}) tags its Socket.IO session ids with it, so a load balancer can
 * route by them; its jobs' status names it and its generators get it; a node started as before
 * keeps untagged session ids; a bad id stops the start with a message naming the option.
 */
class NodeIdIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONFIG = """
      maxConcurrentJobs: 1
      generators:
        - name: node
          command: [bash, -c, 'echo "::notice::node=$BUILDCAST_NODE_ID"']
        - name: hold
          command: [bash, -c, 'echo "::notice::holding on $BUILDCAST_NODE_ID"; while [ ! -e ../go ]; do sleep 0.05; done']
      """;

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  private ServerProcess start(Map<String, String> env, String... extraArgs) throws Exception {
    Path config = Files.writeString(dir.resolve("buildcast.yaml"), CONFIG);
    List<String> args = new ArrayList<>(List.of("--port", "0", "--data-dir", dir.resolve("data").toString(), "--config", config.toString()));
    args.addAll(List.of(extraArgs));
    return ServerProcess.start(env, args.toArray(String[]::new));
  }

  private String pollingSid(ServerProcess server) throws Exception {
    String body = get(server.url() + "/socket.io/?EIO=4&transport=polling").body();
    assertThat(body).startsWith("0{");
    return JSON.readTree(body.substring(1)).get("sid").asText();
  }

  private static String webSocketSid(ServerProcess server) throws Exception {
    try (RawWebSocket ws = RawWebSocket.open(server.url(), "/socket.io/?EIO=4&transport=websocket")) {
      RawWebSocket.Message open = ws.next(60, TimeUnit.SECONDS);
      assertThat(open).isNotNull();
      assertThat(open.text()).startsWith("0{");
      return JSON.readTree(open.text().substring(1)).get("sid").asText();
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode submit(ServerProcess server, String generator) throws Exception {
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"generator\":\"" + generator + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return JSON.readTree(created.body());
  }

  private JsonNode status(ServerProcess server, JsonNode ticket) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs/" + ticket.get("jobId").asText()))
        .header("Authorization", "Bearer " + ticket.get("token").asText()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private String log(ServerProcess server, JsonNode ticket) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs/" + ticket.get("jobId").asText() + "/log"))
        .header("Authorization", "Bearer " + ticket.get("token").asText()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  @Test
  void start_withNodeId_sessionIdsTaggedAndTheOfficialJsClientFollowsAJobThatRunsThere() throws Exception {
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("data/node-id"), "node-from-file\n");
    try (ServerProcess server = start(Map.of(), "--node-id", "n7")) {
      assertThat(pollingSid(server)).matches("n7\\.[A-Za-z0-9_-]{24}");
      assertThat(webSocketSid(server)).matches("n7\\.[A-Za-z0-9_-]{24}");

      JsonNode r = JSON.readTree(NodeScript.run("follow-job.mjs", 90, server.url(), "node"));

      assertThat(r.get("rootSid").asText()).matches("n7\\.[A-Za-z0-9_-]{24}");
      assertThat(r.get("watcherSid").asText()).matches("n7\\.[A-Za-z0-9_-]{24}");
      assertThat(r.get("watcherSidKept").asBoolean()).isTrue();
      assertThat(texts(r.get("firstTransports"))).containsExactly("polling", "polling");
      assertThat(texts(r.get("transports"))).containsExactly("websocket", "websocket");
      assertThat(r.at("/finalStatus/state").asText()).isEqualTo("succeeded");
      assertThat(r.at("/finalStatus/node").asText()).isEqualTo("n7");
      assertThat(texts(r.get("messages"))).contains("node=n7");
      r.get("statuses").forEach(s -> {
        // a status names the node unless the job is still queued
        if (s.get("state").asText().equals("queued")) assertThat(s.get("hasNode").asBoolean()).isFalse();
        else assertThat(s.get("node").asText()).isEqualTo("n7");
      });
      assertThat(r.at("/afterUpgrade/error/code").asText()).isEqualTo("unknown_generator");
    }
    // why: an id given explicitly stands in for the file; the file is the operator's, kept as it was
    assertThat(dir.resolve("data/node-id")).hasContent("node-from-file\n");
  }

  @Test
  void start_withNodeIdEnvironment_queuedJobHasNoNodeAndRunningOneNamesIt() throws Exception {
    try (ServerProcess server = start(Map.of("BUILDCAST_NODE_ID", "n8"))) {
      assertThat(pollingSid(server)).matches("n8\\.[A-Za-z0-9_-]{24}");
      JsonNode holding = submit(server, "hold");
      await().atMost(Duration.ofSeconds(60)).until(() -> status(server, holding).get("state").asText().equals("running"));
      JsonNode waiting = submit(server, "node");

      JsonNode queued = status(server, waiting);
      assertThat(queued.get("state").asText()).isEqualTo("queued");
      assertThat(queued.has("node")).isFalse();
      assertThat(status(server, holding).get("node").asText()).isEqualTo("n8");

      Files.createFile(dir.resolve("data/jobs").resolve(holding.get("jobId").asText()).resolve("go"));
      await().atMost(Duration.ofSeconds(60)).until(() -> status(server, waiting).get("state").asText().equals("succeeded"));
      assertThat(status(server, waiting).get("node").asText()).isEqualTo("n8");
      assertThat(status(server, holding).get("node").asText()).isEqualTo("n8");
      String log = log(server, waiting);
      assertThat(log).contains("node=n8");
    }
  }

  @Test
  void start_withoutNodeId_sessionIdsUntaggedAndJobsNameTheIdFromTheDataFolder() throws Exception {
    try (ServerProcess server = start(Map.of())) {
      assertThat(pollingSid(server)).matches("[A-Za-z0-9_-]{24}");
      assertThat(webSocketSid(server)).matches("[A-Za-z0-9_-]{24}");
      String fileId = Files.readString(dir.resolve("data/node-id")).strip();

      JsonNode ticket = submit(server, "node");
      await().atMost(Duration.ofSeconds(60)).until(() -> status(server, ticket).get("state").asText().equals("succeeded"));

      assertThat(status(server, ticket).get("node").asText()).isEqualTo(fileId);
      String log = log(server, ticket);
      assertThat(log).contains("node=" + fileId);
    }
  }

  @Test
  void start_invalidNodeId_exitsTwoNamingTheOption() throws Exception {
    ServerProcess.Result option = ServerProcess.run(Map.of(), "--port", "0", "--data-dir", dir.resolve("data").toString(), "--node-id", "n7.eu");
    assertThat(option.exitCode()).isEqualTo(2);
    assertThat(option.stderr()).contains("buildcast: --node-id must be 1 to 32 letters, digits or '-'", "got 'n7.eu'");
    assertThat(option.stdout()).doesNotContain("Buildcast listening");

    ServerProcess.Result env = ServerProcess.run(Map.of("BUILDCAST_NODE_ID", "n_8"), "--port", "0", "--data-dir", dir.resolve("data").toString());
    assertThat(env.exitCode()).isEqualTo(2);
    assertThat(env.stderr()).contains("buildcast: BUILDCAST_NODE_ID must be 1 to 32 letters, digits or '-'", "got 'n_8'");
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
