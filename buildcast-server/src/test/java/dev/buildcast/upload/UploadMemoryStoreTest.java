package dev.buildcast.upload;

import dev.buildcast.testing.MemoryUploadStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The {@link UploadStoreContract} against the in-memory store the service tests use. */
class UploadMemoryStoreTest extends UploadStoreContract {

  @TempDir Path dir;

  @Override
  UploadStore newStore() {
    return new MemoryUploadStore(dir, clock);
  }

  @Override
  UploadStore restarted(UploadStore store) {
    return ((MemoryUploadStore) store).restarted();
  }
}
