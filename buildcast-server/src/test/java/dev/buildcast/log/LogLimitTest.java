package dev.buildcast.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LogLimitTest {

  @Test
  void of_hundredMegabytes_keepsTwentyPercentForTheTail() {
    LogLimit limit = LogLimit.of(100L << 20);
    assertThat(limit.tailBytes()).isEqualTo((100L << 20) / 5);
    assertThat(limit.headBytes()).isEqualTo((100L << 20) - (100L << 20) / 5);
    assertThat(limit.isLimited()).isTrue();
  }

  @Test
  void none_isNotLimited() {
    assertThat(LogLimit.NONE.isLimited()).isFalse();
  }

  @Test
  void new_tailNotBelowTheLimit_isRefused() {
    assertThatThrownBy(() -> new LogLimit(100, 100)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void humanBytes_usesPowersOf1000WithOneDecimalBelowHundred() {
    assertThat(LogLimit.humanBytes(999)).isEqualTo("999 B");
    assertThat(LogLimit.humanBytes(1500)).isEqualTo("1.5 KB");
    assertThat(LogLimit.humanBytes(345_000_000L)).isEqualTo("345 MB");
    assertThat(LogLimit.humanBytes(3_000_000_000L)).isEqualTo("3.0 GB");
  }
}
