package dev.buildcast.blob;

import dev.buildcast.testing.MemoryBlobStore;
import java.nio.file.Path;

/** The in-memory adapter tests of other layers use keeps the same contract as the folder store. */
class MemoryBlobStoreTest extends BlobStoreContract {

  @Override
  protected BlobStore newStore(Path dir) {
    return new MemoryBlobStore();
  }
}
