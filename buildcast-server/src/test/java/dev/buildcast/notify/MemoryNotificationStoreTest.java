package dev.buildcast.notify;

import dev.buildcast.testing.MemoryNotificationStore;
import java.nio.file.Path;

/** The in-memory store passes the same contract as the file one. */
class MemoryNotificationStoreTest extends NotificationStoreContract {

  @Override
  protected NotificationStore newStore(Path dir) {
    return new MemoryNotificationStore();
  }

  @Override
  protected NotificationStore reopen(NotificationStore before, Path dir) {
    return before;
  }
}
