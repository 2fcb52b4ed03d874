package dev.buildcast.generator.openevent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.log.LogLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An unusable input fails the job with one basic error line naming the file and the fault. */
class OpenEventBrokenInputTest {

  @TempDir Path temp;

  @Test
  void generate_notAZip_failsNamingTheUpload() throws Exception {
    Path upload = Files.writeString(temp.resolve("export.zip"), "this is plain text, not a zip");

    JobRun run = JobRun.of(temp, upload, new RecordingLogSink());

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.log.texts(LogLevel.ERROR)).singleElement().asString()
        .startsWith("the uploaded file export.zip is not a zip archive");
  }

  @Test
  void generate_noInput_fails() throws Exception {
    JobRun run = JobRun.of(temp, null, new RecordingLogSink());

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.log.texts(LogLevel.ERROR)).containsExactly("no input: upload an Open Event export zip");
  }

  @Test
  void generate_noEventFile_failsSayingItIsNotAnExport() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab().without("event"));

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.log.texts(LogLevel.ERROR))
        .containsExactly("the zip has no \"event\" file at its root: this is not an Open Event export");
  }

  @Test
  void generate_invalidJson_failsNamingFileLineAndColumn() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab().json("sessions", "[\n  {\"id\": 1,\n   \"title\": oops}\n]"));

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.log.texts(LogLevel.ERROR)).singleElement().asString()
        .startsWith("sessions: invalid JSON at line 3, column ")
        .contains("oops");
  }

  @Test
  void generate_trailingGarbageAfterJson_failsAsInvalid() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab().json("speakers", "[] ]"));

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.log.texts(LogLevel.ERROR)).singleElement().asString().startsWith("speakers: invalid JSON at line 1");
  }

  @Test
  void generate_eventNotAnObject_failsNamingTheShape() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab().json("event", "[]"));

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.log.texts(LogLevel.ERROR)).containsExactly("event: expected a JSON object, found array");
  }

  @Test
  void generate_listNotAnArray_failsNamingTheFile() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab().json("tracks", "{\"id\": 1}"));

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.log.texts(LogLevel.ERROR)).containsExactly("tracks: expected a JSON array, found object");
  }

  @Test
  void generate_emptyEventFile_fails() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab().json("event", ""));

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.log.texts(LogLevel.ERROR)).containsExactly("event: the file is empty, expected JSON");
  }

  @Test
  void generate_brokenInput_writesErrorInsideTheFailingStepAndNoArtifact() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab().json("event", "{"));

    assertThat(run.log.basic()).endsWith(
        "group: Reading and checking the data", run.log.basic().get(run.log.basic().size() - 2), "endgroup: ");
    assertThat(run.log.basic().get(run.log.basic().size() - 2)).startsWith("error: event: invalid JSON");
    assertThat(run.outputDir.resolve("site.zip")).doesNotExist();
    assertThat(run.workDir.resolve("export")).doesNotExist();
  }

  @Test
  void read_jsonFileOverTheSizeLimit_isRefusedBeforeParsing() throws Exception {
    Path export = Files.createDirectories(temp.resolve("export"));
    Files.writeString(export.resolve("sessions"), "[" + " ".repeat(200) + "]");
    ExportFiles files = new ExportFiles(export, new RecordingLogSink(), 100);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> files.list("sessions"))
        .isInstanceOf(BrokenExportException.class)
        .hasMessage("sessions: the file has 202 bytes, more than the 100 a JSON file of the export may have (memory limit check)");
  }

  @Test
  void generate_badLanguageParameter_failsBeforeReading() throws Exception {
    RecordingLogSink log = new RecordingLogSink();
    var context = new dev.buildcast.generator.JobContext("j", temp, temp, java.util.Optional.empty(),
        java.util.Map.of("language", "\"><script>"), log, "n1");

    assertThat(new OpenEventSiteGenerator().run(context)).isEqualTo(1);
    assertThat(log.texts(LogLevel.ERROR)).singleElement().asString().startsWith("parameter language");
  }
}
