package dev.buildcast.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The {@code socket:} section. */
class SocketConfigTest {

  @Test
  void fromYaml_noSection_compressionOffWithDefaultThreshold() {
    assertThat(BuildcastConfig.fromYaml("maxConcurrentJobs: 2\n", "t").socket()).isEqualTo(new SocketConfig(false, 1024));
  }

  @Test
  void fromYaml_compressionAndThreshold_areRead() {
    SocketConfig s = BuildcastConfig.fromYaml("socket: {compression: true, compressionThreshold: 4KiB}", "t").socket();
    assertThat(s).isEqualTo(new SocketConfig(true, 4096));
  }

  @Test
  void fromYaml_thresholdOverSixteenMebibytes_isRefusedSayingTheMaximum() {
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("socket: {compressionThreshold: 1GB}", "t"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("socket.compressionThreshold must be at most 16MiB");
  }

  @Test
  void fromYaml_unknownKey_isRefusedNamingTheKnownOnes() {
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("socket: {deflate: true}", "t"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key 'deflate'").hasMessageContaining("compression");
  }
}
