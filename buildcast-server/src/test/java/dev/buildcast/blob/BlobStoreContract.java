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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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

  @BeforeEach
  void createStore() {
    store = newStore(dir.resolve("store"));
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

  private static byte[] version(int v) {
    byte[] bytes = new byte[100_000 + v * 3_001];
    Arrays.fill(bytes, (byte) ('A' + v));
    return bytes;
  }
}
