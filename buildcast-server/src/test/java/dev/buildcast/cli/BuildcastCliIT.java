package dev.buildcast.cli;

import static dev.buildcast.testing.TestBytes.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.CuttingProxy;
import dev.buildcast.testing.RunningServer;
import dev.buildcast.testing.TestBytes;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client ({@code java -jar buildcast.jar run|logs|download}) as a process against a real server. */
class BuildcastCliIT {

  static final String CONFIG =
      """
      generators:
        - name: docs
          command: [bash, -c, "echo detail one; echo '::group::Build'; echo '::notice::building docs'; echo '::warning::careful'; echo '::endgroup::'; mkdir -p $BUILDCAST_OUTPUT/sub; echo out > $BUILDCAST_OUTPUT/result.txt; echo deep > $BUILDCAST_OUTPUT/sub/page.html"]
        - name: broken
          command: [bash, -c, "echo '::error::it broke'; exit 4"]
        - name: show
          input: file
          command: [bash, -c, "echo \\"::notice::input says $(cat $BUILDCAST_INPUT)\\""]
        - name: digest
          input: file
          command: [bash, -c, 'echo "::notice::sha256 $(sha256sum "$BUILDCAST_INPUT" | cut -d " " -f 1) bytes $(stat -c %s "$BUILDCAST_INPUT")"']
        - name: wait
          command: [bash, -c, "echo '::notice::waiting'; while [ ! -e ../go ]; do sleep 0.05; done; echo '::notice::released'"]
      """;
  private static final Pattern JOB = Pattern.compile("Job (\\S+) started");
  private static final Pattern TOKEN = Pattern.compile("Token: (\\S+)");

  @TempDir Path data;
  private RunningServer server;

  @BeforeEach
  void start() throws Exception {
    server = RunningServer.start(data, CONFIG);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private JsonNode submit(String body) throws Exception {
    return RunningServer.json(server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build()).body());
  }

  private static String find(Pattern p, String text) {
    Matcher m = p.matcher(text);
    assertThat(m.find()).as(text).isTrue();
    return m.group(1);
  }

  @Test
  void run_succeedingJob_printsStepsLinesAndArtifactLinksThenExitsZero() throws Exception {
    ClientProcess client = ClientProcess.run("run", "--server", server.url(), "--generator", "docs");
    assertThat(client.exitCode()).as(client.stderr()).isZero();
    String jobId = find(JOB, client.stderr());
    String token = find(TOKEN, client.stderr());
    assertThat(client.out).containsSubsequence("▶ Build", "  building docs", "  warning: careful", "Artifacts:");
    assertThat(client.stdout()).doesNotContain("detail one").doesNotContain("\u001b[");
    assertThat(client.stdout()).contains(server.url() + "/api/jobs/" + jobId + "/artifacts/result.txt?token=" + token);
    assertThat(client.out.getLast()).isEqualTo("Job " + jobId + " succeeded.");
  }

  @Test
  void run_detail_printsDetailLinesToo() throws Exception {
    ClientProcess client = ClientProcess.run("run", "--server", server.url(), "--generator", "docs", "--detail");
    assertThat(client.exitCode()).isZero();
    assertThat(client.out).containsSubsequence("detail one", "▶ Build");
  }

  @Test
  void run_withFile_uploadsItAndTheJobReadsIt(@TempDir Path dir) throws Exception {
    int put = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/uploads"))
        .PUT(HttpRequest.BodyPublishers.noBody()).build()).statusCode();
    Path file = Files.writeString(dir.resolve("input.txt"), "hello upload");
    ClientProcess client = ClientProcess.run("run", "--server", server.url(), "--generator", "show", file.toString());
    if (put == 404 || put == 405) {
      // a server without HTTP uploads: the client says so instead of failing obscurely
      assertThat(client.exitCode()).isEqualTo(3);
      assertThat(client.stderr()).contains("does not take uploads");
      return;
    }
    assertThat(client.exitCode()).as(client.stderr()).isZero();
    assertThat(client.out).contains("input says hello upload");
  }

  @Test
  void run_connectionCutMidUpload_continuesFromTheServersOffsetAndTheJobGetsTheExactBytes(@TempDir Path dir) throws Exception {
    byte[] bytes = fixture(5_000_000);
    Path file = Files.write(dir.resolve("input.bin"), bytes);
    try (CuttingProxy proxy = CuttingProxy.cutting(server.url(), 2_000_000, 1)) {
      ClientProcess client = ClientProcess.run("run", "--server", proxy.url(), "--generator", "digest", file.toString());
      assertThat(client.exitCode()).as(client.stderr()).isZero();
      assertThat(proxy.cutsMade()).isEqualTo(1);
      assertThat(client.stderr()).contains("Upload interrupted at 0 of 5000000 bytes", "asking the server where to continue");
      assertThat(client.stdout()).contains("sha256 " + sha256(bytes) + " bytes 5000000");
    }
  }

  @Test
  void run_serverUnreachableAfterACutMidUpload_givesUpAfterItsRetriesSayingHowFarItGot(@TempDir Path dir) throws Exception {
    Path file = Files.write(dir.resolve("input.bin"), fixture(5_000_000));
    try (CuttingProxy proxy = CuttingProxy.cutOnceThenGone(server.url(), 2_000_000)) {
      ClientProcess client = ClientProcess.run("run", "--server", proxy.url(), "--generator", "digest", file.toString());
      assertThat(client.exitCode()).isEqualTo(3);
      assertThat(client.stderr()).contains("retry 5 of 5", "Gave up uploading input.bin after 6 failed attempts in a row", "of 5000000 bytes of upload");
      assertThat(client.stderr()).doesNotContain("Job ");
      assertThat(server.server().uploads().unfinishedCount()).isEqualTo(1);
    }
  }

  /** Checked-in seed: the same bytes on every run. */
  private static byte[] fixture(int size) {
    return TestBytes.seeded(0x15_0003L, size);
  }

  @Test
  void run_failingJob_exitsOneWithTheReason() throws Exception {
    ClientProcess client = ClientProcess.run("run", "--server", server.url(), "--generator", "broken");
    assertThat(client.exitCode()).isEqualTo(1);
    assertThat(client.stdout()).contains("error: it broke", "failed (exit code 4).");
  }

  @Test
  void run_refusedOrUnreachableOrMisused_exitsThreeSayingWhy() throws Exception {
    ClientProcess unknown = ClientProcess.run("run", "--server", server.url(), "--generator", "nope");
    assertThat(unknown.exitCode()).isEqualTo(3);
    assertThat(unknown.stderr()).contains("No generator named 'nope'");

    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    ClientProcess down = ClientProcess.run("run", "--server", "http://127.0.0.1:" + closedPort, "--generator", "docs");
    assertThat(down.exitCode()).isEqualTo(3);
    assertThat(down.stderr()).contains("Cannot connect");

    ClientProcess misused = ClientProcess.run("run", "--server", server.url());
    assertThat(misused.exitCode()).isEqualTo(3);
    assertThat(misused.stderr()).contains("--generator NAME is required");
    assertThat(ClientProcess.run("logs", "--bogus").exitCode()).isEqualTo(3);
  }

  @Test
  void run_ctrlCAnsweredYes_cancelsTheJobAndExitsTwo() throws Exception {
    try (ClientProcess client = ClientProcess.start("run", "--server", server.url(), "--generator", "wait")) {
      await().atMost(Duration.ofSeconds(60)).until(() -> client.out.contains("waiting"));
      // why type first: the answer waits in the pipe until the prompt (a line without an end) reads it
      client.type("y");
      client.interrupt();
      assertThat(client.exitCode()).as(client.stderr()).isEqualTo(2);
      assertThat(client.stderr()).contains("Cancel job", "[y/N]");
      String jobId = find(JOB, client.stderr());
      assertThat(server.server().jobs().status(jobId).state().wireName()).isEqualTo("cancelled");
    }
  }

  @Test
  void run_ctrlCAnsweredNo_leavesTheJobRunningAndSaysHowToFollowIt() throws Exception {
    try (ClientProcess client = ClientProcess.start("run", "--server", server.url(), "--generator", "wait")) {
      await().atMost(Duration.ofSeconds(60)).until(() -> client.out.contains("waiting"));
      // why type first: the answer waits in the pipe until the prompt (a line without an end) reads it
      client.type("n");
      client.interrupt();
      assertThat(client.exitCode()).isEqualTo(130);
      String jobId = find(JOB, client.stderr());
      assertThat(client.stderr()).contains("buildcast logs " + jobId);
      assertThat(server.server().jobs().status(jobId).state().wireName()).isEqualTo("running");
      Files.writeString(data.resolve("jobs").resolve(jobId).resolve("go"), "");
    }
  }

  @Test
  void logs_finishedJob_printsTheLogSinceN() throws Exception {
    JsonNode ticket = submit("{\"generator\":\"docs\"}");
    String jobId = ticket.get("jobId").asText();
    String token = ticket.get("token").asText();
    await().atMost(Duration.ofSeconds(60)).until(() -> server.server().jobs().status(jobId).state().isFinished());
    ClientProcess all = ClientProcess.run("logs", jobId, "--token", token, "--server", server.url(), "--detail");
    assertThat(all.exitCode()).isZero();
    assertThat(all.out).containsSubsequence("detail one", "▶ Build", "  building docs");
    ClientProcess later = ClientProcess.run("logs", jobId, "--token", token, "--server", server.url(), "--since", "5");
    assertThat(later.stdout()).doesNotContain("building docs").contains("careful");
    ClientProcess wrong = ClientProcess.run("logs", jobId, "--token", "wrong", "--server", server.url());
    assertThat(wrong.exitCode()).isEqualTo(3);
    assertThat(wrong.stderr()).contains("token");
  }

  @Test
  void logsFollow_runningJob_streamsUntilItEndsAndExitsWithItsOutcome() throws Exception {
    JsonNode ticket = submit("{\"generator\":\"wait\"}");
    String jobId = ticket.get("jobId").asText();
    try (ClientProcess client = ClientProcess.start("logs", jobId, "--token", ticket.get("token").asText(), "--server", server.url(), "--follow")) {
      await().atMost(Duration.ofSeconds(60)).until(() -> client.out.contains("waiting"));
      Files.writeString(data.resolve("jobs").resolve(jobId).resolve("go"), "");
      assertThat(client.exitCode()).isZero();
      assertThat(client.out).containsSubsequence("waiting", "released", "Job " + jobId + " succeeded.");
    }
  }

  @Test
  void download_allOrOneArtifact_savedUnderOutputKeepingPaths(@TempDir Path into) throws Exception {
    JsonNode ticket = submit("{\"generator\":\"docs\"}");
    String jobId = ticket.get("jobId").asText();
    String token = ticket.get("token").asText();
    await().atMost(Duration.ofSeconds(60)).until(() -> server.server().jobs().status(jobId).state().isFinished());
    ClientProcess all = ClientProcess.run("download", jobId, "--token", token, "--server", server.url(), "--output", into.toString());
    assertThat(all.exitCode()).as(all.stderr()).isZero();
    assertThat(Files.readString(into.resolve("result.txt"))).isEqualTo("out\n");
    assertThat(Files.readString(into.resolve("sub/page.html"))).isEqualTo("deep\n");

    Path one = into.resolve("one");
    ClientProcess single = ClientProcess.run("download", jobId, "--token", token, "--server", server.url(), "--output", one.toString(), "--artifact", "sub/page.html");
    assertThat(single.exitCode()).isZero();
    assertThat(one.resolve("sub/page.html")).exists();
    assertThat(one.resolve("result.txt")).doesNotExist();

    ClientProcess missing = ClientProcess.run("download", jobId, "--token", token, "--server", server.url(), "--artifact", "nope");
    assertThat(missing.exitCode()).isEqualTo(3);
    assertThat(missing.stderr()).contains("has no artifact 'nope'", "result.txt");
  }
}
