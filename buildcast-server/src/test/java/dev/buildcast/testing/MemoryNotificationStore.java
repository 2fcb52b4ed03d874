package dev.buildcast.testing;

import dev.buildcast.notify.NotificationStore;
import dev.buildcast.notify.PendingDelivery;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A notification store in memory, for tests of the outbox. A "restart" in such a test is a new
 * outbox over the same instance: what the store holds is what a restart keeps.
 */
public final class MemoryNotificationStore implements NotificationStore {

  private final Map<String, PendingDelivery> deliveries = new ConcurrentHashMap<>();

  @Override
  public void save(PendingDelivery delivery) {
    deliveries.put(delivery.id(), delivery);
  }

  @Override
  public List<PendingDelivery> forJob(String jobId) {
    return deliveries.values().stream().filter(d -> d.jobId().equals(jobId)).toList();
  }

  @Override
  public List<PendingDelivery> all() {
    return List.copyOf(deliveries.values());
  }

  @Override
  public void remove(PendingDelivery delivery) {
    deliveries.remove(delivery.id());
  }
}
