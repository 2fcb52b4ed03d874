package dev.buildcast.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.upload.UploadLimits;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code uploads:} section of the configuration. */
class UploadConfigTest {

  @Test
  void load_noUploadsSection_defaults512MiB4Unfinished24h() {
    UploadLimits limits = BuildcastConfig.fromYaml("maxConcurrentJobs: 2\n", "test.yaml").uploads();
    assertThat(limits.maxBytes()).isEqualTo(512L << 20);
    assertThat(limits.maxUnfinishedPerAddress()).isEqualTo(4);
    assertThat(limits.expireAfter()).isEqualTo(Duration.ofHours(24));
    assertThat(limits.maxBytesPerAddress()).isEqualTo(1L << 30);
    assertThat(limits.maxUploadsPerAddress()).isEqualTo(1000);
  }

  @Test
  void load_perAddressKeys_read() {
    UploadLimits limits = BuildcastConfig.fromYaml("uploads: {maxUnfinishedPerAddress: 6, maxBytesPerAddress: 5GiB, maxUploadsPerAddress: 50}\n", "t").uploads();
    assertThat(limits.maxUnfinishedPerAddress()).isEqualTo(6);
    assertThat(limits.maxBytesPerAddress()).isEqualTo(5L << 30);
    assertThat(limits.maxUploadsPerAddress()).isEqualTo(50);
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("uploads: {maxUnfinishedPerAddress: 6, maxUnfinishedPerConnection: 6}\n", "t"))
        .hasMessageContaining("keep only maxUnfinishedPerAddress");
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("uploads: {maxUploadsPerAddress: 0}\n", "t")).hasMessageContaining("uploads.maxUploadsPerAddress");
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("uploads: {maxBytesPerAddress: lots}\n", "t")).hasMessageContaining("uploads.maxBytesPerAddress");
  }

  @Test
  void load_everyKey_readsSizesAndDurations() {
    UploadLimits limits = BuildcastConfig.fromYaml("""
        uploads:
          maxBytes: 2GiB
          maxUnfinishedPerConnection: 8
          expireAfter: 2h
          zipMaxEntries: 50
          zipMaxUnpackedBytes: 100MB
        """, "test.yaml").uploads();
    assertThat(limits.maxBytes()).isEqualTo(2L << 30);
    assertThat(limits.maxUnfinishedPerAddress()).isEqualTo(8);
    assertThat(limits.expireAfter()).isEqualTo(Duration.ofHours(2));
    assertThat(limits.zipMaxEntries()).isEqualTo(50);
    assertThat(limits.zipMaxUnpackedBytes()).isEqualTo(100_000_000L);
  }

  @Test
  void load_plainNumberOfBytes_accepted() {
    assertThat(BuildcastConfig.fromYaml("uploads: {maxBytes: 1048576}\n", "t").uploads().maxBytes()).isEqualTo(1_048_576);
  }

  @Test
  void load_badValues_refusedNamingTheKey() {
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("uploads: {maxBytes: lots}\n", "t"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("uploads.maxBytes");
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("uploads: {maxUnfinishedPerConnection: 0}\n", "t"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("uploads.maxUnfinishedPerConnection");
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("uploads: {expireAfter: soon}\n", "t"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("uploads.expireAfter");
    assertThatThrownBy(() -> BuildcastConfig.fromYaml("uploads: {maxSize: 1}\n", "t"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("maxSize").hasMessageContaining("maxBytes");
  }
}
