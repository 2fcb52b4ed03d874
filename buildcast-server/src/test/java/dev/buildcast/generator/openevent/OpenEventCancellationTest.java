package dev.buildcast.generator.openevent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.log.LogLevel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An interrupt (cancel or timeout) stops the job within one item and surfaces as InterruptedException. */
class OpenEventCancellationTest {

  @TempDir Path temp;

  @Test
  void run_interruptedWhileRenderingPages_stopsAfterTheCurrentPage() throws Exception {
    RecordingLogSink log = new RecordingLogSink()
        .interruptingWhen(line -> line.text().startsWith("wrote sessions/"));
    Path zip = Fixtures.kebab().writeTo(temp.resolve("export.zip"));

    assertThatThrownBy(() -> JobRun.of(temp, zip, log)).isInstanceOf(InterruptedException.class);

    assertThat(log.texts(LogLevel.DETAIL).stream().filter(t -> t.startsWith("wrote sessions/")))
        .hasSize(1);
    assertThat(log.texts(LogLevel.GROUP)).doesNotContain("Packaging");
    assertThat(log.texts(LogLevel.ENDGROUP)).hasSize(4);
  }

  @Test
  void run_interruptedWhileUnpacking_stopsBeforeReading() throws Exception {
    RecordingLogSink log = new RecordingLogSink().interruptingWhen(line -> line.text().equals("unpacked event"));
    Path zip = Fixtures.snake().writeTo(temp.resolve("export.zip"));

    assertThatThrownBy(() -> JobRun.of(temp, zip, log)).isInstanceOf(InterruptedException.class);

    assertThat(log.texts(LogLevel.DETAIL).stream().filter(t -> t.startsWith("unpacked "))).hasSize(1);
    assertThat(log.texts(LogLevel.GROUP)).containsExactly("Unpacking the export");
  }

  @Test
  void run_interruptedWhileReadingRecords_stopsWithinTheList() throws Exception {
    RecordingLogSink log = new RecordingLogSink().interruptingWhen(line -> line.text().startsWith("read sessions"));
    Path zip = Fixtures.kebab().writeTo(temp.resolve("export.zip"));

    assertThatThrownBy(() -> JobRun.of(temp, zip, log)).isInstanceOf(InterruptedException.class);

    assertThat(log.texts(LogLevel.DETAIL)).noneMatch(t -> t.startsWith("data problem: session"));
    assertThat(log.texts(LogLevel.GROUP)).doesNotContain("Copying images and audio");
  }
}
