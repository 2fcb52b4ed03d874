package dev.buildcast.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * What the cluster tests do to a node over its public API: submit a job, read its status, watch
 * and follow its log, and compare what watchers got.
 */
public final class ClusterJobs {

  private ClusterJobs() {}

  /** Submits a job of {@code generator} with {@code POST /api/jobs}; its ticket ({@code jobId}, {@code token}). */
  public static JsonNode submit(RunningServer node, String generator) throws IOException, InterruptedException {
    HttpResponse<String> created = node.send(HttpRequest.newBuilder(URI.create(node.url() + "/api/jobs"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"generator\":\"" + generator + "\"}"))
        .build());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return RunningServer.json(created.body());
  }

  /** The job's status payload as {@code node} answers it. */
  public static JsonNode status(RunningServer node, JsonNode ticket) throws IOException, InterruptedException {
    HttpResponse<String> answer = node.get("/api/jobs/" + ticket.get("jobId").asText(), ticket.get("token").asText());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return RunningServer.json(answer.body());
  }

  /** A Socket.IO watcher of the job on {@code node}, every line after {@code since} as JSON (the caller closes it). */
  public static SocketClients.Watcher watch(RunningServer node, JsonNode ticket, long since) {
    return SocketClients.watch(node.url(), ticket.get("jobId").asText(),
        Map.of("token", ticket.get("token").asText(), "format", "json", "detail", "true", "since", Long.toString(since)));
  }

  /** An NDJSON {@code follow=true} reader of the job's log on {@code node}, from its first line. */
  public static NdjsonFollower follow(RunningServer node, JsonNode ticket) throws IOException, InterruptedException {
    return NdjsonFollower.start(node.url(), ticket.get("jobId").asText(), ticket.get("token").asText());
  }

  /** Each line as {@code "<seq> <text>"}: what two watchers must agree on. */
  public static List<String> seqAndText(List<JsonNode> lines) {
    return lines.stream().map(l -> l.get("seq").asLong() + " " + l.get("text").asText()).toList();
  }

  public static boolean hasLine(List<JsonNode> lines, String text) {
    return lines.stream().anyMatch(l -> l.get("text").asText().equals(text));
  }
}
