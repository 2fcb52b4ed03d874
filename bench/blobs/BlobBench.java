import dev.buildcast.blob.Blob;
import dev.buildcast.blob.BlobStore;
import dev.buildcast.storage.file.FolderBlobStore;
import dev.buildcast.storage.s3.S3BlobStore;
import dev.buildcast.testing.LocalS3;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Put/get of 1 KB, 1 MB and 100 MB blobs and a list of 2,000 keys, FolderBlobStore against
 * S3BlobStore on an S3Proxy in this JVM (filesystem backend), all on loopback. Run by bench/blobs/run.
 */
public class BlobBench {

  record Case(String name, int size, int count) {}

  private static final long CASE_BUDGET_NANOS = Long.getLong("bench.caseSeconds", 6) * 1_000_000_000L;

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory("blob-bench");
    try (LocalS3 s3 = LocalS3.start(work.resolve("s3"))) {
      Map<String, BlobStore> stores = new LinkedHashMap<>();
      stores.put("folder", new FolderBlobStore(work.resolve("folder"), FolderBlobStore.Durability.PAGE_CACHE));
      stores.put("s3proxy", new S3BlobStore(s3.options(s3.createBucket(), ""), Clock.systemUTC()));
      Case[] cases = {new Case("1 KB", 1024, 300), new Case("1 MB", 1 << 20, 40), new Case("100 MB", 100 << 20, 3)};
      System.out.printf("%-8s %-7s %6s %12s %12s %12s %12s%n", "store", "blob", "ops", "put p50 ms", "get p50 ms", "put MB/s", "get MB/s");
      for (var entry : stores.entrySet()) {
        BlobStore store = entry.getValue();
        for (Case c : cases) {
          warmUp(store, c);
          double[] puts = new double[c.count()];
          double[] gets = new double[c.count()];
          long deadline = System.nanoTime() + CASE_BUDGET_NANOS;
          int done = 0;
          // why a budget as well as a count: the run stays about a minute on a slow or busy machine
          for (int i = 0; i < c.count() && (i < 1 || System.nanoTime() < deadline); i++, done++) {
            long t0 = System.nanoTime();
            store.put("bench/" + c.size() + "/k" + i, new Generated(c.size()));
            long t1 = System.nanoTime();
            try (Blob blob = store.get("bench/" + c.size() + "/k" + i).orElseThrow()) {
              blob.content().transferTo(OutputStream.nullOutputStream());
            }
            long t2 = System.nanoTime();
            puts[i] = (t1 - t0) / 1e6;
            gets[i] = (t2 - t1) / 1e6;
          }
          puts = Arrays.copyOf(puts, done);
          gets = Arrays.copyOf(gets, done);
          System.out.printf("%-8s %-7s %6d %12.2f %12.2f %12.1f %12.1f%n", entry.getKey(), c.name(), done, median(puts), median(gets),
              c.size() / 1e6 / (median(puts) / 1e3), c.size() / 1e6 / (median(gets) / 1e3));
          store.deletePrefix("bench/" + c.size() + "/");
        }
        long fillStart = System.nanoTime();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<?>> puts = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
          String key = "listing/k" + i;
          puts.add(threads.submit(() -> store.put(key, new Generated(10))));
        }
        for (Future<?> put : puts) put.get();
        threads.shutdown();
        double fill = (System.nanoTime() - fillStart) / 1e9;
        double[] lists = new double[5];
        for (int r = 0; r < lists.length; r++) {
          long t0 = System.nanoTime();
          int n = store.list("listing/").size();
          lists[r] = (System.nanoTime() - t0) / 1e6;
          if (n != 2000) throw new AssertionError("listed " + n);
        }
        System.out.printf("%-8s %-7s %6d %12s %12.2f (list of 2,000 keys, p50; the 2,000 puts of 10 bytes from 8 threads took %.1f s)%n",
            entry.getKey(), "list", lists.length, "", median(lists), fill);
        store.deletePrefix("listing/");
      }
      ((S3BlobStore) stores.get("s3proxy")).close();
    } finally {
      try (var walk = Files.walk(work)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void warmUp(BlobStore store, Case c) {
    for (int i = 0; i < Math.min(c.count(), 5); i++) store.put("warm/k" + i, new Generated(c.size()));
    store.deletePrefix("warm/");
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** {@code size} bytes made on the fly, so the heap never holds a 100 MB blob. */
  static final class Generated extends InputStream {
    private long left;

    Generated(long size) {
      left = size;
    }

    @Override
    public int read() {
      return left-- > 0 ? (int) (left & 0x7f) : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left <= 0) return -1;
      int n = (int) Math.min(len, left);
      Arrays.fill(b, off, off + n, (byte) 'x');
      left -= n;
      return n;
    }
  }
}
