package dev.buildcast.web;

import dev.buildcast.testing.BrowserScenarios;
import dev.buildcast.testing.RunningServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page's states a user meets (issue 18), each in headless Chromium at desktop (1366×850) and
 * phone (390×844) size; scenarios in src/test/node/web/states-scenarios.mjs.
 */
class WebPageStatesIT {

  static final Duration TIMEOUT = Duration.ofMinutes(4);

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
          - name: quiet
            description: Reports progress only when the test says so
            command: [bash, %1$s/quiet.sh]
          - name: site
            description: Makes a small website
            command: [bash, %1$s/site.sh]
            site: site
          - name: short
            description: A few lines, one very long
            command: [bash, %1$s/short.sh]
          - name: upload
            description: Reports its input file
            command: [bash, %1$s/upload.sh]
            input: file
            params:
              - {name: label, description: A label for the job}
          - name: zipin
            description: Takes a zip
            command: [bash, %1$s/zip.sh]
            input: zip
        """.formatted(WebPageIT.GENERATORS);
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

  /** Runs the scenario at both sizes, in one browser. */
  private void bothSizes(String name) throws Exception {
    BrowserScenarios.run(server, "states-scenarios.mjs", TIMEOUT, request -> "unknown request", name + "@desktop", name + "@phone");
  }

  @Test
  void succeededSiteJob_offersOpenSite_andTheSiteWithItsLinksOpens() throws Exception {
    bothSizes("openSite");
  }

  @Test
  void copyInTheDetailedLog_showsItsToastAboveTheDialog_alsoWhenCopyFails() throws Exception {
    bothSizes("copyFeedback");
  }

  @Test
  void jobLinkThatCannotBeAJob_saysSoAtOnce_andARefusedIdStopsReconnecting() throws Exception {
    bothSizes("mangledLink");
  }

  @Test
  void fileThatIsNotAZip_isRefusedBeforeSending_andByTheServerWhenComplete() throws Exception {
    bothSizes("notZip");
  }

  @Test
  void cancelledUpload_dropsItsFigures_offersUploadAgain_andTakesTheSameFileAgain() throws Exception {
    bothSizes("uploadCancel");
  }

  @Test
  void cancelledJob_isNeutralNotAFailure_andCancelAsksFirst() throws Exception {
    bothSizes("cancelNeutral");
  }

  @Test
  void generatorListThatFailsToLoad_keepsItsErrorAfterTheSocketConnects_andCanBeRetried() throws Exception {
    bothSizes("generatorsFail");
  }

  @Test
  void jobs_showInputAndParameters_canRunAgain_andSayWhenTheInputExpired() throws Exception {
    bothSizes("jobsApart");
  }

  @Test
  void detailedLog_showsStepsWarningsAndErrors_andEachProblemLinksIntoIt() throws Exception {
    bothSizes("detailLevels");
  }

  @Test
  void jobWithoutReportedProgress_showsAnIndeterminateBar_untilItReportsSome() throws Exception {
    bothSizes("indeterminate");
  }

  @Test
  void pageWithoutAccess_offersNoJobTools_andNoLinkWithoutAToken() throws Exception {
    bothSizes("noAccess");
  }

  @Test
  void longLines_scrollToTheirEnd_andArtifactsAreInViewWhenTheJobEnds() throws Exception {
    bothSizes("layout");
  }

  @Test
  void smallerThings_lineNumberHint_countWithoutEndgroup_shortPane_noFollowWhenFinished_hintsAndLabels() throws Exception {
    bothSizes("details");
  }

  @Test
  void homeAndJobPages_haveNoAxeViolations() throws Exception {
    bothSizes("accessible");
  }
}
