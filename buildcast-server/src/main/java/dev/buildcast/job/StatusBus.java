package dev.buildcast.job;

import java.util.function.Consumer;

/**
 * Carries every change of a job's record (state, progress, owner, lease) from the node that made
 * it to whoever follows jobs: the socket edge, HTTP followers, notifications, and the node that
 * owns a job (which acts on a cancel). The single-node adapter is {@link LocalStatusBus}; a
 * cluster one relays between nodes with the same contract ({@code StatusBusContract}).
 *
 * <p>Delivery: a subscriber sees the changes of one job in the order they were published. A
 * failing subscriber is logged and skipped; it never stops the others or the publisher.
 */
public interface StatusBus {

  /** Tells every subscriber of {@code record}, a record just stored. */
  void publish(JobRecord record);

  /**
   * Adds a subscriber, told of every record published from now on.
   *
   * @return call it to stop being told
   */
  Subscription subscribe(Consumer<JobRecord> subscriber);

  /** Ends one subscription; idempotent. */
  @FunctionalInterface
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
