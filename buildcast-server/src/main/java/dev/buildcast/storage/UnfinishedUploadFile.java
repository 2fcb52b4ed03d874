package dev.buildcast.storage;

import dev.buildcast.upload.UploadStore;
import java.util.Optional;

/**
 * The name of an unfinished upload's local file in a server's upload folder: {@code <uploadId>.part}.
 * The single-node store keeps every byte of the upload there, the cluster store the bytes since
 * its last save; both must tell such a file from anything else in the folder (a record, a
 * temporary file, a name a hostile id could make up) the same way.
 *
 * <p>Threading: stateless.
 */
public final class UnfinishedUploadFile {

  private static final String SUFFIX = ".part";

  private UnfinishedUploadFile() {}

  /**
   * The file name of {@code uploadId}'s unfinished bytes.
   *
   * @throws IllegalArgumentException when {@code uploadId} is not an upload id, so no name outside the folder can come of it
   */
  public static String name(String uploadId) {
    if (!UploadStore.isUploadId(uploadId)) throw new IllegalArgumentException("not an upload id: " + uploadId);
    return uploadId + SUFFIX;
  }

  /** The upload whose unfinished file {@code fileName} is; empty for any other name. */
  public static Optional<String> uploadIdOf(String fileName) {
    if (!fileName.endsWith(SUFFIX)) return Optional.empty();
    String id = fileName.substring(0, fileName.length() - SUFFIX.length());
    return UploadStore.isUploadId(id) ? Optional.of(id) : Optional.empty();
  }
}
