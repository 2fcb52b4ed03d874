package dev.buildcast.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class RedisServerProcessTest {

  @Test
  void requireInstalled_missingOutsideCi_skipsNamingTheDebianPackage() {
    assertThatThrownBy(() -> RedisServerProcess.requireInstalled("no-such-redis-server", Map.of("PATH", "/usr/bin:/bin")))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("Debian package redis-server");
  }

  @Test
  void requireInstalled_missingUnderCi_failsNamingTheDebianPackage() {
    assertThatThrownBy(() -> RedisServerProcess.requireInstalled("no-such-redis-server", Map.of("PATH", "/usr/bin:/bin", "CI", "true")))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("Debian package redis-server");
  }

  @Test
  void start_thenKillHardAndRestart_answersAgainOnTheSamePort_andCloseDeletesItsFolder() throws Exception {
    Path folder;
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      int port = redis.port();
      assertThat(port).isNotEqualTo(6379);
      folder = redis.folder();
      assertThat(folder.resolve("redis.log")).exists();
      redis.killHard();
      assertThatThrownBy(redis::flushAll).isInstanceOf(java.io.IOException.class);
      redis.restart();
      assertThat(redis.port()).isEqualTo(port);
      redis.flushAll();
    }
    assertThat(folder).doesNotExist();
  }
}
