package dev.buildcast.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.RunningServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/jobs/{id}/log?format=ndjson}, with and without {@code follow}, against a real server. */
class NdjsonLogIT {

  static final String CONFIG =
      """
      generators:
        - name: docs
          command: [bash, -c, "echo detail one; echo '::notice::building'; echo detail two"]
        - name: count
          command: [bash, -c, "for i in $(seq 1 $BUILDCAST_PARAM_N); do echo \\"line $i\\"; done"]
        - name: tick
          command: [bash, -c, "echo '::notice::waiting'; while [ ! -e ../go ]; do echo '::notice::tick'; sleep 0.1; done"]
        - name: wait
          command: [bash, -c, "echo '::notice::waiting'; while [ ! -e ../go ]; do sleep 0.05; done; echo '::notice::released'"]
        - name: wide
          command: [bash, -c, "for i in $(seq 1 2500); do echo \\"line $i\\"; done; w=$(head -c 60000 /dev/zero | tr '\\\\0' w); for i in $(seq 1 150); do if [ $((i % 2)) = 0 ]; then echo \\"::notice::$i $w\\"; else echo \\"$i $w\\"; fi; done"]
      """;

  @TempDir Path data;
  private RunningServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    server = RunningServer.start(data, CONFIG);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private JsonNode submit(String body) throws Exception {
    HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs"))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return RunningServer.json(r.body());
  }

  private void awaitFinished(JsonNode ticket) {
    await().atMost(Duration.ofSeconds(60)).until(() -> RunningServer.json(
        server.get("/api/jobs/" + ticket.get("jobId").asText(), ticket.get("token").asText()).body()).get("finishedAt").isTextual());
  }

  private static List<JsonNode> parse(String body) throws Exception {
    List<JsonNode> lines = new java.util.ArrayList<>();
    for (String line : body.split("\n")) if (!line.isEmpty()) lines.add(RunningServer.json(line));
    return lines;
  }

  @Test
  void ndjson_finishedJob_givesEveryLineAsJsonAfterSince() throws Exception {
    JsonNode ticket = submit("{\"generator\":\"docs\"}");
    awaitFinished(ticket);
    String path = "/api/jobs/" + ticket.get("jobId").asText() + "/log?format=ndjson";
    HttpResponse<String> all = server.get(path, ticket.get("token").asText());
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(all.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/x-ndjson"));
    List<JsonNode> lines = parse(all.body());
    assertThat(lines).extracting(l -> l.get("seq").asLong()).containsExactly(LongStream.rangeClosed(1, lines.size()).boxed().toArray(Long[]::new));
    assertThat(lines).extracting(l -> l.get("text").asText()).contains("detail one", "building", "detail two");
    assertThat(lines.get(0).fieldNames()).toIterable().containsExactly("seq", "ts", "level", "text");

    List<JsonNode> after = parse(server.get(path + "&since=2", ticket.get("token").asText()).body());
    assertThat(after.get(0).get("seq").asLong()).isEqualTo(3);
    List<JsonNode> basic = parse(server.get(path + "&basic=true", ticket.get("token").asText()).body());
    assertThat(basic).extracting(l -> l.get("level").asText()).doesNotContain("detail");
  }

  @Test
  void ndjson_badSinceOrToken_refusedWithJsonError() throws Exception {
    JsonNode ticket = submit("{\"generator\":\"docs\"}");
    String path = "/api/jobs/" + ticket.get("jobId").asText() + "/log?format=ndjson";
    HttpResponse<String> bad = server.get(path + "&since=-1", ticket.get("token").asText());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(RunningServer.json(bad.body()).at("/error/code").asText()).isEqualTo("bad_request");
    assertThat(server.get(path + "&follow=true", "wrong").statusCode()).isEqualTo(403);
  }

  @Test
  void follow_runningJob_streamsNewLinesAndEndsWithTheJob() throws Exception {
    JsonNode ticket = submit("{\"generator\":\"wait\"}");
    String id = ticket.get("jobId").asText();
    List<JsonNode> received = new CopyOnWriteArrayList<>();
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs/" + id + "/log?format=ndjson&follow=true&basic=true"))
        .header("Authorization", "Bearer " + ticket.get("token").asText()).build();
    HttpResponse<java.util.stream.Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> response.body().forEach(line -> {
      try {
        received.add(RunningServer.json(line));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }));
    await().atMost(Duration.ofSeconds(60)).until(() -> received.stream().anyMatch(l -> l.get("text").asText().equals("waiting")));
    assertThat(reading).isNotDone();
    Files.writeString(data.resolve("jobs").resolve(id).resolve("go"), "");
    reading.get(60, TimeUnit.SECONDS);
    assertThat(received).extracting(l -> l.get("text").asText()).contains("released");
    assertThat(received.getLast().get("text").asText()).startsWith("Job finished");
    assertThat(RunningServer.json(server.get("/api/jobs/" + id, ticket.get("token").asText()).body()).get("state").asText())
        .as("the stream ends once the outcome is stored, so it is known at once").isEqualTo("succeeded");
  }

  @Test
  void follow_readerPausedUntilTheJobEnds_stillGetsEveryLineOnce() throws Exception {
    JsonNode ticket = submit("{\"generator\":\"count\",\"params\":{\"N\":\"150000\"}}");
    String id = ticket.get("jobId").asText();
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs/" + id + "/log?format=ndjson&follow=true"))
        .header("Authorization", "Bearer " + ticket.get("token").asText()).build();
    HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    // why: not reading fills the connection, so the server's writes block and its handoff refuses:
    // the follower is moved to catch-up from disk and must rejoin without a gap or a duplicate
    await().atMost(Duration.ofSeconds(60)).until(() -> server.server().jobs().status(id).state().isFinished());
    List<JsonNode> lines;
    try (java.io.InputStream in = response.body()) {
      lines = parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
    long last = server.server().jobs().log(id).lastSeq();
    assertThat(lines).hasSize((int) last);
    assertThat(lines).extracting(l -> l.get("seq").asLong()).containsExactly(LongStream.rangeClosed(1, last).boxed().toArray(Long[]::new));
  }

  @Test
  void follow_clientLeaves_subscriptionReleasedWhileTheJobRuns() throws Exception {
    JsonNode ticket = submit("{\"generator\":\"tick\"}");
    String id = ticket.get("jobId").asText();
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs/" + id + "/log?format=ndjson&follow=true&basic=true"))
        .header("Authorization", "Bearer " + ticket.get("token").asText()).build();
    HttpClient own = HttpClient.newHttpClient();
    HttpResponse<java.io.InputStream> response = own.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(response.body(), java.nio.charset.StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null && !line.contains("waiting")) {
        // reading up to the job's first notice
      }
      assertThat(line).contains("waiting");
      assertThat(server.server().broadcaster().activeJobCount()).isEqualTo(1);
    }
    own.shutdownNow();
    // the next lines cannot be written to the closed connection: the follower ends with them
    await().atMost(Duration.ofSeconds(60)).until(() -> server.server().broadcaster().activeJobCount() == 0);
    assertThat(server.server().jobs().status(id).state().isFinished()).isFalse();
    Files.writeString(data.resolve("jobs").resolve(id).resolve("go"), "");
    awaitFinished(ticket);
  }

  @Test
  void ndjson_manyLinesAndLongOnes_givesEachLineOnceInOrder_readInBoundedChunks() throws Exception {
    // 2,500 short lines (more than one read's lines), then 150 of 60,000 chars (9 MB, more than
    // one read's bytes), every second one basic
    JsonNode ticket = submit("{\"generator\":\"wide\"}");
    awaitFinished(ticket);
    String id = ticket.get("jobId").asText();
    String token = ticket.get("token").asText();
    long last = server.server().jobs().log(id).lastSeq();
    String path = "/api/jobs/" + id + "/log?format=ndjson";

    List<JsonNode> all = parse(server.get(path + "&since=7", token).body());
    assertThat(all).extracting(l -> l.get("seq").asLong()).containsExactly(LongStream.rangeClosed(8, last).boxed().toArray(Long[]::new));
    assertThat(all).filteredOn(l -> l.get("text").asText().length() > 60_000).hasSize(150);

    List<JsonNode> basic = parse(server.get(path + "&basic=true", token).body());
    List<JsonNode> basicInAll = parse(server.get(path, token).body()).stream().filter(l -> !l.get("level").asText().equals("detail")).toList();
    assertThat(basic).extracting(l -> l.get("seq").asLong()).containsExactlyElementsOf(basicInAll.stream().map(l -> l.get("seq").asLong()).toList());
    assertThat(basic).filteredOn(l -> l.get("text").asText().length() > 60_000).hasSize(75);
  }

  @Test
  void follow_manyLines_gapFreeAndInOrder() throws Exception {
    JsonNode ticket = submit("{\"generator\":\"count\",\"params\":{\"N\":\"5000\"}}");
    String id = ticket.get("jobId").asText();
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs/" + id + "/log?format=ndjson&follow=true&since=5"))
        .header("Authorization", "Bearer " + ticket.get("token").asText()).build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    List<JsonNode> lines = parse(response.body());
    long last = server.server().jobs().log(id).lastSeq();
    assertThat(lines).extracting(l -> l.get("seq").asLong()).containsExactly(LongStream.rangeClosed(6, last).boxed().toArray(Long[]::new));
  }
}
