/**
 * The cluster's log path, whatever engine carries it: the port of the shared stream of accepted
 * lines ({@link dev.buildcast.log.cluster.AcceptedLines}: fenced, gap-refusing, idempotent appends;
 * reads from a seq; one blocking read over the jobs a node watches), the owner's per-job {@link
 * dev.buildcast.log.cluster.LogShipper} (spool to stream, one append in flight, re-ships a lost tail,
 * stops when fenced) and the watching node's {@link dev.buildcast.log.cluster.LogMirror} (a local
 * log filled with lines that already have their seqs, which today's broadcaster serves unchanged).
 * A line is shown to nobody before the engine accepted it.
 *
 * <p>Imports only the JDK, SLF4J and {@code dev.buildcast.log}: the Redis adapter of the port lives
 * with its technology and only wraps the engine's append script and blocking read.
 */
package dev.buildcast.log.cluster;
