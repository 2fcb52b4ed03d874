package dev.buildcast.generator.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.buildcast.generator.JobContext;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocsSiteCancellationTest {

  @TempDir Path temp;

  /** Interrupts the job's own thread when a given basic line is written: a cancel at exactly that step. */
  private static LogSink interruptingAt(String line) {
    return new LogSink() {
      @Override
      public void append(LogLevel level, String text) {
        if (text.equals(line)) Thread.currentThread().interrupt();
      }

      @Override
      public void progress(int percentage) {}

      @Override
      public void mask(String secret) {}
    };
  }

  @Test
  void run_interruptedWhileBuilding_throwsInterruptedExceptionAndWritesNoZip() throws Exception {
    RepoFixture repo = new RepoFixture();
    for (int i = 0; i < 20; i++) repo.text("docs/p" + i + ".md", "# P" + i + "\n");
    Path zip = repo.zipTo(temp.resolve("repo.zip"), "");
    Path work = Files.createDirectories(temp.resolve("work"));
    Path output = Files.createDirectories(temp.resolve("output"));
    JobContext context = new JobContext("job-1", work, output, Optional.of(zip), Map.of(), interruptingAt("Building 20 pages"), "n1");

    Throwable thrown = catchThrowable(() -> new DocsSiteGenerator(DocsSiteSettings.defaults(), Clock.systemUTC()).run(context));

    assertThat(thrown).isInstanceOf(InterruptedException.class);
    assertThat(output.resolve("site.zip")).doesNotExist();
    assertThat(Thread.interrupted()).isFalse();
  }
}
