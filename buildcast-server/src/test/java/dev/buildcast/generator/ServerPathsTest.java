package dev.buildcast.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.testing.RecordingLogSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ServerPaths}: what a job's users see names no folder of the server. */
class ServerPathsTest {

  @TempDir Path data;

  @Test
  void hidden_pathsOfTheJobTheInputAndTheDataFolder_becomeRelative() throws Exception {
    Path job = Files.createDirectories(data.resolve("jobs/AAAAAAAAAAAAAAAAAAAAAA"));
    Path upload = data.resolve("uploads/BBBBBBBBBBBBBBBBBBBBBB");
    JobContext context = new JobContext("AAAAAAAAAAAAAAAAAAAAAA", job.resolve("work"), job.resolve("output"),
        Optional.of(upload), Map.of(), new RecordingLogSink(), "n1");

    assertThat(ServerPaths.hidden(job.resolve("work/export/images") + " exists", context)).isEqualTo("work/export/images exists");
    assertThat(ServerPaths.hidden("cannot open " + upload, context)).isEqualTo("cannot open the input file");
    assertThat(ServerPaths.hidden("under " + job, context)).isEqualTo("under the job's folder");
    assertThat(ServerPaths.hidden("see " + data.resolve("jobs/other/job.json"), context)).isEqualTo("see jobs/other/job.json");
    assertThat(ServerPaths.hidden(null, context)).isEmpty();
  }
}
