package dev.buildcast.log;

import java.util.Optional;

/**
 * The port a {@link SegmentedLogStore} keeps every job's log through: it only stores what it is
 * given (numbered lines, the held-back tail of a log over its limit, the seal) and reads it back.
 * The log's rules (seqs, normalizing, the limit, batching, listeners) stay in {@link
 * JobLogWriter}, so every adapter keeps logs the same way. The file adapter keeps them in the
 * job's folder; a memory one serves tests.
 *
 * <p>Thread-safe. For one job, at most one {@link JobLogSegments} is open at a time (the store
 * sees to it); readers may read while it appends.
 */
public interface LogSegments {

  /**
   * The final extent of {@code jobId}'s log when it was sealed and the seal can be trusted; empty
   * when it is not sealed, does not exist, or must be repaired first ({@link #openForAppend}).
   *
   * @throws java.io.UncheckedIOException when the storage cannot be read
   */
  Optional<LogExtent> sealedExtent(String jobId);

  /** Reads {@code jobId}'s stored lines; holds nothing open between reads. */
  LogSegmentReader reader(String jobId);

  /**
   * Opens {@code jobId}'s log for appending, creating it when new. Whatever a crash tore is
   * repaired first: after it every stored seq names the same line as before, and {@link
   * JobLogSegments#extent()} is what is whole.
   *
   * @throws java.io.UncheckedIOException when the storage cannot be opened or repaired
   */
  JobLogSegments openForAppend(String jobId);

  /** Deletes {@code jobId}'s log; no-op when there is none. Call with no segments open on it. */
  void delete(String jobId);
}
