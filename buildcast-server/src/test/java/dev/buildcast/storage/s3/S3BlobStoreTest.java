package dev.buildcast.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.blob.Blob;
import dev.buildcast.blob.BlobInfo;
import dev.buildcast.blob.BlobStore;
import dev.buildcast.blob.BlobStoreContract;
import dev.buildcast.testing.LocalS3;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract on S3 (an S3Proxy this class starts on a loopback port, one new bucket per test,
 * blob keys under a key prefix), plus what only object storage has: answers paged at 1,000 keys,
 * multipart uploads of large streams in bounded memory, and the prefix shared with other users of
 * the bucket.
 */
class S3BlobStoreTest extends BlobStoreContract {

  @TempDir static Path s3Folder;
  private static LocalS3 s3;

  private final Map<Path, S3BlobStoreOptions> optionsByDir = new HashMap<>();
  private final List<S3BlobStore> opened = new ArrayList<>();

  @BeforeAll
  static void startS3() {
    s3 = LocalS3.start(s3Folder.resolve("s3"));
  }

  @AfterAll
  static void stopS3() {
    s3.close();
  }

  @AfterEach
  void closeStores() {
    opened.forEach(S3BlobStore::close);
  }

  @Override
  protected BlobStore newStore(Path dir) {
    S3BlobStoreOptions options = s3.options(s3.createBucket(), "installation/");
    optionsByDir.put(dir, options);
    return open(options);
  }

  @Override
  protected Optional<BlobStore> newStoreOnSameStorage(Path dir) {
    return Optional.of(open(optionsByDir.get(dir)));
  }

  private S3BlobStore open(S3BlobStoreOptions options) {
    S3BlobStore store = new S3BlobStore(options, Clock.systemUTC());
    opened.add(store);
    return store;
  }

  private static InputStream text(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The objects are put in place behind the store's back (the puts are the other tests'), then listed and deleted through it. */
  @Test
  void list_moreKeysThanOneAnswerHolds_returnsThemAllSortedAndDeletePrefixRemovesThemAll() throws Exception {
    int count = 1_205;
    S3BlobStoreOptions options = optionsFor(store);
    for (int i = 0; i < count; i++) s3.writeObjectFile(options.bucket(), options.keyPrefix() + "many/k" + (count - i), new byte[] {'x'});
    store.put("other/keep", text("k"));
    List<String> keys = store.list("many/").stream().map(BlobInfo::key).toList();
    assertThat(keys).hasSize(count).isSorted().contains("many/k1", "many/k1205");
    assertThat(store.deletePrefix("many/")).isEqualTo(count);
    assertThat(store.list("")).extracting(BlobInfo::key).containsExactly("other/keep");
  }

  @Test
  void keyPrefix_separatesInstallationsSharingABucket() throws IOException {
    S3BlobStoreOptions mine = optionsFor(store);
    S3BlobStore neighbour = open(new S3BlobStoreOptions(mine.endpoint(), mine.bucket(), mine.region(), true, mine.accessKeyId(),
        mine.secretAccessKey(), "neighbour/", mine.connectTimeout(), mine.readTimeout()));
    store.put("jobs/a/output/x", text("mine"));
    neighbour.put("jobs/a/output/x", text("theirs"));
    assertThat(store.list("")).extracting(BlobInfo::key).containsExactly("jobs/a/output/x");
    try (Blob blob = store.get("jobs/a/output/x").orElseThrow()) {
      assertThat(new String(blob.content().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("mine");
    }
    assertThat(neighbour.deletePrefix("jobs/")).isEqualTo(1);
    assertThat(store.list("")).hasSize(1);
  }

  /**
   * 200 MB from a stream of unknown length: stored whole (multipart), read back whole and by a
   * range across a part boundary, and while it goes up the heap never holds it: at 150 MB read,
   * what remains in use after a collection is far below that.
   */
  @Test
  void put_largeStreamOfUnknownLength_isStoredWholeInBoundedMemory() throws Exception {
    long size = 200L * 1024 * 1024;
    long[] heapUsedAt150Mb = {-1};
    InputStream generated = new GeneratedBytes(size, 150L * 1024 * 1024, () -> {
      System.gc();
      heapUsedAt150Mb[0] = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    });
    BlobInfo info = store.put("big/blob", generated);
    assertThat(info.size()).isEqualTo(size);
    assertThat(heapUsedAt150Mb[0]).as("heap in use at 150 MB read").isBetween(0L, 100L * 1024 * 1024);
    try (Blob blob = store.get("big/blob").orElseThrow()) {
      assertThat(blob.info().size()).isEqualTo(size);
      assertThat(sha256(blob.content())).isEqualTo(sha256(new GeneratedBytes(size, -1, () -> {})));
    }
    long boundary = S3BlobStore.PART_BYTES;
    try (Blob blob = store.get("big/blob", dev.buildcast.blob.BlobRange.between(boundary - 3, boundary + 2)).orElseThrow()) {
      byte[] expected = new byte[6];
      for (int i = 0; i < 6; i++) expected[i] = GeneratedBytes.at(boundary - 3 + i);
      assertThat(blob.content().readAllBytes()).isEqualTo(expected);
    }
  }

  /** Sizes around each switch of the upload: small read, part buffer, one part, two parts. */
  @ParameterizedTest
  @ValueSource(ints = {StreamUpload.SMALL_BLOB_BYTES - 1, StreamUpload.SMALL_BLOB_BYTES, StreamUpload.SMALL_BLOB_BYTES + 1,
      S3BlobStore.PART_BYTES - 1, S3BlobStore.PART_BYTES, S3BlobStore.PART_BYTES + 1})
  void put_sizesAtEachSwitchOfTheUpload_areStoredWhole(int size) throws IOException {
    byte[] bytes = new byte[size];
    for (int i = 0; i < bytes.length; i++) bytes[i] = GeneratedBytes.at(i);
    assertThat(store.put("sized/blob", new ByteArrayInputStream(bytes)).size()).isEqualTo(size);
    try (Blob blob = store.get("sized/blob").orElseThrow()) {
      assertThat(blob.info().size()).isEqualTo(size);
      assertThat(blob.content().readAllBytes()).isEqualTo(bytes);
    }
  }

  @Test
  void wrongSecretKey_isAPlainFailureThatSaysWhatToCheck() {
    S3BlobStoreOptions mine = optionsFor(store);
    S3BlobStore wrong = open(new S3BlobStoreOptions(mine.endpoint(), mine.bucket(), mine.region(), true, mine.accessKeyId(),
        "not-the-secret", mine.keyPrefix(), mine.connectTimeout(), mine.readTimeout()));
    assertThatThrownBy(() -> wrong.put("k", text("x")))
        .isExactlyInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining("HTTP 403").hasMessageContaining("secret key");
    assertThatThrownBy(wrong::checkBucket).isExactlyInstanceOf(java.io.UncheckedIOException.class);
  }

  @Test
  void checkBucket_missingBucket_saysSo() {
    S3BlobStoreOptions mine = optionsFor(store);
    S3BlobStore missing = open(new S3BlobStoreOptions(mine.endpoint(), "no-such-bucket", mine.region(), true, mine.accessKeyId(),
        mine.secretAccessKey(), "", mine.connectTimeout(), mine.readTimeout()));
    assertThatThrownBy(missing::checkBucket).hasMessageContaining("HTTP 404").hasMessageContaining("no-such-bucket");
    assertThatThrownBy(() -> missing.get("k")).as("a missing bucket is no missing blob").hasMessageContaining("NoSuchBucket");
    assertThatThrownBy(() -> missing.list("")).hasMessageContaining("NoSuchBucket");
    store.put("k", text("x"));
    ((S3BlobStore) store).checkBucket();
  }

  private S3BlobStoreOptions optionsFor(BlobStore s) {
    return optionsByDir.values().stream().filter(o -> s.toString().contains("bucket " + o.bucket() + ",")).findFirst().orElseThrow();
  }

  private static String sha256(InputStream in) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    byte[] buffer = new byte[1 << 16];
    for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
    return HexFormat.of().formatHex(digest.digest());
  }

  /** {@code size} bytes made from their position (no array holds them), with a hook at one position. */
  static final class GeneratedBytes extends InputStream {
    private final long size;
    private final long hookAt;
    private final Runnable hook;
    private long at;

    GeneratedBytes(long size, long hookAt, Runnable hook) {
      this.size = size;
      this.hookAt = hookAt;
      this.hook = hook;
    }

    static byte at(long position) {
      return (byte) (position * 31 + (position >>> 11));
    }

    @Override
    public int read() {
      if (at >= size) return -1;
      if (at == hookAt) hook.run();
      return at(at++) & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (at >= size) return -1;
      if (at <= hookAt && hookAt < at + len) {
        int before = (int) (hookAt - at);
        if (before > 0) return fill(b, off, before);
        hook.run();
      }
      return fill(b, off, (int) Math.min(len, size - at));
    }

    private int fill(byte[] b, int off, int n) {
      for (int i = 0; i < n; i++) b[off + i] = at(at + i);
      at += n;
      return n;
    }
  }
}
