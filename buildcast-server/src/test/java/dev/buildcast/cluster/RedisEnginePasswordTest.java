package dev.buildcast.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.EngineUnavailableException;
import dev.buildcast.testing.RedisServerProcess;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A Redis that requires a password: the engine authenticates with the one given, and never quotes it. */
class RedisEnginePasswordTest {

  private static final String PASSWORD = "pw-7f3c-not-in-any-message";
  private static RedisServerProcess redis;

  @BeforeAll
  static void startRedisWithAPassword() throws Exception {
    redis = RedisServerProcess.start();
    try (RedisEngine open = RedisEngine.connect(redis.url(), Duration.ofSeconds(30))) {
      open.call("requiring a password", r -> r.configSet("requirepass", PASSWORD));
    }
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) redis.close();
  }

  @Test
  void connect_withThePassword_worksAndChecksSettings() {
    try (RedisEngine engine = RedisEngine.connect(redis.url(), Optional.of(PASSWORD.toCharArray()), Duration.ofSeconds(30))) {
      assertThat(engine.isReachable()).isTrue();
      assertThat(engine.checkSettings()).isEmpty();
    }
  }

  @Test
  void connect_withAWrongPassword_isUnavailableWithoutQuotingIt() {
    assertThatThrownBy(() -> RedisEngine.connect(redis.url(), Optional.of("wrong-one".toCharArray()), Duration.ofSeconds(30)).close())
        .isInstanceOf(EngineUnavailableException.class).hasMessageContaining("Redis at 127.0.0.1:" + redis.port())
        .hasMessageNotContaining("wrong-one").hasMessageNotContaining(PASSWORD);
  }
}
