package dev.buildcast.generator.openevent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.log.LogLevel;
import java.nio.file.Path;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Problems in single records are reported and worked around, never fatal. */
class OpenEventDataProblemsTest {

  @TempDir Path temp;

  @Test
  void generate_badRecords_succeedsAndReportsEachProblemAsDetailLine() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab());

    assertThat(run.exitCode).isZero();
    assertThat(run.log.texts(LogLevel.DETAIL))
        .contains(
            "data problem: session 1000: points at speaker 999, who is not in the export; left out",
            "data problem: session 1002: starts-at \"next tuesday\" is not a date and time; left out",
            "data problem: session 1002: points at track 99, which is not in the export; left out",
            "data problem: session 1004: no title; skipped",
            "data problem: speaker (no id): missing or unusable id; skipped",
            "data problem: speaker 102 photo: image \"/images/speakers/missing.png\" is missing from the zip; left out",
            "data problem: track 2: colour \"red;background:url(x)\" is not a #hex colour; left out",
            "data problem: sponsor 2: url \"javascript:alert(1)\" is not an http(s) address; left out",
            "session 1003 left out: its state is \"draft\"");
  }

  @Test
  void generate_badRecords_summarisesProblemCountInOneBasicWarning() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab());

    assertThat(run.log.texts(LogLevel.WARNING)).singleElement().asString()
        .startsWith("8 data problems while reading the data");
    assertThat(run.log.texts(LogLevel.ERROR)).isEmpty();
  }

  @Test
  void generate_badRecords_skipsBrokenRecordsAndShowsOthersWithoutTheBrokenField() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab());

    assertThat(run.site().resolve("sessions/1004.html")).doesNotExist();
    assertThat(run.site().resolve("sessions/1003.html")).doesNotExist();
    Document broken = run.page("sessions/1002.html");
    assertThat(broken.select("dl.facts").text()).contains("Not yet scheduled").doesNotContain("Track");
    Document missingPhoto = run.page("speakers/102.html");
    assertThat(missingPhoto.select("img")).isEmpty();
    assertThat(run.page("tracks.html").selectFirst("h2#track-2").hasAttr("style")).isFalse();
  }

  @Test
  void generate_recordThatIsNotAnObject_isSkippedWithDetailLine() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.snake().json("microlocations", "[42, {\"id\": 690, \"name\": \"Hall\"}, {\"id\": 690, \"name\": \"Dup\"}]"));

    assertThat(run.exitCode).isZero();
    assertThat(run.log.texts(LogLevel.DETAIL)).contains(
        "data problem: a room entry is not a JSON object; skipped",
        "data problem: room 690: the id appears twice; the second one is skipped");
    assertThat(run.page("rooms.html").select("h2").eachText()).containsExactly("Hall");
  }

  @Test
  void generate_missingOptionalList_readsItAsEmpty() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.snake().without("sponsors").without("microlocations"));

    assertThat(run.exitCode).isZero();
    assertThat(run.log.texts(LogLevel.DETAIL)).contains("no \"sponsors\" file in the export: reading it as empty");
    assertThat(run.page("sponsors.html").text()).contains("No sponsors listed.");
  }
}
