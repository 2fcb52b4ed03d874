package dev.buildcast.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.blob.Blob;
import dev.buildcast.blob.BlobInfo;
import dev.buildcast.blob.BlobRange;
import dev.buildcast.blob.BlobStore;
import dev.buildcast.testing.ManualClock;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link UploadStore} promises, run against each adapter (the file store and the
 * in-memory one, and the cluster's Redis one): create, append at the held offset, complete, delete, the listings the sweeper
 * judges expiry by, and a restore after a restart that answers each upload at its last saved
 * offset with its record whole.
 */
public abstract class UploadStoreContract {

  protected static final String ID = "AbCdEfGhIjKlMnOpQrSt_-";
  protected static final String OTHER = "ZyXwVuTsRqPoNmLkJiHg-_";
  protected static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  protected static final String SHA = "a".repeat(64);

  protected final ManualClock clock = new ManualClock(T0);

  /** The blob store the store under test puts completed uploads into (the same for every store of a test). */
  protected abstract BlobStore blobs();

  /** A new, empty store. */
  protected abstract UploadStore newStore() throws Exception;

  /** A store over the same durable state as {@code store}, as a new process sees it after a SIGKILL. */
  protected abstract UploadStore restarted(UploadStore store) throws Exception;

  protected static UploadRecord unfinished(String id, long size, long offset) {
    return new UploadRecord(id, "export.zip", size, offset, Optional.of(SHA), Optional.empty(), Optional.of("203.0.113.7"),
        Optional.of(UploadKind.ZIP), true, T0);
  }

  protected static UploadRecord completedRecord(String id, long size) {
    return new UploadRecord(id, "done.bin", size, size, Optional.empty(), Optional.of(SHA), Optional.of("203.0.113.7"), Optional.empty(), true,
        T0.plusSeconds(60));
  }

  protected static ByteBuffer bytes(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + seed);
    return ByteBuffer.wrap(b);
  }

  /** The completed upload's bytes, read from its blob. */
  protected static byte[] completedBytes(UploadStore store, String id) throws Exception {
    try (Blob blob = store.openCompleted(id, BlobRange.all()).orElseThrow()) {
      return blob.content().readAllBytes();
    }
  }

  protected static byte[] read(InputStream in) throws Exception {
    try (in) {
      return in.readAllBytes();
    }
  }

  @Test
  void write_atHeldOffset_appendsAndCountsTheBytes() throws Exception {
    UploadStore store = newStore();
    store.create(unfinished(ID, 10, 0));
    assertThat(store.unfinishedSize(ID)).isZero();
    assertThat(store.write(ID, 0, bytes(4, 1))).isEqualTo(4);
    assertThat(store.write(ID, 4, bytes(3, 2))).isEqualTo(7);
    assertThat(store.unfinishedSize(ID)).isEqualTo(7);
    byte[] expected = new byte[7];
    bytes(4, 1).get(expected, 0, 4);
    bytes(3, 2).get(expected, 4, 3);
    assertThat(read(store.readUnfinished(ID))).containsExactly(expected);
    assertThat(store.unfinished()).extracting(UploadStore.Unfinished::uploadId).containsExactly(ID);
    assertThat(store.completed(ID)).isEmpty();
  }

  @Test
  void write_atAnotherOffset_refusedWithTheBytesHeldAndNothingWritten() throws Exception {
    UploadStore store = newStore();
    store.create(unfinished(ID, 10, 0));
    store.write(ID, 0, bytes(5, 0));
    assertThatThrownBy(() -> store.write(ID, 3, bytes(1, 0)))
        .isInstanceOfSatisfying(WrongOffsetException.class, e -> assertThat(e.expectedOffset()).isEqualTo(5));
    assertThatThrownBy(() -> store.write(ID, 6, bytes(1, 0))).isInstanceOf(WrongOffsetException.class);
    assertThat(store.unfinishedSize(ID)).isEqualTo(5);
  }

  @Test
  void complete_putsTheBytesIntoTheBlobStoreUnderUploadsId() throws Exception {
    UploadStore store = newStore();
    store.create(unfinished(ID, 6, 0));
    store.write(ID, 0, bytes(6, 3));
    BlobInfo done = store.complete(completedRecord(ID, 6));
    assertThat(done.key()).isEqualTo("uploads/" + ID);
    assertThat(done.size()).isEqualTo(6);
    assertThat(completedBytes(store, ID)).containsExactly(bytes(6, 3).array());
    try (Blob blob = blobs().get("uploads/" + ID).orElseThrow()) {
      assertThat(blob.content().readAllBytes()).containsExactly(bytes(6, 3).array());
    }
    assertThat(store.completed(ID)).get().extracting(BlobInfo::key, BlobInfo::size).containsExactly("uploads/" + ID, 6L);
    try (Blob part = store.openCompleted(ID, BlobRange.between(2, 4)).orElseThrow()) {
      assertThat(part.content().readAllBytes()).containsExactly(java.util.Arrays.copyOfRange(bytes(6, 3).array(), 2, 5));
    }
    assertThat(store.unfinishedSize(ID)).isEqualTo(-1);
    assertThat(store.unfinished()).isEmpty();
    assertThat(store.completedFiles()).extracting(UploadStore.Completed::uploadId, UploadStore.Completed::size).containsExactly(
        org.assertj.core.groups.Tuple.tuple(ID, 6L));
  }

  @Test
  void restore_afterASave_answersTheSavedOffsetAndDropsLaterBytes() throws Exception {
    UploadStore store = newStore();
    store.create(unfinished(ID, 100, 0));
    store.write(ID, 0, bytes(10, 1));
    store.save(unfinished(ID, 100, 10));
    store.write(ID, 10, bytes(5, 2)); // never saved: not promised to survive

    UploadStore after = restarted(store);
    UploadStore.Restored restored = after.restore();
    assertThat(restored.dropped()).isEmpty();
    assertThat(restored.uploads()).hasSize(1);
    assertThat(restored.uploads()).containsExactly(unfinished(ID, 100, 10));
    assertThat(after.unfinishedSize(ID)).isEqualTo(10);
    assertThat(read(after.readUnfinished(ID))).containsExactly(bytes(10, 1).array());
    assertThat(after.write(ID, 10, bytes(90, 4))).isEqualTo(100); // the client continues at the answered offset
  }

  @Test
  void restore_withoutASaveSinceCreate_answersOffsetZero() throws Exception {
    UploadStore store = newStore();
    store.create(unfinished(ID, 100, 0));
    store.write(ID, 0, bytes(10, 1));
    UploadStore after = restarted(store);
    assertThat(after.restore().uploads()).extracting(UploadRecord::offset).containsExactly(0L);
    assertThat(after.unfinishedSize(ID)).isZero();
  }

  @Test
  void restore_completedUpload_keepsItsRecordAndFile() throws Exception {
    UploadStore store = newStore();
    store.create(unfinished(ID, 6, 0));
    store.write(ID, 0, bytes(6, 3));
    store.complete(completedRecord(ID, 6));
    UploadRecord used = completedRecord(ID, 6).activeAt(T0.plus(Duration.ofHours(5)));
    store.save(used); // a job took it: its expiry counts from now

    UploadStore after = restarted(store);
    assertThat(after.restore().uploads()).containsExactly(used);
    assertThat(completedBytes(after, ID)).containsExactly(bytes(6, 3).array());
  }

  @Test
  void delete_removesBytesAndRecord_unfinishedOrCompleted() throws Exception {
    UploadStore store = newStore();
    store.create(unfinished(ID, 6, 0));
    store.write(ID, 0, bytes(6, 3));
    store.complete(completedRecord(ID, 6));
    store.create(unfinished(OTHER, 6, 0));
    store.write(OTHER, 0, bytes(2, 3));
    store.save(unfinished(OTHER, 6, 2));
    store.delete(ID);
    store.delete(OTHER);
    assertThat(store.completed(ID)).isEmpty();
    assertThat(store.openCompleted(ID, BlobRange.all())).isEmpty();
    assertThat(blobs().list("uploads/")).isEmpty();
    assertThat(store.unfinishedSize(OTHER)).isEqualTo(-1);
    assertThat(store.usage()).isEqualTo(new UploadStore.Usage(0, 0));
    assertThat(restarted(store).restore().uploads()).isEmpty();
  }

  @Test
  void usage_countsUnfinishedFilesAndCompletedBlobsWithTheirBytes_notRecords() throws Exception {
    UploadStore store = newStore();
    store.create(unfinished(ID, 100, 0));
    store.write(ID, 0, bytes(10, 1));
    store.save(unfinished(ID, 100, 10));
    store.create(unfinished(OTHER, 6, 0));
    store.write(OTHER, 0, bytes(6, 1));
    store.complete(completedRecord(OTHER, 6));
    assertThat(store.usage()).isEqualTo(new UploadStore.Usage(2, 16));
  }

  @Test
  void restore_manyUploads_eachAtItsOwnOffset() throws Exception {
    UploadStore store = newStore();
    store.create(unfinished(ID, 100, 0));
    store.write(ID, 0, bytes(30, 1));
    store.save(unfinished(ID, 100, 30));
    store.create(unfinished(OTHER, 100, 0));
    store.write(OTHER, 0, bytes(20, 1));
    store.save(unfinished(OTHER, 100, 20));
    UploadStore after = restarted(store);
    assertThat(after.restore().uploads()).extracting(UploadRecord::uploadId, UploadRecord::offset)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(ID, 30L), org.assertj.core.groups.Tuple.tuple(OTHER, 20L));
  }

  @Test
  void find_answersTheLastSavedRecord_andEmptyForAnUnknownOrDeletedId() throws Exception {
    UploadStore store = newStore();
    assertThat(store.find(ID)).isEmpty();
    store.create(unfinished(ID, 100, 0));
    store.write(ID, 0, bytes(10, 1));
    store.save(unfinished(ID, 100, 10));
    assertThat(store.find(ID)).contains(unfinished(ID, 100, 10));
    assertThat(store.adopt(ID)).contains(unfinished(ID, 100, 10));
    assertThat(store.write(ID, 10, bytes(90, 2))).isEqualTo(100); // adopting keeps the saved bytes to continue from
    store.complete(completedRecord(ID, 100));
    assertThat(store.find(ID)).contains(completedRecord(ID, 100));
    assertThat(restarted(store).find(ID)).contains(completedRecord(ID, 100));
    store.delete(ID);
    assertThat(store.find(ID)).isEmpty();
    assertThat(store.adopt(ID)).isEmpty();
  }

  @Test
  void anyCall_idThatIsAPath_refused() throws Exception {
    UploadStore store = newStore();
    assertThatThrownBy(() -> store.write("../../../../tmp/evil", 0, bytes(1, 0))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.delete("../x")).isInstanceOf(IllegalArgumentException.class);
    assertThat(store.completed("../../etc/passwd")).isEmpty();
  }
}
