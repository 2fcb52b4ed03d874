package dev.buildcast.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerOptionsTest {

  @Test
  void parse_nothing_givesTheDefaults() {
    ServerOptions o = ServerOptions.parse(new String[0], Map.of());
    assertThat(o.host()).isEqualTo("127.0.0.1");
    assertThat(o.port()).isEqualTo(8080);
    assertThat(o.dataDir()).isEqualTo(Path.of("data"));
    assertThat(o.configFile()).isEmpty();
    assertThat(o.nodeId()).isEmpty();
    assertThat(o.help()).isFalse();
  }

  @Test
  void parse_environment_setsEveryOption() {
    ServerOptions o = ServerOptions.parse(new String[0], Map.of(
        "BUILDCAST_HOST", "0.0.0.0", "BUILDCAST_PORT", "9000", "BUILDCAST_DATA_DIR", "/srv/bc", "BUILDCAST_CONFIG", "/etc/bc.yaml",
        "BUILDCAST_NODE_ID", "n1"));
    assertThat(o).isEqualTo(new ServerOptions("0.0.0.0", 9000, Path.of("/srv/bc"), java.util.Optional.of(Path.of("/etc/bc.yaml")),
        java.util.Optional.of("n1"), false));
  }

  @Test
  void parse_commandLine_winsOverEnvironmentInBothForms() {
    ServerOptions o = ServerOptions.parse(new String[] {"--port", "0", "--host=::1", "--data-dir", "d", "--config=c.yaml"},
        Map.of("BUILDCAST_PORT", "9000", "BUILDCAST_HOST", "0.0.0.0"));
    assertThat(o.port()).isZero();
    assertThat(o.host()).isEqualTo("::1");
    assertThat(o.dataDir()).isEqualTo(Path.of("d"));
    assertThat(o.configFile()).contains(Path.of("c.yaml"));
  }

  @Test
  void parse_help_isRecognised() {
    assertThat(ServerOptions.parse(new String[] {"--help"}, Map.of()).help()).isTrue();
    assertThat(ServerOptions.USAGE).contains("--host", "--port", "--data-dir", "--config", "BUILDCAST_PORT", "--node-id", "BUILDCAST_NODE_ID");
  }

  @Test
  void parse_badInput_failsWithAClearMessage() {
    assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--port", "70000"}, Map.of())).hasMessageContaining("0 to 65535");
    assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--port", "abc"}, Map.of())).hasMessageContaining("'abc'");
    assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--port"}, Map.of())).hasMessageContaining("--port needs a value");
    assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--bogus"}, Map.of())).hasMessageContaining("Unknown option --bogus");
  }

  @Test
  void parse_nodeId_optionWinsOverEnvironmentInBothForms() {
    Map<String, String> env = Map.of("BUILDCAST_NODE_ID", "from-env");
    assertThat(ServerOptions.parse(new String[] {"--node-id", "n7"}, env).nodeId()).contains("n7");
    assertThat(ServerOptions.parse(new String[] {"--node-id=eu-1-node-03"}, env).nodeId()).contains("eu-1-node-03");
    assertThat(ServerOptions.parse(new String[0], env).nodeId()).contains("from-env");
    assertThat(ServerOptions.parse(new String[0], Map.of("BUILDCAST_NODE_ID", "")).nodeId()).isEmpty();
  }

  @Test
  void parse_nodeIdOptionInvalid_failsNamingTheOptionAndTheRule() {
    for (String bad : new String[] {"", "n.2", "n_2", "n 2", "nœud", "n2\n", "a".repeat(33)}) {
      assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--node-id", bad}, Map.of()))
          .as("--node-id %s", bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("--node-id must be 1 to 32 letters, digits or '-'")
          .hasMessageEndingWith("got '" + bad + "'.");
    }
    assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--node-id"}, Map.of())).hasMessageContaining("--node-id needs a value");
  }

  @Test
  void parse_nodeIdEnvironmentInvalid_failsNamingTheVariable() {
    assertThatThrownBy(() -> ServerOptions.parse(new String[0], Map.of("BUILDCAST_NODE_ID", "n1.eu")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("BUILDCAST_NODE_ID must be 1 to 32 letters, digits or '-'")
        .hasMessageEndingWith("got 'n1.eu'.");
  }

  @Test
  void parse_invalidEnvironmentNodeIdOverriddenByOption_theOptionIsUsed() {
    assertThat(ServerOptions.parse(new String[] {"--node-id", "n2"}, Map.of("BUILDCAST_NODE_ID", "bad.id")).nodeId()).contains("n2");
  }
}
