package dev.buildcast.web;

import dev.buildcast.testing.BrowserScenarios;
import dev.buildcast.testing.RunningServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job with a million detailed lines in headless Chromium: the detailed dialog opens, scrolls,
 * searches and copies without freezing. Prints the measured figures; bounds are loose on purpose.
 */
class WebHugeLogIT {

  @TempDir Path data;
  RunningServer server;

  @BeforeEach
  void start() throws Exception {
    server = RunningServer.start(data, """
        generators:
          - name: huge
            description: A million detail lines
            command: [bash, %s/huge.sh]
        """.formatted(WebPageIT.GENERATORS));
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  @Test
  void millionLineJob_opensScrollsSearchesAndCopies() throws Exception {
    List<String> output = BrowserScenarios.run(server, "huge-scenarios.mjs", Duration.ofMinutes(8), request -> "", "huge");
    System.out.printf("million-line job: first render %s ms, loaded in %s ms, JS heap %s MB after load, longest frame gap %s ms%n",
        BrowserScenarios.figure(output, "first_render_ms"), BrowserScenarios.figure(output, "load_ms"),
        BrowserScenarios.figure(output, "js_heap_after_load_mb"),
        BrowserScenarios.figure(output, "longest_frame_gap_while_loading_ms"));
  }
}
