package dev.buildcast.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The start-up check of the Redis settings cluster mode depends on. */
class RedisEngineSettingsTest {

  @RegisterExtension static final RedisTestEngines engines = new RedisTestEngines();

  @AfterEach
  void restoreSettings() {
    engines.open().call("test", r -> {
      r.configSet("maxmemory-policy", "noeviction");
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
}
