package dev.buildcast.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisPreviewSecretTest {

  @RegisterExtension static final RedisTestEngines engines = new RedisTestEngines();

  @BeforeEach
  void emptyRedis() {
    engines.flushAll();
  }

  @Test
  void shared_askedByTwoNodes_isTheFirstNodesSecretForBoth_andKeptForTheNextStart() {
    byte[] first = RedisPreviewSecret.shared(engines.open(), new SecureRandom());
    byte[] second = RedisPreviewSecret.shared(engines.open(), new SecureRandom());
    byte[] afterARestart = RedisPreviewSecret.shared(engines.open(), new SecureRandom());

    assertThat(first).hasSize(32).isEqualTo(second).isEqualTo(afterARestart);
  }

  @Test
  void shared_keyHoldingSomethingElse_failsNamingTheKeyToDelete() {
    RedisEngine engine = engines.open();
    engine.call("test", r -> r.set(RedisPreviewSecret.KEY, "not base64 !"));

    assertThatThrownBy(() -> RedisPreviewSecret.shared(engine, new SecureRandom()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining(RedisPreviewSecret.KEY).hasMessageContaining("delete it");
    engine.call("test", r -> r.set(RedisPreviewSecret.KEY, "c2hvcnQ="));
    assertThatThrownBy(() -> RedisPreviewSecret.shared(engine, new SecureRandom())).isInstanceOf(IllegalStateException.class);
  }
}
