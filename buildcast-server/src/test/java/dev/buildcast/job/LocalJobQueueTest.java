package dev.buildcast.job;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LocalJobQueueTest extends JobQueueContract {

  @Override
  protected JobQueue newQueue(int slots) {
    return new LocalJobQueue(slots);
  }

  @Test
  void create_withoutSlots_isRefusedNamingTheSetting() {
    assertThatThrownBy(() -> new LocalJobQueue(0)).hasMessageContaining("maxConcurrentJobs");
  }
}
