package dev.buildcast.notify;

import java.util.List;

/**
 * Where the notifications that are not done yet live, so that a restart keeps them: the targets a
 * job's submitter asked for (until the job ends) and each delivery being attempted (until it is
 * delivered or given up). The single-node adapter keeps one small file per delivery under the data
 * folder; tests use an in-memory one. Both pass {@code NotificationStoreContract}.
 *
 * <p>Threading: safe for concurrent use; a save replaces one delivery atomically (a reader, or the
 * next start after a crash, sees the old or the new record, never a mix) and touches no other.
 *
 * <p>Several processes: a store shared by the nodes of a cluster (the Redis one) also decides which
 * process sends a delivery, through {@link #markDue} and {@link #takeOverDue}; a store of one
 * process keeps their defaults, for which the outbox's own lock is enough.
 *
 * <p>Failure: an adapter that cannot write throws an unchecked exception naming the delivery; a
 * stored record that cannot be read back is dropped by the adapter with a log line, never thrown
 * at start-up.
 */
public interface NotificationStore {

  /** Records the delivery, replacing the one with the same id; durable when this returns. */
  void save(PendingDelivery delivery);

  /** The deliveries of one job, in no particular order; empty when it has none. */
  List<PendingDelivery> forJob(String jobId);

  /** Every stored delivery, in no particular order. */
  List<PendingDelivery> all();

  /** Forgets the delivery (delivered or given up); no-op when it is not stored. */
  void remove(PendingDelivery delivery);

  /**
   * Records {@code due} (a delivery made due because its job ended) only if the stored delivery of
   * the same id is still waiting, and makes this process its sender. True when this call made it
   * due, so this process sends it; false when another process did first or it is gone. The default
   * is right for a store only one process uses (its caller holds a lock over the read and this).
   */
  default boolean markDue(PendingDelivery due) {
    save(due);
    return true;
  }

  /**
   * The due deliveries that no running process is sending, each taken over by this process in the
   * same step, so no other process takes it too. Called at start-up (the previous process's are
   * taken) and, by a store shared by several processes, again now and then (those of a process that
   * died are taken). The default, for a store of one process: every due delivery, which is right
   * at start-up only.
   */
  default List<PendingDelivery> takeOverDue() {
    return all().stream().filter(PendingDelivery::jobEnded).toList();
  }

  /** Whether other processes use the same records (a cluster's nodes): then deliveries are swept for now and then. */
  default boolean isShared() {
    return false;
  }
}
