package dev.buildcast.job;

import dev.buildcast.blob.BlobInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the completed uploads jobs take as input: their bytes live in a blob store, and a job
 * gets its own copy as a file in its folder (the checks and the generator read a file).
 */
public interface InputFiles {

  /** The completed upload's blob; empty when unknown, unfinished or expired. */
  Optional<BlobInfo> completed(String uploadId);

  /**
   * Copies the completed upload's bytes into {@code target}, a file that must not exist yet.
   *
   * @return false when the upload is unknown, unfinished or expired (nothing is written)
   */
  boolean copyTo(String uploadId, Path target) throws IOException;

  /** The file name the uploader gave, when still known (for the job's page; never a path). */
  default Optional<String> nameOf(String uploadId) {
    return Optional.empty();
  }

  /** No uploads at all. */
  static InputFiles none() {
    return new InputFiles() {
      @Override
      public Optional<BlobInfo> completed(String uploadId) {
        return Optional.empty();
      }

      @Override
      public boolean copyTo(String uploadId, Path target) {
        return false;
      }
    };
  }
}
