package dev.buildcast.job;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process {@link StatusBus}: subscribers are told on the publishing thread, in the order
 * they subscribed. why synchronous: the publisher is the thread that changed the record, so the
 * changes of one job reach every subscriber in the order they were made, with no queue to bound.
 */
public final class LocalStatusBus implements StatusBus {

  private static final Logger log = LoggerFactory.getLogger(LocalStatusBus.class);

  private final List<Consumer<JobRecord>> subscribers = new CopyOnWriteArrayList<>();

  @Override
  public void publish(JobRecord record) {
    for (Consumer<JobRecord> subscriber : subscribers) {
      try {
        subscriber.accept(record);
      } catch (RuntimeException e) {
        log.warn("{} - status subscriber failed", record.id(), e);
      }
    }
  }

  @Override
  public Subscription subscribe(Consumer<JobRecord> subscriber) {
    // why a wrapper: the same listener may subscribe twice, and each subscription ends on its own
    Consumer<JobRecord> entry = subscriber::accept;
    subscribers.add(entry);
    return () -> subscribers.remove(entry);
  }
}
