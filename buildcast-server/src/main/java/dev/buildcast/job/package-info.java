/**
 * Jobs: submitting one ({@link dev.buildcast.job.JobService}), its record and states
 * ({@link dev.buildcast.job.JobRecord}, {@link dev.buildcast.job.JobStore}, where every change is a
 * compare-and-set), the queue of waiting ids that keeps at most {@code maxConcurrentJobs} running
 * ({@link dev.buildcast.job.JobQueue}), status changes ({@link dev.buildcast.job.StatusBus}), leases
 * and cancels held in the record, running its generator ({@link
 * dev.buildcast.job.JobRunner}), its folder and artifacts ({@link dev.buildcast.job.JobFiles}),
 * access by token, and retention.
 *
 * <p>Imports only the JDK, SLF4J and the domain packages {@code generator}, {@code log} and the
 * root exception: never an edge (HTTP, Socket.IO), an adapter or the configuration.
 */
package dev.buildcast.job;
