/**
 * Job logs: the detailed log of every job (its lines, levels and seqs), the ports that keep it
 * ({@link dev.buildcast.log.LogStore}, {@link dev.buildcast.log.JobLog}), the log's own rules
 * whatever keeps it ({@link dev.buildcast.log.SegmentedLogStore} and its writer: seqs,
 * normalizing, the limit, batching, listeners) over the port that only stores ({@link
 * dev.buildcast.log.LogSegments}), and the fan-out that streams new lines to every watcher
 * ({@link dev.buildcast.log.LogBroadcaster}) without gaps or duplicates across late joins,
 * reconnects, slow clients and restarts.
 *
 * <p>Imports only the JDK and SLF4J.
 */
package dev.buildcast.log;
