package dev.buildcast.cluster;

import dev.buildcast.EngineUnavailableException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The start-up check of the Redis settings cluster mode depends on, and which error answers of
 * Redis count as unavailability.
 */
class RedisEngineSettingsTest {

  @RegisterExtension static final RedisTestEngines engines = new RedisTestEngines();

  @AfterEach
  void restoreSettings() {
    engines.open().call("test", r -> {
      r.configSet("maxmemory-policy", "noeviction");
      r.configSet("maxmemory", "0");
      return r.configSet("appendonly", "yes");
    });
  }

  @Test
  void checkSettings_noEvictionAndAppendOnly_hasNoWarning() {
    assertThat(engines.open().checkSettings()).isEmpty();
  }

  @Test
  void checkSettings_aPolicyThatEvicts_isRefusedNamingTheSettingToChange() {
    RedisEngine engine = engines.open();
    engine.call("test", r -> r.configSet("maxmemory-policy", "allkeys-lru"));
    assertThatThrownBy(engine::checkSettings).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("maxmemory-policy allkeys-lru").hasMessageContaining("set maxmemory-policy noeviction");
  }

  @Test
  void checkSettings_appendOnlyOff_warnsWithWhatToSet() {
    RedisEngine engine = engines.open();
    engine.call("test", r -> r.configSet("appendonly", "no"));
    assertThat(engine.checkSettings()).singleElement().asString().contains("appendonly off").contains("set appendonly yes");
  }

  @Test
  void call_anErrorAnswerThatIsABug_isRefusedNotUnavailable() {
    RedisEngine engine = engines.open();
    engine.call("test", r -> r.set("plain", "value"));
    assertThatThrownBy(() -> engine.call("adding to a list", r -> r.rpush("plain", "x")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("refused adding to a list").hasMessageContaining("WRONGTYPE");
  }

  @Test
  void call_aFullRedisUnderNoEviction_isUnavailable() {
    RedisEngine engine = engines.open();
    engine.call("test", r -> r.configSet("maxmemory", "1"));
    assertThatThrownBy(() -> engine.call("appending a line", r -> r.set("more", "x".repeat(1000))))
        .isInstanceOf(EngineUnavailableException.class).hasMessageContaining("appending a line").hasMessageContaining("OOM");
  }
}
