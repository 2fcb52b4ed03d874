package dev.buildcast.job;

/**
 * Whether a job lease that passed may be taken to mean that its owner is dead. Owners renew their
 * leases in the shared store; while the store cannot be reached nobody can renew, so right after
 * an outage every lease may have passed while every owner is alive and about to renew. A {@link
 * JobService} fails jobs by their passed leases only while this answers true; the cluster's answer
 * is false while its engine is down and for one lease after it answers again (by then every live
 * owner has renewed).
 *
 * <p>Called on the lease sweep's thread: must answer at once, without talking to the store.
 */
@FunctionalInterface
public interface LeaseTrust {

  /** A single node's store never goes away on its own: its passed leases always mean what they say. */
  LeaseTrust ALWAYS = () -> true;

  /** Whether a passed lease now means a dead owner. */
  boolean expiredLeasesMeanDeadOwners();
}
