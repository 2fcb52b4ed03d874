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
      FinishedJob job = finishedJob(server, root, "wide");
      assertThat(job.log().length()).isGreaterThan(1024 * 1024); // more than a connection queues: the sender waits for drains

      try (RawSocketIo io = connected(server, job)) {
        io.emit(job.namespace(), "retrieve-detailed-logs", List.of(), -1);
        io.emit(job.namespace(), "retrieve-detailed-logs", List.of(), -1);
        assertThat(List.of(transfer(io, job), transfer(io, job))).containsExactly(job.log(), job.log());
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
      FinishedJob job = finishedJob(server, root, "tricky");
      assertThat(job.log()).hasSizeGreaterThan(200_000).contains("l00001 \"quoted\" back\\slash\ttab \u001B[31mred\u001B[0m é € 日本 😀 \u2028 日本語日本語日本語日本語日本語日本語日本語日本語日本語日本語 end\n");

      try (RawSocketIo io = connected(server, job)) {
        io.emit(job.namespace(), "retrieve-detailed-logs", List.of(), -1);
        assertThat(transfer(io, job)).isEqualTo(job.log());
      }
      root.close();
    }
  }

  /** A job that ended, and its detailed log as the HTTP download gives it. */
  record FinishedJob(String id, String token, String log) {
    String namespace() {
      return "/" + id;
    }
  }

  private static FinishedJob finishedJob(RunningServer server, Socket root, String generator) throws Exception {
    JsonNode ticket = SocketClients.generate(root, Map.of("generator", generator));
    String id = ticket.get("jobId").asText();
    String token = ticket.get("token").asText();
    await().atMost(Duration.ofSeconds(60)).until(() -> server.server().jobs().status(id).state().isFinished());
    return new FinishedJob(id, token, server.get("/api/jobs/" + id + "/log", token).body());
  }

  /** A raw client connected to the job's namespace with its token. */
  private static RawSocketIo connected(RunningServer server, FinishedJob job) throws Exception {
    RawSocketIo io = RawSocketIo.open(server.url(), "");
    io.connect(job.namespace(), "{\"token\":\"" + job.token() + "\"}");
    assertThat(io.await(p -> p.startsWith("40" + job.namespace() + ","), 5_000)).isPresent();
    return io;
  }

  /** The next whole transfer: the text of its {@code file-content} events up to {@code file-content-end}. */
  private static String transfer(RawSocketIo io, FinishedJob job) throws Exception {
    StringBuilder text = new StringBuilder();
    while (true) {
      Optional<String> packet = io.await(p -> p.startsWith("42" + job.namespace() + ",[\"file-content"), 10_000);
      assertThat(packet).as("the transfer's next event").isPresent();
      JsonNode event = RawSocketIo.payload(packet.get());
      if (!event.get(0).asText().equals("file-content")) return text.toString();
      text.append(event.get(1).asText());
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
