package dev.buildcast.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.blob.BlobInfo;
import dev.buildcast.blob.BlobStore;
import dev.buildcast.storage.file.FolderBlobStore;
import dev.buildcast.upload.UploadMovedException;
import dev.buildcast.upload.UploadStore;
import dev.buildcast.upload.UploadStoreContract;
import dev.buildcast.upload.WrongOffsetException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link UploadStoreContract} against the cluster's store (one node, restarted with the same
 * id), plus what only a store two nodes share can show: an upload saved on one node continues on
 * the other from its last stored part, the first node is fenced off, and the completed file is one
 * blob every node reads.
 */
class RedisUploadStoreTest extends UploadStoreContract {

  @RegisterExtension static final RedisTestEngines engines = new RedisTestEngines();

  @TempDir Path temp;
  private BlobStore blobStore;

  @Override
  protected BlobStore blobs() {
    if (blobStore == null) blobStore = new FolderBlobStore(temp.resolve("shared"), FolderBlobStore.Durability.PAGE_CACHE);
    return blobStore;
  }

  @Override
  protected UploadStore newStore() {
    engines.flushAll();
    return node("n1");
  }

  @Override
  protected UploadStore restarted(UploadStore store) {
    return node("n1");
  }

  private RedisUploadStore node(String nodeId) {
    return new RedisUploadStore(engines.open(), blobs(), temp.resolve(nodeId + "-uploads"), nodeId);
  }

  private static ByteBuffer slice(byte[] all, int from, int to) {
    return ByteBuffer.wrap(all, from, to - from);
  }

  @Test
  void adopt_onAnotherNode_continuesFromTheLastSavedPart_andFencesTheFirstNode() throws Exception {
    engines.flushAll();
    RedisUploadStore n1 = node("n1");
    RedisUploadStore n2 = node("n2");
    byte[] file = bytes(100, 7).array();
    n1.create(unfinished(ID, 100, 0));
    n1.write(ID, 0, slice(file, 0, 30));
    n1.save(unfinished(ID, 100, 30));
    n1.write(ID, 30, slice(file, 30, 40)); // only on n1's disk: not promised to the cluster

    assertThat(n2.adopt(ID)).contains(unfinished(ID, 100, 30));
    assertThat(n2.unfinishedSize(ID)).isEqualTo(30);
    assertThat(read(n2.readUnfinished(ID))).containsExactly(java.util.Arrays.copyOfRange(file, 0, 30));
    assertThatThrownBy(() -> n2.write(ID, 40, slice(file, 40, 50)))
        .isInstanceOfSatisfying(WrongOffsetException.class, e -> assertThat(e.expectedOffset()).isEqualTo(30));
    assertThat(n2.write(ID, 30, slice(file, 30, 60))).isEqualTo(60);

    assertThatThrownBy(() -> n1.write(ID, 40, slice(file, 40, 50))).isInstanceOf(UploadMovedException.class);
    assertThatThrownBy(() -> n1.save(unfinished(ID, 100, 40))).isInstanceOf(UploadMovedException.class);
    assertThatThrownBy(() -> n1.complete(completedRecord(ID, 100))).isInstanceOf(UploadMovedException.class);

    n2.save(unfinished(ID, 100, 60));
    assertThat(blobs().list("upload-parts/" + ID + "/")).extracting(BlobInfo::key).containsExactly(
        "upload-parts/" + ID + "/part-00000-n1", "upload-parts/" + ID + "/part-00001-n2");
    n2.write(ID, 60, slice(file, 60, 100));
    BlobInfo done = n2.complete(completedRecord(ID, 100));
    assertThat(done.size()).isEqualTo(100);
    assertThat(completedBytes(n1, ID)).containsExactly(file);
    assertThat(n1.find(ID)).contains(completedRecord(ID, 100));
    assertThat(blobs().list("upload-parts/")).isEmpty();
  }

  @Test
  void save_storesThePartsSinceTheLastSave_andTheRecordCountsThem() throws Exception {
    engines.flushAll();
    RedisUploadStore n1 = node("n1");
    n1.create(unfinished(ID, 100, 0));
    n1.write(ID, 0, bytes(10, 1));
    n1.save(unfinished(ID, 100, 10));
    n1.save(unfinished(ID, 100, 10)); // nothing new: no empty part
    n1.write(ID, 10, bytes(5, 2));
    n1.save(unfinished(ID, 100, 15));
    assertThat(blobs().list("upload-parts/" + ID + "/")).extracting(BlobInfo::key, BlobInfo::size).containsExactly(
        org.assertj.core.groups.Tuple.tuple("upload-parts/" + ID + "/part-00000-n1", 10L),
        org.assertj.core.groups.Tuple.tuple("upload-parts/" + ID + "/part-00001-n1", 5L));
    Map<String, String> hash = engines.open().call("test", r -> r.hgetall(RedisUploadStore.uploadKey(ID)));
    assertThat(hash).containsEntry("parts", "n1,n1").containsEntry("holder", "n1").doesNotContainKey("done");
    assertThat(node("n2").find(ID)).contains(unfinished(ID, 100, 15));
  }

  @Test
  void restore_onAnotherNode_leavesItsUnfinishedUploadsAlone_butLoadsCompletedOnes() throws Exception {
    engines.flushAll();
    RedisUploadStore n1 = node("n1");
    n1.create(unfinished(ID, 100, 0));
    n1.write(ID, 0, bytes(10, 1));
    n1.save(unfinished(ID, 100, 10));
    n1.create(unfinished(OTHER, 6, 0));
    n1.write(OTHER, 0, bytes(6, 3));
    n1.complete(completedRecord(OTHER, 6));

    assertThat(node("n2").restore().uploads()).containsExactly(completedRecord(OTHER, 6));
    assertThat(n1.unfinishedSize(ID)).isEqualTo(10);
    assertThat(n1.write(ID, 10, bytes(90, 2))).isEqualTo(100);
  }
}
