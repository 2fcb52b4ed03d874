package dev.buildcast.generator.openevent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated site in headless Chromium, opened from file:// as a visitor who unzipped it would:
 * readable with JavaScript off, no page wider than a phone (a long unbroken title included), and
 * site.js's day tabs, filters, stars, click-to-load video and share links working. The checks are in
 * {@code src/test/node/web/open-event-site.mjs}.
 */
class OpenEventSiteBrowserIT {

  private static final Path NODE_DIR = Path.of("src", "test", "node").toAbsolutePath();
  private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

  @TempDir Path temp;

  @Test
  void site_inChromiumFromFile_worksWithoutScriptFitsAPhoneAndItsScriptBehaves() throws Exception {
    assertThat(Files.isExecutable(CHROMIUM)).as("browser tests need Chromium at %s", CHROMIUM).isTrue();
    JobRun run = JobRun.of(temp, Fixtures.kebab().json("sessions", """
        [{"id": 1000, "title": "Opening", "starts-at": "2017-03-17T01:00:00Z", "ends-at": "2017-03-17T01:30:00Z",
          "track": {"id": 1}, "microlocation": {"id": 10}, "speakers": [{"id": 100}]},
         {"id": 1005, "title": "Early talk", "starts-at": "2017-03-17T08:00:00+08:00",
          "ends-at": "2017-03-17T08:30:00+08:00", "microlocation": {"id": 10}},
         {"id": 1001, "title": "Second day talk", "starts-at": "2017-03-18T10:00:00+08:00",
          "ends-at": "2017-03-18T11:00:00+08:00", "track": {"id": 1}, "microlocation": {"id": 11}},
         {"id": 9001, "title": "%s", "starts-at": "2017-03-18T12:00:00+08:00", "microlocation": {"id": 10},
          "video-url": "https://youtu.be/dQw4w9WgXcQ"}]
        """.formatted("Averyveryverylongtitlewithoutanyspaces".repeat(8))));
    assertThat(run.exitCode).isZero();

    Path log = temp.resolve("node.log");
    Process node = new ProcessBuilder("node", "web/open-event-site.mjs", run.site().toString())
        .directory(NODE_DIR.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    node.getOutputStream().close(); // nothing to ask: the script's stdin ends at once
    boolean ended = node.waitFor(5, TimeUnit.MINUTES);
    if (!ended) {
      node.descendants().forEach(ProcessHandle::destroyForcibly);
      node.destroyForcibly().waitFor();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(ended).as(output).isTrue();
    assertThat(node.exitValue()).as(output).isZero();
    assertThat(output).contains("PASS phone: no page is wider than the screen", "PASS video:", "PASS share links:").doesNotContain("FAIL");
  }
}
