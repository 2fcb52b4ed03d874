package dev.buildcast.generator.openevent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.log.LogLevel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14, item 9: a file error names the path relative to the job, never the server's folders. */
class OpenEventServerPathsTest {

  @TempDir Path temp;

  @Test
  void generate_zipWithFileAndFolderOfTheSameName_errorNamesThePathRelativeToTheJob() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab().file("images", ExportZip.image("a")).file("images/a.png", ExportZip.image("b")));

    assertThat(run.exitCode).isEqualTo(1);
    String error = run.log.texts(LogLevel.ERROR).getLast();
    assertThat(error).startsWith("could not read or write a file: ").contains("export/images");
    assertThat(String.join("\n", run.log.texts(LogLevel.ERROR))).doesNotContain(temp.toString());
    assertThat(String.join("\n", run.log.texts(LogLevel.DETAIL))).doesNotContain(temp.toString());
  }
}
