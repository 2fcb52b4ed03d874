package dev.buildcast.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.buildcast.testing.RawSocketIo;
import dev.buildcast.testing.RunningServer;
import dev.buildcast.testing.SocketClients;
import io.socket.client.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Regressions found while fuzzing the socket events (issue #7). */
class SocketRequestRegressionsIT {

  static final String CONFIG =
      """
      generators:
        - name: wide
          command: [awk, "BEGIN { for (i = 1; i <= 20000; i++) printf \\"line %05d 0123456789012345678901234567890123456789012345678901234567890123456789\\\\n\\", i }"]
      """;

  @TempDir Path data;

  @Test
  void retrieveDetailedLogsTwiceAtOnce_getsTwoWholeTransfersOneAfterTheOther() throws Exception {
    try (RunningServer server = RunningServer.start(data, CONFIG)) {
      Socket root = SocketClients.root(server.url());
      JsonNode ticket = SocketClients.generate(root, Map.of("generator", "wide"));
      String id = ticket.get("jobId").asText();
      String token = ticket.get("token").asText();
      await().atMost(Duration.ofSeconds(60)).until(() -> server.server().jobs().status(id).state().isFinished());
      String log = server.get("/api/jobs/" + id + "/log", token).body();
      assertThat(log.length()).isGreaterThan(1024 * 1024); // more than a connection queues: the sender waits for drains

      try (RawSocketIo io = RawSocketIo.open(server.url(), "")) {
        String ns = "/" + id;
        io.connect(ns, "{\"token\":\"" + token + "\"}");
        assertThat(io.await(p -> p.startsWith("40" + ns + ","), 5_000)).isPresent();
        io.emit(ns, "retrieve-detailed-logs", List.of(), -1);
        io.emit(ns, "retrieve-detailed-logs", List.of(), -1);
        List<String> transfers = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        while (transfers.size() < 2) {
          Optional<String> packet = io.await(p -> p.startsWith("42" + ns + ",[\"file-content"), 10_000);
          assertThat(packet).as("transfer %d", transfers.size() + 1).isPresent();
          JsonNode event = RawSocketIo.payload(packet.get());
          if (event.get(0).asText().equals("file-content")) {
            current.append(event.get(1).asText());
          } else {
            transfers.add(current.toString());
            current.setLength(0);
          }
        }
        assertThat(transfers).containsExactly(log, log);
      }
      root.close();
    }
  }

  @Test
  void retrieveDetailedLogs_textThatJsonMustEscapeOrThatIsNotAscii_arrivesAsTheLogHasIt() throws Exception {
    // quotes, a backslash, a tab, ANSI colours, a line separator, 2-, 3- and 4-byte characters; over
    // 800 KB, so chunk bounds fall inside multi-byte characters
    Path script = data.resolve("tricky.sh");
    Files.writeString(script, "for i in $(seq 1 6000); do printf 'l%05d \"quoted\" back\\\\slash\\ttab \\033[31mred\\033[0m é € 日本 😀 \\342\\200\\250 日本語日本語日本語日本語日本語日本語日本語日本語日本語日本語 end\\n' $i; done\n");
    String config = "generators:\n  - name: tricky\n    command: [bash, " + script + "]\n";
    try (RunningServer server = RunningServer.start(data.resolve("server"), config)) {
      Socket root = SocketClients.root(server.url());
      JsonNode ticket = SocketClients.generate(root, Map.of("generator", "tricky"));
      String id = ticket.get("jobId").asText();
      String token = ticket.get("token").asText();
      await().atMost(Duration.ofSeconds(60)).until(() -> server.server().jobs().status(id).state().isFinished());
      String log = server.get("/api/jobs/" + id + "/log", token).body();
      assertThat(log).hasSizeGreaterThan(200_000).contains("l00001 \"quoted\" back\\slash\ttab \u001B[31mred\u001B[0m é € 日本 😀 \u2028 日本語日本語日本語日本語日本語日本語日本語日本語日本語日本語 end\n");

      try (RawSocketIo io = RawSocketIo.open(server.url(), "")) {
        String ns = "/" + id;
        io.connect(ns, "{\"token\":\"" + token + "\"}");
        assertThat(io.await(p -> p.startsWith("40" + ns + ","), 5_000)).isPresent();
        io.emit(ns, "retrieve-detailed-logs", List.of(), -1);
        StringBuilder transfer = new StringBuilder();
        while (true) {
          Optional<String> packet = io.await(p -> p.startsWith("42" + ns + ",[\"file-content"), 10_000);
          assertThat(packet).isPresent();
          JsonNode event = RawSocketIo.payload(packet.get());
          if (!event.get(0).asText().equals("file-content")) break;
          transfer.append(event.get(1).asText());
        }
        assertThat(transfer.toString()).isEqualTo(log);
      }
      root.close();
    }
  }

  @Test
  void siofuEventWithAHugeId_isRefusedAsABadRequest() throws Exception {
    try (RunningServer server = RunningServer.start(data, CONFIG); RawSocketIo io = RawSocketIo.open(server.url(), "")) {
      io.connect("/", null);
      assertThat(io.await(p -> p.startsWith("40{"), 5_000)).isPresent();
      var progress = JsonNodeFactory.instance.objectNode().put("id", "i".repeat(300_000)).put("start", 0).put("content", "x");
      io.emit("/", "siofu_progress", List.of(progress), -1);
      Optional<String> answer = io.await(p -> p.startsWith("42[\"error\"") || p.startsWith("42[\"siofu_error\""), 5_000);
      assertThat(answer).isPresent();
      assertThat(answer.get()).startsWith("42[\"error\"").contains("bad_request").hasSizeLessThan(1000);
    }
  }
}
