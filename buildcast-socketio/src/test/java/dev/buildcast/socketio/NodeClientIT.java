package dev.buildcast.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official JavaScript client (socket.io-client 4.8.4 under Node, installed by {@code npm ci} in
 * src/test/node during generate-test-resources) against a real server: each test runs one scenario
 * of {@code scenarios.mjs} and checks that it passed.
 */
class NodeClientIT {
  private static ItServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = new ItServer();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  private static String run(String scenario, String... args) throws IOException, InterruptedException {
    return runScenario(server.url(), scenario, args);
  }

  /** Runs one scenario of {@code scenarios.mjs} against {@code url}; fails unless it passed. Returns its output. */
  static String runScenario(String url, String scenario, String... args) throws IOException, InterruptedException {
    Path nodeDir = Path.of(System.getProperty("buildcast.nodeDir", "src/test/node")).toAbsolutePath();
    List<String> command = new ArrayList<>(List.of("node", "scenarios.mjs", scenario, url));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("node-" + scenario, ".log");
    try {
      Process p = new ProcessBuilder(command)
          .directory(nodeDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(out.toFile())
          .start();
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("node scenario " + scenario + " hung:\n" + Files.readString(out));
      }
      String output = Files.readString(out, StandardCharsets.UTF_8);
      System.out.println("--- node scenario " + scenario + " " + List.of(args) + ":\n" + output);
      assertThat(output).as("output of scenario %s", scenario).contains("PASS " + scenario).doesNotContain("FAIL");
      assertThat(p.exitValue()).isZero();
      return output;
    } finally {
      Files.deleteIfExists(out);
    }
  }

  @Test
  void namespaces_multiplexedWithAuthAndDynamic_pass() throws Exception {
    String out = run("namespaces");
    assertThat(out).contains("ok both sockets use one manager", "ok middleware saw auth");
  }

  @Test
  void connectErrors_messageAndData_pass() throws Exception {
    assertThat(run("connect-errors")).contains("ok refusal data", "ok unknown namespace");
  }

  @Test
  void acks_bothWays_pass() throws Exception {
    assertThat(run("acks")).contains("ok server-to-client ack", "ok numeric event name reaches the handler of its text");
  }

  @Test
  void rooms_broadcastWithExclusion_pass() throws Exception {
    assertThat(run("rooms")).contains("ok sender excluded", "ok non-member excluded");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"polling", "websocket", "polling,websocket"})
  void binary_1KiBto900KiB_bothWays_pass(String transports) throws Exception {
    assertThat(run("binary", transports)).contains("ok echo of 921600 bytes intact");
  }

  @Test
  void pollingOnly_pass() throws Exception {
    run("polling-only");
  }

  @Test
  void websocketOnly_pass() throws Exception {
    run("websocket-only");
  }

  @Test
  void upgradeUnderLoad_ticksInOrder_pass() throws Exception {
    assertThat(run("upgrade-under-load")).contains("ok upgraded to websocket");
  }

  @Test
  void reconnect_afterServerClose_pass() throws Exception {
    run("reconnect");
  }

  // default transports too: the goodbye may then land in the middle of the upgrade, where the
  // DISCONNECT waits for the upgrade's end (or the next poll) before the connection closes
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"websocket", "polling", "polling,websocket"})
  void goodbye_disconnectWithClose_clientDoesNotReconnect(String transports) throws Exception {
    run("goodbye", transports);
  }

  @Test
  void dynamicChurn_overNetwork_namespacesBackToBaseline() throws Exception {
    int baseline = server.io.namespaceCount();
    run("dynamic-churn", "200", "websocket");
    await().atMost(Duration.ofSeconds(60)).until(() -> server.io.namespaceCount() == baseline);
    assertThat(server.jobs.size()).isZero();
  }

  @Test
  void dynamicChurn_withUpgradeAndServerCloses_namespacesBackToBaseline() throws Exception {
    int baseline = server.io.namespaceCount();
    // default transports start on polling and upgrade: the server closes ("drop-me") hit upgrades
    run("dynamic-churn", "60", "default");
    await().atMost(Duration.ofSeconds(60)).until(() -> server.io.namespaceCount() == baseline);
    assertThat(server.jobs.size()).isZero();
  }
}
