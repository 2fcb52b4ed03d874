package dev.buildcast.storage.file;

import dev.buildcast.log.LogSegments;
import dev.buildcast.log.LogSegmentsContract;
import java.nio.file.Path;

class FileLogSegmentsTest extends LogSegmentsContract {

  @Override
  protected LogSegments newSegments(Path dir) {
    return new FileLogSegments(jobId -> dir.resolve("jobs").resolve(jobId));
  }
}
