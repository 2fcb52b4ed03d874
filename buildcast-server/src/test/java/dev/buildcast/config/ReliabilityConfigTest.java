package dev.buildcast.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code logs:}, {@code retention:} and {@code limits:} sections. */
class ReliabilityConfigTest {

  @Test
  void fromYaml_noSections_givesDefaults() {
    BuildcastConfig c = BuildcastConfig.fromYaml("maxConcurrentJobs: 2\n", "test");
    assertThat(c.logs().maxBytesPerJob()).isEqualTo(100_000_000L);
    assertThat(c.retention().jobs()).isEqualTo(Duration.ofDays(7));
    assertThat(c.limits()).isEqualTo(new LimitsConfig(50, 30));
  }

  @Test
  void fromYaml_everySection_isRead() {
    BuildcastConfig c = BuildcastConfig.fromYaml("""
        logs: {maxBytesPerJob: 2MB}
        retention: {jobs: 12h}
        limits: {connectionsPerIp: 5, jobsPerIpPerMinute: 3}
        """, "test");
    assertThat(c.logs().maxBytesPerJob()).isEqualTo(2_000_000L);
    assertThat(c.retention().jobs()).isEqualTo(Duration.ofHours(12));
    assertThat(c.limits()).isEqualTo(new LimitsConfig(5, 3));
  }

  @Test
  void fromYaml_proxyProtocol_isOffUnlessSetTrue() {
    assertThat(BuildcastConfig.fromYaml("maxConcurrentJobs: 2\n", "t").proxyProtocol()).isFalse();
    assertThat(BuildcastConfig.fromYaml("proxyProtocol: true\n", "t").proxyProtocol()).isTrue();
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("proxyProtocol: sometimes\n", "t"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("sometimes");
  }

  @Test
  void fromYaml_sizeInBytesMebibytesOrGigabytes_isRead() {
    assertThat(BuildcastConfig.fromYaml("logs: {maxBytesPerJob: 1048576}", "t").logs().maxBytesPerJob()).isEqualTo(1L << 20);
    assertThat(BuildcastConfig.fromYaml("logs: {maxBytesPerJob: 50MiB}", "t").logs().maxBytesPerJob()).isEqualTo(50L << 20);
    assertThat(BuildcastConfig.fromYaml("logs: {maxBytesPerJob: 3gb}", "t").logs().maxBytesPerJob()).isEqualTo(3_000_000_000L);
  }

  @Test
  void fromYaml_limitBelowOneMegabyte_isRefusedSayingTheMinimum() {
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("logs: {maxBytesPerJob: 500KB}", "t"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("logs.maxBytesPerJob must be at least 1MB");
  }

  @Test
  void fromYaml_badSize_isRefusedWithAnExample() {
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("logs: {maxBytesPerJob: lots}", "t"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("is not a size");
  }

  @Test
  void fromYaml_unknownKeyInASection_isRefused() {
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("limits: {jobsPerMinute: 3}", "t"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key 'jobsPerMinute'");
  }

  @Test
  void fromYaml_zeroLimit_isRefused() {
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("limits: {connectionsPerIp: 0}", "t"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("limits.connectionsPerIp must be from 1");
  }

  @Test
  void fromYaml_badRetention_isRefused() {
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("retention: {jobs: forever}", "t"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("retention.jobs");
  }
}
