package dev.buildcast.testing;

import dev.buildcast.log.LogLimit;
import dev.buildcast.log.LogStore;
import dev.buildcast.log.LogStoreContract;
import dev.buildcast.log.LogStoreOptions;
import dev.buildcast.log.SegmentedLogStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** The log store contract, run on the log's rules over memory segments (what tests use). */
class MemoryLogStoreTest extends LogStoreContract {

  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
  /** why by folder: a restart makes a new store on the same data, which memory keeps here. */
  private final Map<Path, MemoryLogSegments> byDir = new HashMap<>();

  @Override
  protected LogStore newStore(Path dir) {
    return newStore(dir, LogLimit.NONE);
  }

  @Override
  protected LogStore newStore(Path dir, LogLimit limit) {
    MemoryLogSegments segments = byDir.computeIfAbsent(dir, d -> new MemoryLogSegments());
    return new SegmentedLogStore(segments, LogStoreOptions.unforced(CLOCK).withLimit(limit));
  }
}
