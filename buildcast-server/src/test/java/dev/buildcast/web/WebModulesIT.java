package dev.buildcast.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The page's DOM-free modules under node's test runner (src/test/node/web/unit). */
class WebModulesIT {

  @Test
  void pageModules_passTheirUnitTests() throws Exception {
    Process node = new ProcessBuilder("node", "--test", "web/unit/")
        .directory(Path.of("src", "test", "node").toAbsolutePath().toFile())
        .redirectErrorStream(true)
        .start();
    String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
    System.out.println(output);
    assertThat(node.exitValue()).as(output).isZero();
  }
}
