package dev.buildcast.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * A reader of a job's NDJSON log route with {@code follow=true}: collects each line as it arrives;
 * {@link #done} completes when the server ends the response (after the job's final state).
 */
public record NdjsonFollower(List<JsonNode> lines, CompletableFuture<Void> done) {

  /** Starts following job {@code jobId} on the server at {@code baseUrl}, from its first line. */
  public static NdjsonFollower start(String baseUrl, String jobId, String token) throws IOException, InterruptedException {
    return start(baseUrl, jobId, token, 0);
  }

  /** The same from the line after seq {@code since} ({@code since=N}, as a client resuming does). */
  public static NdjsonFollower start(String baseUrl, String jobId, String token, long since) throws IOException, InterruptedException {
    HttpResponse<Stream<String>> answer = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(baseUrl + "/api/jobs/" + jobId + "/log?format=ndjson&follow=true&since=" + since))
            .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofLines());
    assertThat(answer.statusCode()).isEqualTo(200);
    List<JsonNode> lines = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    // why a thread of its own, not the common pool: the read blocks until the job ends, and the
    // common pool may have one thread on a small machine, which a follower left open would keep
    Thread.ofVirtual().name("ndjson-follower-" + jobId).start(() -> {
      try {
        answer.body().forEach(line -> {
          try {
            lines.add(RunningServer.json(line));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
        done.complete(null);
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    return new NdjsonFollower(lines, done);
  }
}
