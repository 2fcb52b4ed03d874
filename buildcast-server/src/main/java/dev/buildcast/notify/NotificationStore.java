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
}
