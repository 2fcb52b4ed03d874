package dev.buildcast.log.cluster;

import dev.buildcast.log.LogSegments;

/**
 * Where a cluster keeps sealed logs once their stream may leave the engine: object storage, in
 * the format a node's local logs have, so a node serves an archived log by copying it into its
 * mirror folder and opening it as any sealed mirror. The blob adapter ({@code
 * storage.file.BlobLogArchive}) keeps the log files under {@code jobs/<jobId>/log/}.
 *
 * <p>Every method may be called from any thread. Failures of the storage are runtime exceptions
 * naming the job ({@code java.io.UncheckedIOException}, {@code
 * dev.buildcast.blob.BlobStoreUnavailableException} while the store cannot be reached); nothing is
 * known then about what a store left behind, and calling it again is safe.
 */
public interface LogArchive {

  /**
   * A scratch place where {@link LogArchiver} builds a job's sealed log from the stream before
   * {@link #store} copies it; nobody else writes there, and it holds nothing worth keeping.
   */
  LogSegments workspace();

  /**
   * Stores the sealed log of {@code jobId} that {@link #workspace()} holds as the job's archived
   * log, replacing an earlier one (built from the same stream, it holds the same bytes). The seal
   * is stored last, so {@link #isArchived} never says yes to a part.
   *
   * @throws IllegalStateException when the workspace holds no sealed log of the job
   */
  void store(String jobId);

  /** Whether the job's log was archived completely. */
  boolean isArchived(String jobId);

  /**
   * Copies the archived log of {@code jobId} to where this node keeps its mirrors, replacing
   * whatever log of the job is there (call it with none of its segments open).
   *
   * @return false when the job has no archived log (nothing changed then)
   */
  boolean restore(String jobId);

  /** Deletes the job's archived log; no-op when there is none. */
  void delete(String jobId);
}
