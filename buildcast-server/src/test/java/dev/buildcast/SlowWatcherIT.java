package dev.buildcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.RunningServer;
import dev.buildcast.testing.SocketClients;
import dev.buildcast.testing.SocketClients.Watcher;
import dev.buildcast.testing.StuckWatcher;
import io.socket.client.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Watchers that stop reading must not slow the job or the other watchers, nor grow the server. */
class SlowWatcherIT {

  static final int LINES = 50_000;
  static final String CONFIG =
      """
      generators:
        - name: loud
          command: [bash, -c, "echo '::notice::start'; while [ ! -e ../go ]; do sleep 0.02; done; seq 1 %d | sed 's/^/line number /'; echo '::notice::end'"]
      """.formatted(LINES);

  @TempDir Path data;

  @Test
  void stuckWatchers_doNotStopTheJobNorAHealthyWatcherFromGettingEveryLine() throws Exception {
    try (RunningServer server = RunningServer.start(data, CONFIG)) {
      Socket root = SocketClients.root(server.url());
      JsonNode ticket = SocketClients.generate(root, Map.of("generator", "loud"));
      String id = ticket.get("jobId").asText();
      String token = ticket.get("token").asText();
      List<StuckWatcher> stuck = new ArrayList<>();
      for (int i = 0; i < 20; i++) stuck.add(StuckWatcher.join(server.url(), id, token));
      Watcher healthy = SocketClients.watch(server.url(), id, Map.of("token", token, "format", "json", "detail", "true"));
      await().atMost(Duration.ofSeconds(60)).until(() -> healthy.logLines.size() >= 3);
      java.nio.file.Files.createFile(server.dataDir().resolve("jobs").resolve(id).resolve("go"));

      await().atMost(Duration.ofMinutes(3)).until(() -> "succeeded".equals(healthy.lastState()));
      long total = server.server().jobs().log(id).lastSeq();
      assertThat(healthy.seqs()).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
      assertThat(total).isGreaterThan(LINES);
      stuck.forEach(StuckWatcher::close);
      healthy.close();
      root.close();
    }
  }
}
