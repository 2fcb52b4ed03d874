/**
 * The single-node stores. {@link dev.buildcast.storage.file.FileJobStore} keeps each job's record
 * as {@code data/jobs/<id>/job.json} (compare-and-set on its version), and {@link
 * dev.buildcast.storage.file.NodeIdFile} this node's id as {@code data/node-id}. {@link
 * dev.buildcast.storage.file.FileUploadStore} keeps unfinished uploads as
 * {@code data/uploads/<id>.part} and completed ones as the blob {@code uploads/<id>} of the blob
 * store it is given, each with its record {@code data/uploads/<id>.record}. {@link
 * dev.buildcast.storage.file.FileLogSegments} (the {@link dev.buildcast.log.LogSegments} adapter
 * behind {@link dev.buildcast.storage.file.FileLogStore}) keeps every job's detailed log as files
 * in the job's folder, and decides nothing about it (seqs, limit and listeners are the log's):
 *
 * <ul>
 *   <li>{@code detailed.log}: the text, UTF-8, one line per line, each ending in {@code \n}. Served
 *       raw for downloads (Range works).
 *   <li>{@code detailed.idx}: one fixed-width record per line, in seq order (record {@code i}
 *       describes seq {@code i + 1}), see {@link dev.buildcast.storage.file.LineIndex}.
 *   <li>{@code detailed.basic.idx}: the seqs of the basic lines, 8-byte big-endian each, ascending,
 *       so a basic-only read skips detail lines without scanning them.
 *   <li>{@code detailed.sealed}: present once the log is sealed; its final extent.
 *   <li>{@code detailed.limit}, {@code detailed.tail.0}, {@code detailed.tail.1}: while the log is
 *       over its limit, the head's extent and the held-back tail ({@link
 *       dev.buildcast.storage.file.TailRing}).
 * </ul>
 *
 * <p>Appends write text, then basic index, then line index, so after a crash the index never
 * names text that is not there; opening an unsealed log repairs whatever a crash tore ({@link
 * dev.buildcast.storage.file.LogFileRepair}).
 *
 * <p>{@link dev.buildcast.storage.file.FileNotificationStore} keeps each notification delivery not
 * yet done as {@code data/notify/<jobId>.<deliveryId>.json}.
 */
package dev.buildcast.storage.file;
