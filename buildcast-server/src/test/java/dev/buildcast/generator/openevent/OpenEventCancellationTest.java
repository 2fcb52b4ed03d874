package dev.buildcast.generator.openevent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.log.LogLevel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
  void run_interruptedFromAnotherThread_throwsInterruptedExceptionAndLeavesNoArtifact() throws Exception {
    ExportZip big = Fixtures.snake();
    StringBuilder sessions = new StringBuilder("[");
    for (int i = 1; i <= 1000; i++) {
      sessions.append(i > 1 ? "," : "").append("{\"id\": ").append(i).append(", \"title\": \"Talk ").append(i)
          .append("\", \"start_time\": \"2018-05-10T12:00:00Z\", \"speakers\": [{\"id\": 3412}]}");
    }
    Path zip = big.json("sessions", sessions.append(']').toString()).writeTo(temp.resolve("export.zip"));
    CountDownLatch rendering = new CountDownLatch(1);
    RecordingLogSink log = new RecordingLogSink().interruptingWhen(line -> {
      if (line.text().equals("Rendering pages")) rendering.countDown();
      return false;
    });
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread job = Thread.ofVirtual().start(() -> {
      try {
        outcome.set(JobRun.of(temp, zip, log).exitCode);
      } catch (Exception e) {
        outcome.set(e);
      }
    });

    assertThat(rendering.await(60, TimeUnit.SECONDS)).isTrue();
    job.interrupt();
    job.join(Duration.ofSeconds(30));

    assertThat(job.isAlive()).isFalse();
    assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
    assertThat(temp.resolve("output/site.zip")).doesNotExist();
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
