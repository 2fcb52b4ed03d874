package dev.buildcast.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.RunningServer;
import dev.buildcast.testing.SocketClients;
import dev.buildcast.testing.SocketClients.Watcher;
import io.socket.client.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by bench/stuck (issue #7): a catch-up read of long lines encodes to more bytes than a
 * connection's outbound queue may hold, and a queue refused such a batch even when empty, so the
 * watcher waited for a drain that could never come and got nothing more.
 */
class LongLinesCatchUpIT {

  static final int LINES = 3000;
  static final String CONFIG =
      """
      generators:
        - name: wide
          command: [awk, "BEGIN { w = sprintf(\\"%%6000s\\", \\"\\"); gsub(/ /, \\"w\\", w); for (i = 1; i <= %d; i++) printf \\"line %%05d %%s\\\\n\\", i, w }"]
      """.formatted(LINES);

  @TempDir Path data;

  @Test
  void lateWatcher_onALogOfLongLines_getsEveryLine() throws Exception {
    try (RunningServer server = RunningServer.start(data, CONFIG)) {
      Socket root = SocketClients.root(server.url());
      JsonNode ticket = SocketClients.generate(root, Map.of("generator", "wide"));
      String id = ticket.get("jobId").asText();
      String token = ticket.get("token").asText();
      await().atMost(Duration.ofMinutes(1)).until(() -> server.server().jobs().status(id).state().isFinished());
      long total = server.server().jobs().log(id).lastSeq();
      assertThat(total).isGreaterThan(LINES);

      try (Watcher late = SocketClients.watch(server.url(), id, Map.of("token", token, "format", "json", "detail", "true"))) {
        await().atMost(Duration.ofMinutes(1)).until(() -> "succeeded".equals(late.lastState()));
        assertThat(late.seqs()).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
      }
      root.close();
    }
  }
}
