package dev.buildcast.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every {@link BlobStore} adapter must do; each adapter's test extends this class. A second
 * adapter (an object store for the cluster) is done when it passes these.
 */
public abstract class BlobStoreContract {

  @TempDir protected Path dir;
  protected BlobStore store;

  /** A new, empty store; {@code dir} is a fresh folder it may use. */
  protected abstract BlobStore newStore(Path dir);

  /**
   * For adapters whose storage several nodes share: one more instance on the storage of the store
   * {@link #newStore} made for {@code dir}, opened as a second node would open it. Empty (the
   * default) skips the cases of two instances.
   */
  protected Optional<BlobStore> newStoreOnSameStorage(Path dir) {
    return Optional.empty();
  }

  private Path storeDir;

  @BeforeEach
  void createStore() {
    storeDir = dir.resolve("store");
    store = newStore(storeDir);
  }

  private BlobStore secondInstance() {
    Optional<BlobStore> other = newStoreOnSameStorage(storeDir);
    Assumptions.assumeTrue(other.isPresent(), "this adapter's storage is not shared between instances");
    return other.get();
  }

  private static InputStream bytes(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  private String read(String key, BlobRange range) throws IOException {
    try (Blob blob = store.get(key, range).orElseThrow()) {
      byte[] bytes = blob.content().readAllBytes();
      assertThat(bytes).hasSize((int) blob.length());
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private List<String> keys(String prefix) {
    return store.list(prefix).stream().map(BlobInfo::key).toList();
  }

  @Test
  void checkUsable_storeThatWorks_passes() {
    store.checkUsable();
    store.put("jobs/a/output/report.txt", bytes("hello"));
    store.checkUsable();
  }

  @Test
  void put_thenGet_returnsTheBytesAndSize() throws IOException {
    BlobInfo info = store.put("jobs/a/output/report.txt", bytes("hello"));
    assertThat(info.key()).isEqualTo("jobs/a/output/report.txt");
    assertThat(info.size()).isEqualTo(5);
    try (Blob blob = store.get("jobs/a/output/report.txt").orElseThrow()) {
      assertThat(blob.info().size()).isEqualTo(5);
      assertThat(blob.first()).isZero();
      assertThat(blob.last()).isEqualTo(4);
      assertThat(blob.isPartial()).isFalse();
      assertThat(new String(blob.content().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
    }
  }

  @Test
  void put_sameKeyAgain_replacesTheBytes() throws IOException {
    store.put("k/v", bytes("first version"));
    store.put("k/v", bytes("second"));
    assertThat(read("k/v", BlobRange.all())).isEqualTo("second");
    assertThat(store.list("k/")).singleElement().extracting(BlobInfo::size).isEqualTo(6L);
  }

  @Test
  void put_fromAFile_storesACopy() throws IOException {
    Path file = Files.writeString(dir.resolve("source.bin"), "from a file");
    store.put("jobs/a/output/source.bin", file);
    Files.writeString(file, "changed afterwards");
    assertThat(read("jobs/a/output/source.bin", BlobRange.all())).isEqualTo("from a file");
  }

  @Test
  void put_fromAFileThatIsALink_isRefusedAndStoresNothing() throws IOException {
    Path secret = Files.writeString(dir.resolve("secret"), "root:x:0:0");
    Path link = Files.createSymbolicLink(dir.resolve("link"), secret);
    assertThatThrownBy(() -> store.put("jobs/a/output/link", link)).isInstanceOf(UncheckedIOException.class);
    assertThat(store.get("jobs/a/output/link")).isEmpty();
  }

  @Test
  void put_emptyContent_storesAnEmptyBlob() throws IOException {
    store.put("empty", bytes(""));
    try (Blob blob = store.get("empty").orElseThrow()) {
      assertThat(blob.length()).isZero();
      assertThat(blob.content().readAllBytes()).isEmpty();
    }
  }

  @Test
  void get_missingKey_isEmpty() {
    assertThat(store.get("jobs/none/output/x")).isEmpty();
  }

  @Test
  void get_keyOfAFolderOfBlobs_isEmpty() {
    store.put("jobs/a/output/x", bytes("x"));
    assertThat(store.get("jobs/a/output")).isEmpty();
  }

  @Test
  void get_rangeInside_returnsThoseBytesAsPartial() throws IOException {
    store.put("r", bytes("0123456789"));
    try (Blob blob = store.get("r", BlobRange.between(2, 5)).orElseThrow()) {
      assertThat(blob.first()).isEqualTo(2);
      assertThat(blob.last()).isEqualTo(5);
      assertThat(blob.isPartial()).isTrue();
      assertThat(blob.info().size()).isEqualTo(10);
      assertThat(new String(blob.content().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("2345");
    }
  }

  @Test
  void get_rangeEndingPastTheEnd_isCutAtTheEnd() throws IOException {
    store.put("r", bytes("0123456789"));
    assertThat(read("r", BlobRange.between(7, 1000))).isEqualTo("789");
  }

  @Test
  void get_openEndedRange_returnsToTheEnd() throws IOException {
    store.put("r", bytes("0123456789"));
    assertThat(read("r", BlobRange.from(6))).isEqualTo("6789");
    assertThat(read("r", BlobRange.from(9))).isEqualTo("9");
  }

  @Test
  void get_suffixRange_returnsTheLastBytes() throws IOException {
    store.put("r", bytes("0123456789"));
    assertThat(read("r", BlobRange.lastBytes(3))).isEqualTo("789");
  }

  @Test
  void get_suffixLongerThanTheBlob_returnsTheWholeBlob() throws IOException {
    store.put("r", bytes("0123456789"));
    assertThat(read("r", BlobRange.lastBytes(50))).isEqualTo("0123456789");
  }

  @Test
  void get_rangeStartingAtOrPastTheEnd_isNotSatisfiableAndNamesTheSize() {
    store.put("r", bytes("0123456789"));
    for (BlobRange range : List.of(BlobRange.from(10), BlobRange.between(11, 20), BlobRange.lastBytes(0), BlobRange.between(5, 4))) {
      assertThatThrownBy(() -> store.get("r", range))
          .as(range.toString())
          .isInstanceOfSatisfying(RangeNotSatisfiableException.class, e -> assertThat(e.size()).isEqualTo(10))
          .hasMessageContaining("10 bytes");
    }
  }

  @Test
  void get_anyRangeOfAnEmptyBlob_isNotSatisfiable() {
    store.put("empty", bytes(""));
    assertThatThrownBy(() -> store.get("empty", BlobRange.from(0))).isInstanceOf(RangeNotSatisfiableException.class)
        .hasMessageContaining("it is empty: send no Range");
    assertThatThrownBy(() -> store.get("empty", BlobRange.lastBytes(5))).isInstanceOf(RangeNotSatisfiableException.class);
  }

  @Test
  void list_prefix_returnsEveryKeyBelowItSorted() {
    store.put("jobs/a/site/index.html", bytes("i"));
    store.put("jobs/a/output/z.zip", bytes("zz"));
    store.put("jobs/a/output/b/deep.txt", bytes("d"));
    store.put("jobs/a/output/a.txt", bytes("a"));
    assertThat(keys("jobs/a/output/")).containsExactly("jobs/a/output/a.txt", "jobs/a/output/b/deep.txt", "jobs/a/output/z.zip");
    assertThat(store.list("jobs/a/output/")).extracting(BlobInfo::size).containsExactly(1L, 1L, 2L);
    assertThat(keys("")).hasSize(4);
  }

  @Test
  void list_prefix_leavesOutSiblingsThatShareItsLetters() {
    store.put("jobs/ab/output/mine", bytes("1"));
    store.put("jobs/abc/output/theirs", bytes("2"));
    store.put("jobs/ab-/output/theirs", bytes("3"));
    store.put("jobs/ab.x", bytes("4"));
    assertThat(keys("jobs/ab/")).containsExactly("jobs/ab/output/mine");
  }

  @Test
  void list_unknownPrefix_isEmpty() {
    assertThat(store.list("jobs/none/")).isEmpty();
  }

  @Test
  void list_prefixWithoutTrailingSlash_isRefusedSayingSo() {
    assertThatThrownBy(() -> store.list("jobs/ab")).isInstanceOf(InvalidBlobKeyException.class).hasMessageContaining("ends with '/'");
  }

  @Test
  void delete_key_removesOnlyThatBlob() {
    store.put("jobs/a/output/x", bytes("x"));
    store.put("jobs/a/output/y", bytes("y"));
    assertThat(store.delete("jobs/a/output/x")).isTrue();
    assertThat(store.get("jobs/a/output/x")).isEmpty();
    assertThat(keys("jobs/")).containsExactly("jobs/a/output/y");
  }

  @Test
  void delete_missingKey_returnsFalse() {
    assertThat(store.delete("jobs/a/output/x")).isFalse();
  }

  @Test
  void deletePrefix_removesEverythingBelowItAndNoSibling() {
    store.put("jobs/ab/output/x", bytes("x"));
    store.put("jobs/ab/site/a/b/c.html", bytes("c"));
    store.put("jobs/abc/output/x", bytes("keep"));
    assertThat(store.deletePrefix("jobs/ab/")).isEqualTo(2);
    assertThat(keys("")).containsExactly("jobs/abc/output/x");
    assertThat(store.deletePrefix("jobs/ab/")).isZero();
  }

  @Test
  void deletePrefix_thenPutBelowIt_works() throws IOException {
    store.put("jobs/a/output/x", bytes("x"));
    store.deletePrefix("jobs/a/");
    store.put("jobs/a/output/x", bytes("again"));
    assertThat(read("jobs/a/output/x", BlobRange.all())).isEqualTo("again");
  }

  @Test
  void deletePrefix_everything_isRefused() {
    store.put("x", bytes("x"));
    assertThatThrownBy(() -> store.deletePrefix("")).isInstanceOf(InvalidBlobKeyException.class);
    assertThat(keys("")).containsExactly("x");
  }

  @Test
  void put_keyBelowAnotherBlob_isRefused() {
    store.put("a/b", bytes("blob"));
    assertThatThrownBy(() -> store.put("a/b/c", bytes("below"))).isInstanceOf(InvalidBlobKeyException.class)
        .hasMessageContaining("below another blob");
    assertThat(keys("")).containsExactly("a/b");
  }

  @Test
  void put_keyThatIsAFolderOfBlobs_isRefused() {
    store.put("a/b/c", bytes("below"));
    assertThatThrownBy(() -> store.put("a/b", bytes("blob"))).isInstanceOf(InvalidBlobKeyException.class)
        .hasMessageContaining("folder of other blobs");
    assertThat(keys("")).containsExactly("a/b/c");
  }

  static Stream<String> invalidKeys() {
    return Stream.of("", "/abs", "trailing/", "a//b", "a/../b", "..", ".", "a/./b", "a\\b", "a\0b", "tab\there",
        "x".repeat(BlobKeys.MAX_KEY_BYTES + 1), "a/" + "é".repeat(128));
  }

  @ParameterizedTest
  @MethodSource("invalidKeys")
  void everyOperation_invalidKey_isRefusedBeforeTouchingTheStore(String key) {
    assertThatThrownBy(() -> store.put(key, bytes("x"))).isInstanceOf(InvalidBlobKeyException.class).hasMessageContaining("blob key");
    assertThatThrownBy(() -> store.get(key)).isInstanceOf(InvalidBlobKeyException.class);
    assertThatThrownBy(() -> store.delete(key)).isInstanceOf(InvalidBlobKeyException.class);
    assertThatThrownBy(() -> store.list(key + "/")).isInstanceOf(InvalidBlobKeyException.class);
    assertThatThrownBy(() -> store.deletePrefix(key + "/")).isInstanceOf(InvalidBlobKeyException.class);
    assertThat(keys("")).isEmpty();
  }

  @Test
  void keys_longestAllowed_areAccepted() throws IOException {
    String key = "s/" + "x".repeat(BlobKeys.MAX_SEGMENT_BYTES) + "/" + "é".repeat(100) + ".txt";
    store.put(key, bytes("ok"));
    assertThat(read(key, BlobRange.all())).isEqualTo("ok");
  }

  @Test
  void get_openedBeforeAPut_readsTheOldBytesToTheEnd() throws IOException {
    store.put("k", bytes("old".repeat(30_000)));
    try (Blob old = store.get("k").orElseThrow()) {
      store.put("k", bytes("new"));
      assertThat(new String(old.content().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("old".repeat(30_000));
    }
    assertThat(read("k", BlobRange.all())).isEqualTo("new");
  }

  /**
   * A writer replaces one key with versions of different sizes and contents while readers read
   * it: each read is one whole version (one fill byte, that version's length), never a mix, a
   * short read or a missing blob. Fixed numbers of puts and reads: no timing involved.
   */
  @Test
  void putAndGet_sameKeyConcurrently_readersSeeOneWholeVersion() throws Exception {
    int versions = 40;
    store.put("hot/key", new ByteArrayInputStream(version(0)));
    ExecutorService threads = Executors.newFixedThreadPool(3);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> work = new ArrayList<>();
      work.add(threads.submit(() -> {
        start.await();
        for (int v = 1; v <= versions; v++) store.put("hot/key", new ByteArrayInputStream(version(v)));
        return null;
      }));
      for (int r = 0; r < 2; r++) {
        work.add(threads.submit(() -> {
          start.await();
          for (int i = 0; i < 200; i++) {
            try (Blob blob = store.get("hot/key").orElseThrow(() -> new AssertionError("the key vanished during a put"))) {
              byte[] bytes = blob.content().readAllBytes();
              int v = bytes[0] - 'A';
              assertThat(bytes).as("read %d", i).isEqualTo(version(v));
              assertThat(blob.info().size()).isEqualTo(bytes.length);
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : work) f.get(2, TimeUnit.MINUTES);
    } finally {
      threads.shutdownNow();
    }
    assertThat(read("hot/key", BlobRange.all()).getBytes(StandardCharsets.UTF_8)).isEqualTo(version(versions));
  }

  @Test
  void twoInstances_putOnOne_isReadWholeByTheOtherWhileReplaced() throws Exception {
    BlobStore other = secondInstance();
    int versions = 30;
    store.put("shared/key", new ByteArrayInputStream(version(0)));
    runTogether(
        () -> {
          for (int v = 1; v <= versions; v++) store.put("shared/key", new ByteArrayInputStream(version(v)));
        },
        () -> {
          for (int i = 0; i < 100; i++) assertWholeVersion(other, "shared/key", "read " + i);
        });
    try (Blob blob = other.get("shared/key").orElseThrow()) {
      assertThat(blob.content().readAllBytes()).isEqualTo(version(versions));
    }
  }

  /** Both instances replace one key, each with its own versions: what is left is one whole version, a last one. */
  @Test
  void twoInstances_putSameKeyTogether_leaveOneWholeBlob() throws Exception {
    BlobStore other = secondInstance();
    int rounds = 15;
    runTogether(
        () -> {
          for (int i = 0; i < rounds; i++) store.put("race/key", new ByteArrayInputStream(version(2 * i)));
        },
        () -> {
          for (int i = 0; i < rounds; i++) other.put("race/key", new ByteArrayInputStream(version(2 * i + 1)));
        });
    for (BlobStore reader : List.of(store, other)) {
      try (Blob blob = reader.get("race/key").orElseThrow()) {
        byte[] bytes = blob.content().readAllBytes();
        assertThat(bytes).satisfiesAnyOf(b -> assertThat(b).isEqualTo(version(2 * rounds - 2)), b -> assertThat(b).isEqualTo(version(2 * rounds - 1)));
        assertThat(blob.info().size()).isEqualTo(bytes.length);
      }
    }
    assertThat(other.list("race/")).singleElement().extracting(BlobInfo::key).isEqualTo("race/key");
  }

  @Test
  void twoInstances_listAndDelete_seeEachOthersBlobs() throws IOException {
    BlobStore other = secondInstance();
    store.put("jobs/a/output/one", bytes("1"));
    other.put("jobs/a/output/two", bytes("22"));
    assertThat(other.list("jobs/a/")).extracting(BlobInfo::key).containsExactly("jobs/a/output/one", "jobs/a/output/two");
    assertThat(keys("jobs/a/")).containsExactly("jobs/a/output/one", "jobs/a/output/two");
    assertThat(other.delete("jobs/a/output/one")).isTrue();
    assertThat(store.get("jobs/a/output/one")).isEmpty();
    assertThat(read("jobs/a/output/two", BlobRange.all())).isEqualTo("22");
    assertThat(store.deletePrefix("jobs/a/")).isEqualTo(1);
    assertThat(other.list("")).isEmpty();
  }

  @Test
  void twoInstances_blobAndFolderOfOneKey_areRefusedAcrossInstances() {
    BlobStore other = secondInstance();
    store.put("a/b", bytes("blob"));
    assertThatThrownBy(() -> other.put("a/b/c", bytes("below"))).isInstanceOf(InvalidBlobKeyException.class);
    other.put("x/y/z", bytes("below"));
    assertThatThrownBy(() -> store.put("x/y", bytes("blob"))).isInstanceOf(InvalidBlobKeyException.class);
    assertThat(keys("")).containsExactly("a/b", "x/y/z");
  }

  /** A node that starts (or restarts) while another is in the middle of a put must not disturb that put. */
  @Test
  void twoInstances_openedWhileAPutIsHalfWay_leaveThatPutWhole() throws Exception {
    byte[] whole = version(7);
    CountDownLatch halfway = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    InputStream pausing = new InputStream() {
      private int at;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (at == whole.length) return -1;
        if (at == whole.length / 2 && halfway.getCount() > 0) {
          halfway.countDown();
          try {
            if (!resume.await(2, TimeUnit.MINUTES)) throw new IOException("the test never resumed the put");
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
          }
        }
        int n = Math.min(len, (at < whole.length / 2 ? whole.length / 2 : whole.length) - at);
        System.arraycopy(whole, at, b, off, n);
        at += n;
        return n;
      }
    };
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      Future<BlobInfo> put = thread.submit(() -> store.put("slow/key", pausing));
      assertThat(halfway.await(2, TimeUnit.MINUTES)).as("the put reached its middle").isTrue();
      BlobStore other = secondInstance();
      resume.countDown();
      assertThat(put.get(2, TimeUnit.MINUTES).size()).isEqualTo(whole.length);
      try (Blob blob = other.get("slow/key").orElseThrow()) {
        assertThat(blob.content().readAllBytes()).isEqualTo(whole);
      }
    } finally {
      resume.countDown();
      thread.shutdownNow();
    }
  }

  private interface Work {
    void run() throws Exception;
  }

  /** Starts every piece of work at once (a latch, no timing) and waits for all of them. */
  private static void runTogether(Work... work) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(work.length);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> running = new ArrayList<>();
      for (Work w : work) {
        running.add(threads.submit(() -> {
          start.await();
          w.run();
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : running) f.get(3, TimeUnit.MINUTES);
    } finally {
      threads.shutdownNow();
    }
  }

  private static void assertWholeVersion(BlobStore reader, String key, String what) throws IOException {
    try (Blob blob = reader.get(key).orElseThrow(() -> new AssertionError("the key vanished during a put"))) {
      byte[] bytes = blob.content().readAllBytes();
      int v = bytes[0] - 'A';
      assertThat(bytes).as(what).isEqualTo(version(v));
      assertThat(blob.info().size()).isEqualTo(bytes.length);
    }
  }

  private static byte[] version(int v) {
    byte[] bytes = new byte[100_000 + v * 3_001];
    Arrays.fill(bytes, (byte) ('A' + v));
    return bytes;
  }
}
