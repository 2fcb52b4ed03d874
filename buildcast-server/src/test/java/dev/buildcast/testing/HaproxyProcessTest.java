package dev.buildcast.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HaproxyProcessTest {

  private static final Map<String, String> SERVERS = Map.of("n1", "127.0.0.1:41001", "n2", "127.0.0.1:41002", "n3", "127.0.0.1:41003");

  @Test
  void fill_readmeConfig_replacesOnlyTheBindAndTheServersAddresses() throws Exception {
    String template = Files.readString(HaproxyProcess.README_CONFIG);

    String filled = HaproxyProcess.fill(template, 40999, SERVERS);

    assertThat(filled).contains("    bind 127.0.0.1:40999\n")
        .contains("    server n1 127.0.0.1:41001 check inter 2s fall 2 rise 2\n")
        .contains("    server n3 127.0.0.1:41003 check inter 2s fall 2 rise 2")
        .doesNotContain(":8080", ":8081", ":8082", ":8083");
    assertThat(filled.lines().count()).isEqualTo(template.lines().count());
    assertThat(filled.replaceAll("127\\.0\\.0\\.1:4\\d{4}", "X").replaceAll("bind \\S+", "bind X"))
        .isEqualTo(template.replaceAll("127\\.0\\.0\\.1:808\\d", "X").replaceAll("bind \\S+", "bind X"));
  }

  @Test
  void fill_serverTheTestDoesNotKnow_failsNamingIt() {
    assertThatThrownBy(() -> HaproxyProcess.fill("frontend f\n    bind :80\nbackend b\n    server n4 10.0.0.1:80 check\n", 1, SERVERS))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n4");
  }

  @Test
  void fill_twoBindLines_fails() {
    assertThatThrownBy(() -> HaproxyProcess.fill("frontend f\n    bind :80\n    bind :81\n", 1, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 bind lines");
  }

  @Test
  void readme_quotesTheTestedConfigurationWordForWord() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    String config = Files.readString(HaproxyProcess.README_CONFIG);

    assertThat(readme).contains("```haproxy\n" + config + "```\n");
  }
}
