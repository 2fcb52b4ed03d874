package dev.buildcast.web;

import dev.buildcast.testing.BrowserScenarios;
import dev.buildcast.testing.RunningServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page at "/" end to end in headless Chromium (scenarios in src/test/node/web/page-scenarios.mjs). */
class WebPageIT {

  static final Path GENERATORS = Path.of("src", "test", "node", "web", "generators").toAbsolutePath();
  static final Duration TIMEOUT = Duration.ofMinutes(3);

  static String config() {
    return """
        maxConcurrentJobs: 8
        generators:
          - name: steps
            description: Steps, a warning, an error, colours and artifacts
            command: [bash, %1$s/steps.sh]
            params:
              - {name: title, description: Shown in the last line}
          - name: live
            description: Waits for the test between lines
            command: [bash, %1$s/live.sh]
          - name: ticker
            description: Many lines, pausing for the test
            command: [bash, %1$s/ticker.sh]
          - name: detail
            description: Three thousand detail lines
            command: [bash, %1$s/detail.sh]
          - name: upload
            description: Reports its input file
            command: [bash, %1$s/upload.sh]
            input: file
        """.formatted(GENERATORS);
  }

  @TempDir Path data;
  RunningServer server;

  @BeforeEach
  void start() throws Exception {
    server = RunningServer.start(data, config());
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  private void scenario(String name) throws Exception {
    BrowserScenarios.run(server, "page-scenarios.mjs", TIMEOUT, this::answer, name);
  }

  /** Requests from the scenarios that only the server side can carry out. */
  private String answer(String request) {
    if (request.startsWith("drop ")) {
      String name = request.substring(5);
      String namespace = name.startsWith("/") ? name : "/" + name;
      // why: closing the whole connection is what a network drop looks like to the client
      server.server().socketIo().of(namespace).ifPresent(ns -> ns.sockets().forEach(s -> s.disconnect(true)));
      return "dropped";
    }
    return "unknown request";
  }

  @Test
  void generate_followsTheJobToTheEnd_withStepsProblemsColoursArtifactsAndRecentJobs() throws Exception {
    scenario("generate");
  }

  @Test
  void live_linesAppearInOrderWhileTheJobRuns_andTheDetailedLogFollowsAcrossADrop() throws Exception {
    scenario("live");
  }

  @Test
  void cancel_stopsTheJobFromThePage() throws Exception {
    scenario("cancel");
  }

  @Test
  void detail_dialogShowsTheWholeLog_searchCountsEveryMatch_copyAndDownloadGiveTheLog() throws Exception {
    scenario("detail");
  }

  @Test
  void links_selectAndScrollToTheLine_inAnotherBrowserAndAfterReload() throws Exception {
    scenario("links");
  }

  @Test
  void reconnect_afterTheServerDropsTheConnection_resumesWithNoLineMissingOrTwice() throws Exception {
    scenario("reconnect");
  }

  @Test
  void upload_showsTheServersProgress_thenGeneratesWithTheFile_andCancels() throws Exception {
    scenario("upload");
  }

  @Test
  void uploadResume_afterADroppedConnection_completesWithTheWholeFile() throws Exception {
    scenario("uploadResume");
  }

  @Test
  void phone_pageAndDialogFitASmallScreen() throws Exception {
    scenario("phone");
  }
}
