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
    assertThat(o.help()).isFalse();
  }

  @Test
  void parse_environment_setsEveryOption() {
    ServerOptions o = ServerOptions.parse(new String[0], Map.of(
        "BUILDCAST_HOST", "0.0.0.0", "BUILDCAST_PORT", "9000", "BUILDCAST_DATA_DIR", "/srv/bc", "BUILDCAST_CONFIG", "/etc/bc.yaml"));
    assertThat(o).isEqualTo(new ServerOptions("0.0.0.0", 9000, Path.of("/srv/bc"), java.util.Optional.of(Path.of("/etc/bc.yaml")), false));
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
    assertThat(ServerOptions.USAGE).contains("--host", "--port", "--data-dir", "--config", "BUILDCAST_PORT");
  }

  @Test
  void parse_badInput_failsWithAClearMessage() {
    assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--port", "70000"}, Map.of())).hasMessageContaining("0 to 65535");
    assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--port", "abc"}, Map.of())).hasMessageContaining("'abc'");
    assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--port"}, Map.of())).hasMessageContaining("--port needs a value");
    assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--bogus"}, Map.of())).hasMessageContaining("Unknown option --bogus");
  }
}
