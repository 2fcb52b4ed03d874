package dev.buildcast.testing;

import dev.buildcast.blob.Blob;
import dev.buildcast.blob.BlobInfo;
import dev.buildcast.blob.BlobKeys;
import dev.buildcast.blob.BlobRange;
import dev.buildcast.blob.BlobStore;
import dev.buildcast.blob.InvalidBlobKeyException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A blob store in memory, for tests of the layers above it; it passes the same contract as the
 * folder store ({@code BlobStoreContract}). Concurrency: the map is concurrent and each blob's
 * bytes are never changed once stored, so a get holds the bytes it found; puts and deletes are
 * serialised on this object so that the key-versus-folder check and the write are one step.
 */
public final class MemoryBlobStore implements BlobStore {

  private record Stored(byte[] bytes, BlobInfo info) {}

  private final NavigableMap<String, Stored> blobs = new ConcurrentSkipListMap<>();
  private final Clock clock;

  public MemoryBlobStore() {
    this(Clock.systemUTC());
  }

  public MemoryBlobStore(Clock clock) {
    this.clock = clock;
  }

  /** Whether {@link #checkUsable()} says the store is unavailable (a test's switch). */
  private volatile boolean unusable;
  private final java.util.concurrent.atomic.AtomicInteger checks = new java.util.concurrent.atomic.AtomicInteger();

  /** Makes {@link #checkUsable()} fail (true) or pass (false). */
  public void makeUnusable(boolean unusable) {
    this.unusable = unusable;
  }

  /** How many times {@link #checkUsable()} was called. */
  public int checks() {
    return checks.get();
  }

  @Override
  public void checkUsable() {
    checks.incrementAndGet();
    if (unusable) throw new dev.buildcast.blob.BlobStoreUnavailableException("", "switched off by the test", null);
  }

  @Override
  public BlobInfo put(String key, InputStream content) {
    BlobKeys.check(key);
    byte[] bytes;
    try {
      bytes = content.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the bytes for blob " + key, e);
    }
    synchronized (this) {
      for (int slash = key.indexOf('/'); slash > 0; slash = key.indexOf('/', slash + 1)) {
        if (blobs.containsKey(key.substring(0, slash))) {
          throw new InvalidBlobKeyException(key, "lies below another blob (" + key.substring(0, slash) + ")");
        }
      }
      String below = blobs.ceilingKey(key + "/");
      if (below != null && below.startsWith(key + "/")) throw new InvalidBlobKeyException(key, "is a folder of other blobs");
      BlobInfo info = new BlobInfo(key, bytes.length, clock.instant());
      blobs.put(key, new Stored(bytes, info));
      return info;
    }
  }

  @Override
  public Optional<Blob> get(String key, BlobRange range) {
    BlobKeys.check(key);
    Stored stored = blobs.get(key);
    if (stored == null) return Optional.empty();
    long[] span = range.resolve(key, stored.bytes().length);
    InputStream in = new ByteArrayInputStream(stored.bytes(), (int) Math.max(0, span[0]), (int) (span[1] - span[0] + 1));
    return Optional.of(new Blob(stored.info(), span[0], span[1], in));
  }

  @Override
  public List<BlobInfo> list(String prefix) {
    BlobKeys.checkPrefix(prefix);
    return under(prefix).values().stream().map(Stored::info).toList();
  }

  @Override
  public synchronized boolean delete(String key) {
    BlobKeys.check(key);
    return blobs.remove(key) != null;
  }

  @Override
  public synchronized int deletePrefix(String prefix) {
    BlobKeys.checkPrefix(prefix);
    if (prefix.isEmpty()) throw new InvalidBlobKeyException(prefix, "is empty: deleting every blob at once is refused");
    Map<String, Stored> doomed = under(prefix);
    int count = doomed.size();
    doomed.clear();
    return count;
  }

  private NavigableMap<String, Stored> under(String prefix) {
    if (prefix.isEmpty()) return blobs;
    // why this bound: '/' + 1 is '0', so [prefix, prefix with its last '/' raised) holds exactly the keys below it
    String end = prefix.substring(0, prefix.length() - 1) + (char) ('/' + 1);
    return blobs.subMap(prefix, true, end, false);
  }
}
