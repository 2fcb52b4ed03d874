package dev.buildcast.testing;

import dev.buildcast.blob.BlobInfo;
import dev.buildcast.job.InputFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Completed uploads for job tests: files the test put under ids, handed out as {@link InputFiles} do. */
public final class MapInputFiles implements InputFiles {

  private final Map<String, Path> files = new ConcurrentHashMap<>();

  /** Makes {@code file} the completed upload {@code uploadId}. */
  public void put(String uploadId, Path file) {
    files.put(uploadId, file);
  }

  @Override
  public Optional<BlobInfo> completed(String uploadId) {
    Path file = files.get(uploadId);
    if (file == null) return Optional.empty();
    try {
      return Optional.of(new BlobInfo("uploads/" + uploadId, Files.size(file), Files.getLastModifiedTime(file).toInstant()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public boolean copyTo(String uploadId, Path target) throws IOException {
    Path file = files.get(uploadId);
    if (file == null) return false;
    Files.copy(file, target);
    return true;
  }
}
