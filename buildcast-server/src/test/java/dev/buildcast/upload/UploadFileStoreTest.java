package dev.buildcast.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.blob.BlobInfo;
import dev.buildcast.blob.BlobStore;
import dev.buildcast.job.PrivateFiles;
import dev.buildcast.storage.file.FileUploadStore;
import dev.buildcast.storage.file.FolderBlobStore;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FileUploadStore}: the {@link UploadStoreContract}, and what only files can suffer — records
 * torn, garbled or lying about their bytes. Named Upload* so the upload test runs pick it up.
 */
class UploadFileStoreTest extends UploadStoreContract {

  @TempDir Path dir;
  @TempDir Path blobDir;

  private BlobStore blobStore;

  @Override
  protected BlobStore blobs() {
    if (blobStore == null) blobStore = new FolderBlobStore(blobDir, FolderBlobStore.Durability.PAGE_CACHE);
    return blobStore;
  }

  @Override
  protected UploadStore newStore() {
    return new FileUploadStore(dir, blobs());
  }

  @Override
  protected UploadStore restarted(UploadStore store) {
    return new FileUploadStore(dir, blobs());
  }

  @Test
  void write_atHeldOffset_appendsAndComplete_putsTheBlobAndDeletesThePart() throws Exception {
    FileUploadStore store = new FileUploadStore(dir, blobs());
    store.create(unfinished(ID, 3, 0));
    assertThat(store.write(ID, 0, ByteBuffer.wrap(new byte[] {1, 2}))).isEqualTo(2);
    assertThat(store.write(ID, 2, ByteBuffer.wrap(new byte[] {3}))).isEqualTo(3);
    assertThat(store.unfinishedSize(ID)).isEqualTo(3);
    assertThat(store.unfinished()).extracting(UploadStore.Unfinished::uploadId).containsExactly(ID);
    BlobInfo done = store.complete(completedRecord(ID, 3));
    assertThat(done.key()).isEqualTo("uploads/" + ID);
    assertThat(completedBytes(store, ID)).containsExactly(1, 2, 3);
    assertThat(store.unfinished()).isEmpty();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly(ID + ".record");
    }
  }

  @Test
  void anyCall_idThatIsAPath_refusedOnCreate() {
    FileUploadStore store = new FileUploadStore(dir, blobs());
    assertThatThrownBy(() -> store.readUnfinished("../../../../tmp/evil")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void save_writesTheRecordPrivateAndLeavesNoTemporaryFile() throws Exception {
    FileUploadStore store = new FileUploadStore(dir, blobs());
    store.create(unfinished(ID, 10, 0));
    store.write(ID, 0, bytes(4, 0));
    store.save(unfinished(ID, 10, 4));
    Path record = dir.resolve(ID + ".record");
    assertThat(Files.getPosixFilePermissions(record)).isEqualTo(PrivateFiles.FILE);
    assertThat(Files.readString(record)).contains("\"offset\":4", "\"name\":\"export.zip\"", "\"address\":\"203.0.113.7\"", "\"expect\":\"zip\"");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(ID + ".part", ID + ".record");
    }
  }

  @Test
  void restore_crashBetweenCompletedRecordAndPut_finishesThePut() throws Exception {
    FileUploadStore store = new FileUploadStore(dir, blobs());
    store.create(unfinished(ID, 6, 0));
    store.write(ID, 0, bytes(6, 3));
    store.save(completedRecord(ID, 6)); // the completed record is saved, the blob not yet put
    FileUploadStore after = new FileUploadStore(dir, blobs());
    UploadStore.Restored restored = after.restore();
    assertThat(restored.uploads()).containsExactly(completedRecord(ID, 6));
    assertThat(completedBytes(after, ID)).containsExactly(bytes(6, 3).array());
    assertThat(Files.exists(dir.resolve(ID + ".part"))).isFalse();
  }

  @Test
  void restore_crashBetweenPutAndPartDeletion_keepsTheBlobAndDeletesThePart() throws Exception {
    FileUploadStore store = new FileUploadStore(dir, blobs());
    store.create(unfinished(ID, 6, 0));
    store.write(ID, 0, bytes(6, 3));
    store.complete(completedRecord(ID, 6));
    Files.write(dir.resolve(ID + ".part"), bytes(6, 3).array()); // as if the part's deletion never happened
    FileUploadStore after = new FileUploadStore(dir, blobs());
    assertThat(after.restore().uploads()).containsExactly(completedRecord(ID, 6));
    assertThat(after.unfinished()).isEmpty();
    assertThat(after.usage()).isEqualTo(new UploadStore.Usage(1, 6));
  }

  @Test
  void restore_completedFilesOfTheEarlierLayout_movesThemIntoTheBlobStore() throws Exception {
    // the earlier layout: a completed upload was the file <id> next to its record, or alone (older still)
    FileUploadStore old = new FileUploadStore(dir, blobs());
    old.create(unfinished(ID, 6, 0));
    old.write(ID, 0, bytes(6, 3));
    old.save(completedRecord(ID, 6));
    Files.move(dir.resolve(ID + ".part"), dir.resolve(ID));
    Files.write(dir.resolve(OTHER), bytes(4, 9).array());

    FileUploadStore after = new FileUploadStore(dir, blobs());
    UploadStore.Restored restored = after.restore();

    assertThat(restored.dropped()).isEmpty();
    assertThat(restored.uploads()).containsExactly(completedRecord(ID, 6));
    assertThat(completedBytes(after, ID)).containsExactly(bytes(6, 3).array());
    assertThat(completedBytes(after, OTHER)).containsExactly(bytes(4, 9).array());
    assertThat(after.completedFiles()).extracting(UploadStore.Completed::uploadId).containsExactlyInAnyOrder(ID, OTHER);
    assertThat(after.usage()).isEqualTo(new UploadStore.Usage(2, 10));
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly(ID + ".record");
    }
    after.delete(OTHER);
    assertThat(after.completed(OTHER)).isEmpty();
  }

  @Test
  void restore_damagedRecords_dropsEachWithItsReasonAndLoadsTheOthers() throws Exception {
    FileUploadStore store = new FileUploadStore(dir, blobs());
    store.create(unfinished(ID, 100, 0));
    store.write(ID, 0, bytes(10, 1));
    store.save(unfinished(ID, 100, 10));
    String torn = "Torn0000000000000000_-";
    String garbled = "Garbled000000000000_-x";
    String lying = "Lying00000000000000_-x";
    String noBytes = "NoBytes000000000000_-x";
    String shorter = "Shorter000000000000_-x";
    String noFile = "NoFile00000000000000_x";
    String full = Files.readString(dir.resolve(ID + ".record"));
    Files.writeString(dir.resolve(torn + ".record"), full.replace(ID, torn).substring(0, full.length() / 2));
    Files.write(dir.resolve(torn + ".part"), new byte[10]);
    Files.write(dir.resolve(garbled + ".record"), new byte[] {(byte) 0xff, 0, 0x7b, 0x22, 0x0a});
    Files.write(dir.resolve(garbled + ".part"), new byte[10]);
    Files.writeString(dir.resolve(lying + ".record"), full.replace(ID, lying).replace("\"offset\":10", "\"offset\":1000"));
    Files.write(dir.resolve(lying + ".part"), new byte[1000]);
    Files.writeString(dir.resolve(noBytes + ".record"), full.replace(ID, noBytes));
    Files.writeString(dir.resolve(shorter + ".record"), full.replace(ID, shorter));
    Files.write(dir.resolve(shorter + ".part"), new byte[9]);
    FileUploadStore completing = new FileUploadStore(dir, blobs());
    completing.create(unfinished(noFile, 6, 0));
    completing.write(noFile, 0, bytes(6, 0));
    completing.complete(completedRecord(noFile, 6));
    blobs().delete(UploadStore.blobKey(noFile));
    Files.writeString(dir.resolve(OTHER + ".record.tmp"), "{\"half\":");

    UploadStore.Restored restored = new FileUploadStore(dir, blobs()).restore();

    assertThat(restored.uploads()).extracting(UploadRecord::uploadId).containsExactly(ID);
    assertThat(restored.dropped()).extracting(UploadStore.Dropped::upload).containsExactlyInAnyOrder(torn, garbled, lying, noBytes, shorter, noFile);
    assertThat(reason(restored, torn)).contains("not readable JSON");
    assertThat(reason(restored, garbled)).contains("not readable JSON");
    assertThat(reason(restored, lying)).contains("impossible values", "offset 1000 does not fit size 100");
    assertThat(reason(restored, noBytes)).contains("bytes (the .part file) are missing");
    assertThat(reason(restored, shorter)).contains("holds 9 bytes, fewer than the 10 recorded");
    assertThat(reason(restored, noFile)).contains("completed blob is missing");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(ID + ".part", ID + ".record");
    }
  }

  @Test
  void restore_recordOfAnotherUpload_dropped() throws Exception {
    FileUploadStore store = new FileUploadStore(dir, blobs());
    store.create(unfinished(ID, 100, 0));
    Files.move(dir.resolve(ID + ".record"), dir.resolve(OTHER + ".record"));
    Files.move(dir.resolve(ID + ".part"), dir.resolve(OTHER + ".part"));
    UploadStore.Restored restored = new FileUploadStore(dir, blobs()).restore();
    assertThat(restored.uploads()).isEmpty();
    assertThat(reason(restored, OTHER)).contains("names another upload");
  }

  @Test
  void restore_hugeRecord_droppedWithoutReadingIt() throws Exception {
    Files.write(dir.resolve(ID + ".record"), new byte[1 << 20]);
    assertThat(reason(new FileUploadStore(dir, blobs()).restore(), ID)).contains("not a record");
  }

  @Test
  void restore_noFolderYet_findsNothing() throws Exception {
    assertThat(new FileUploadStore(dir.resolve("absent"), blobs()).restore().uploads()).isEmpty();
  }

  private static String reason(UploadStore.Restored restored, String id) {
    return restored.dropped().stream().filter(d -> d.upload().equals(id)).findFirst().orElseThrow().reason();
  }

}
