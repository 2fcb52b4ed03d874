package dev.buildcast.upload;

import dev.buildcast.blob.BlobStore;
import dev.buildcast.testing.MemoryBlobStore;
import dev.buildcast.testing.MemoryUploadStore;

/** The {@link UploadStoreContract} against the in-memory store the service tests use. */
class UploadMemoryStoreTest extends UploadStoreContract {

  private final BlobStore blobs = new MemoryBlobStore(clock);

  @Override
  protected BlobStore blobs() {
    return blobs;
  }

  @Override
  protected UploadStore newStore() {
    return new MemoryUploadStore(blobs, clock);
  }

  @Override
  protected UploadStore restarted(UploadStore store) {
    return ((MemoryUploadStore) store).restarted();
  }
}
