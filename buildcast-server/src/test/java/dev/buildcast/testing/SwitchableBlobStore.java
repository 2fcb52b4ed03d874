package dev.buildcast.testing;

import dev.buildcast.blob.Blob;
import dev.buildcast.blob.BlobInfo;
import dev.buildcast.blob.BlobRange;
import dev.buildcast.blob.BlobStore;
import dev.buildcast.blob.BlobStoreUnavailableException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A blob store a test switches off and on: while off, every call fails as a remote store's outage
 * does ({@link BlobStoreUnavailableException}) and changes nothing. Counts the puts tried, so a
 * test sees when a retry came.
 */
public final class SwitchableBlobStore implements BlobStore {

  private final BlobStore store;
  private volatile boolean off;
  private final AtomicInteger putsTried = new AtomicInteger();

  public SwitchableBlobStore(BlobStore store) {
    this.store = store;
  }

  public void switchOff() {
    off = true;
  }

  public void switchOn() {
    off = false;
  }

  public int putsTried() {
    return putsTried.get();
  }

  private void check(String key) {
    if (off) throw new BlobStoreUnavailableException(key, "switched off by the test", null);
  }

  @Override
  public void checkUsable() {
    check("");
    store.checkUsable();
  }

  @Override
  public BlobInfo put(String key, InputStream content) {
    putsTried.incrementAndGet();
    check(key);
    return store.put(key, content);
  }

  @Override
  public Optional<Blob> get(String key, BlobRange range) {
    check(key);
    return store.get(key, range);
  }

  @Override
  public List<BlobInfo> list(String prefix) {
    check(prefix);
    return store.list(prefix);
  }

  @Override
  public boolean delete(String key) {
    check(key);
    return store.delete(key);
  }

  @Override
  public int deletePrefix(String prefix) {
    check(prefix);
    return store.deletePrefix(prefix);
  }
}
