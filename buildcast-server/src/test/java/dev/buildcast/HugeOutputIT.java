package dev.buildcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.log.JobLog;
import dev.buildcast.log.LogFilter;
import dev.buildcast.log.LogLine;
import dev.buildcast.testing.RunningServer;
import dev.buildcast.testing.SocketClients;
import io.socket.client.Socket;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process printing endless lines, binary junk and 100 MB of output does not break the server. */
class HugeOutputIT {

  static final String CONFIG =
      """
      logs: {maxBytesPerJob: 1GB}   # this test stores all of it; ReliabilityIT covers the limit
      generators:
        - name: flood
          command: [bash, -c, "head -c 1000000 /dev/zero | tr '\\\\0' x; echo; head -c 65536 /dev/urandom; echo; base64 -w 100 /dev/urandom | head -c 100000000; echo; echo '::notice::done'"]
          timeout: 5m
      """;

  @TempDir Path data;

  @Test
  void flood_oneMegabyteLineJunkAndHundredMegabytes_isStoredSplitRepairedAndDownloadable() throws Exception {
    try (RunningServer server = RunningServer.start(data, CONFIG)) {
      Socket root = SocketClients.root(server.url());
      JsonNode ticket = SocketClients.generate(root, Map.of("generator", "flood"));
      String id = ticket.get("jobId").asText();
      String token = ticket.get("token").asText();
      await().atMost(Duration.ofMinutes(3)).until(() -> server.get("/api/jobs/" + id, token).body().contains("\"succeeded\""));

      JobLog log = server.server().jobs().log(id);
      List<LogLine> head = log.read(0, LogFilter.ALL, 40);
      assertThat(head).allSatisfy(line -> assertThat(line.text().length()).isLessThanOrEqualTo(LogLine.MAX_TEXT_CHARS));
      long xs = head.stream().mapToLong(l -> l.text().chars().filter(c -> c == 'x').count()).sum();
      assertThat(xs).isGreaterThanOrEqualTo(1_000_000);
      assertThat(log.lastSeq()).isGreaterThan(900_000);
      assertThat(log.textBytes()).isGreaterThan(100_000_000);

      HttpResponse<InputStream> download = HttpClientHolder.CLIENT.send(
          HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs/" + id + "/log?token=" + token)).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      long bytes;
      try (InputStream in = download.body()) {
        bytes = in.transferTo(java.io.OutputStream.nullOutputStream());
      }
      assertThat(bytes).isEqualTo(log.textBytes());
      root.close();
    }
  }

  private static final class HttpClientHolder {
    static final java.net.http.HttpClient CLIENT = java.net.http.HttpClient.newHttpClient();
  }
}
