package dev.buildcast.job;

import java.nio.file.Path;
import java.util.Optional;

/** Finds the file of a completed upload, so a job can take it as input. */
@FunctionalInterface
public interface InputFiles {

  /** The completed upload's file; empty when unknown, unfinished or expired. */
  Optional<Path> completed(String uploadId);

  /** The file name the uploader gave, when still known (for the job's page; never a path). */
  default Optional<String> nameOf(String uploadId) {
    return Optional.empty();
  }

  /** No uploads at all. */
  static InputFiles none() {
    return id -> Optional.empty();
  }
}
