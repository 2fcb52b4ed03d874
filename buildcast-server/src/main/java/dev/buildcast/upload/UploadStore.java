package dev.buildcast.upload;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where upload bytes live: one unfinished file per upload, appended to chunk by chunk, and one
 * completed file once the upload passed its checks. Ids are checked by the caller ({@link
 * UploadService}); implementations must still refuse ids that are not 22 URL-safe characters, so
 * no id can name a path outside the store.
 *
 * <p>Thread-safety: calls for different ids may run concurrently; calls for one id are serialised
 * by the caller.
 */
public interface UploadStore {

  /** Creates the empty unfinished file of a new upload. */
  void create(String uploadId) throws IOException;

  /**
   * Writes {@code data} at {@code offset} of the unfinished file, which must be exactly the number
   * of bytes it holds (uploads are written in order, never with holes or overlaps).
   *
   * @return the number of bytes held afterwards
   * @throws WrongOffsetException when {@code offset} is not the number of bytes held
   */
  long write(String uploadId, long offset, ByteBuffer data) throws IOException;

  /** The bytes held by the unfinished file; -1 when there is none. */
  long unfinishedSize(String uploadId) throws IOException;

  /** Turns the unfinished file into the completed one, atomically; returns the completed file. */
  Path complete(String uploadId) throws IOException;

  /** The completed file, if the upload completed and was not deleted. */
  Optional<Path> completed(String uploadId);

  /** Deletes whatever the store holds of the upload, unfinished or completed. */
  void delete(String uploadId) throws IOException;

  /** Every unfinished file with its last write time, for the sweeper. */
  List<Unfinished> unfinished() throws IOException;

  /** Every completed file with its last write time and size, for the sweeper and the per-address quotas. */
  List<Completed> completedFiles() throws IOException;

  /** How many files the store holds and their bytes, unfinished and completed together. */
  Usage usage() throws IOException;

  /** An unfinished file on disk. */
  record Unfinished(String uploadId, Instant lastModified) {}

  /** A completed file on disk. */
  record Completed(String uploadId, Instant lastModified, long size) {}

  /** The store's size. */
  record Usage(long files, long bytes) {}
}
