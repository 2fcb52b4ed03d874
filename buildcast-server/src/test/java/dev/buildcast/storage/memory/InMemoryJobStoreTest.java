package dev.buildcast.storage.memory;

import dev.buildcast.job.JobStore;
import dev.buildcast.job.JobStoreContract;

class InMemoryJobStoreTest extends JobStoreContract {

  @Override
  protected JobStore newStore() {
    return new InMemoryJobStore();
  }
}
