package dev.buildcast.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Bytes under keys such as {@code jobs/<jobId>/output/site.zip}: put, get (whole or one byte
 * range), list by prefix, delete.
 *
 * <p>Keys follow {@link BlobKeys#check}; a key that breaks a rule is refused with an {@link
 * InvalidBlobKeyException} before anything is read or written. A key is a blob or a folder of
 * blobs, never both: {@code a/b} and {@code a/b/c} cannot be stored together.
 *
 * <p>Threading: every method may be called from any thread. A put replaces a blob as one step: a
 * reader that opened the old bytes reads them to the end, one that opens after the put reads the
 * new ones, and nobody ever reads a mix or a half-written blob.
 *
 * <p>Failures of the storage itself (disk full, permissions) are {@link UncheckedIOException}s
 * that name the key; when the storage cannot be reached or says it failed (a remote store's
 * outage), the subclass {@link BlobStoreUnavailableException}, which may pass by itself.
 */
public interface BlobStore {

  /**
   * Asks the storage, with one cheap call, whether it can be used now: the bucket answers to
   * these credentials, the folder is there and writable. For health checks, which cache the answer
   * ({@link BlobProbe}); reads and writes do not call it first.
   *
   * @throws java.io.UncheckedIOException when it cannot ({@link BlobStoreUnavailableException} when
   *     that may pass by itself)
   */
  void checkUsable();

  /**
   * Stores everything {@code content} yields under {@code key}, replacing the blob there. The
   * stream is read to its end but not closed.
   *
   * @return what was stored
   */
  BlobInfo put(String key, InputStream content);

  /**
   * Stores a copy of {@code file}'s bytes under {@code key}. The file is opened without following
   * a symbolic link: a link in its place is an error, not a redirection.
   */
  default BlobInfo put(String key, Path file) {
    BlobKeys.check(key);
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      return put(key, in);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file + " to store it as blob " + key, e);
    }
  }

  /**
   * Opens the blob at {@code key}, or the part of it {@code range} asks for. The caller closes the
   * returned {@link Blob}.
   *
   * @return empty when there is no blob at that key (a folder of blobs is not a blob)
   * @throws RangeNotSatisfiableException when the range lies outside the blob
   */
  Optional<Blob> get(String key, BlobRange range);

  /** The whole blob at {@code key}. */
  default Optional<Blob> get(String key) {
    return get(key, BlobRange.all());
  }

  /**
   * Every blob whose key starts with {@code prefix}, sorted by key.
   *
   * @param prefix {@code ""} for all blobs, else a key followed by {@code /} ({@link
   *     BlobKeys#checkPrefix}), so that {@code jobs/ab/} never lists {@code jobs/abc/...}
   */
  List<BlobInfo> list(String prefix);

  /**
   * Deletes the blob at {@code key}.
   *
   * @return whether there was one
   */
  boolean delete(String key);

  /**
   * Deletes every blob under {@code prefix}, which must be a key followed by {@code /} (not
   * {@code ""}: emptying the whole store takes more than one call by mistake).
   *
   * @return how many blobs were deleted
   */
  int deletePrefix(String prefix);
}
