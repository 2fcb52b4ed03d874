package dev.buildcast.testing;

import dev.buildcast.log.LogSegments;
import dev.buildcast.log.LogSegmentsContract;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

class MemoryLogSegmentsTest extends LogSegmentsContract {

  /** why by folder: a restart makes new segments on the same data, which memory keeps here. */
  private final Map<Path, MemoryLogSegments> byDir = new HashMap<>();

  @Override
  protected LogSegments newSegments(Path dir) {
    return byDir.computeIfAbsent(dir, d -> new MemoryLogSegments());
  }
}
