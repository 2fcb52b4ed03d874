package dev.buildcast.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.blob.BlobStore;
import dev.buildcast.storage.file.FolderBlobStore;
import dev.buildcast.testing.ManualClock;
import dev.buildcast.testing.TestBytes;
import dev.buildcast.upload.UploadException;
import dev.buildcast.upload.UploadLimits;
import dev.buildcast.upload.UploadService;
import dev.buildcast.upload.WrongOffsetException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes' {@link UploadService}s over {@link RedisUploadStore}s on one Redis and one blob folder:
 * what the service does with an upload another node took over — it answers from the store, never
 * from its stale copy, and never deletes what the other node continued or completed.
 */
class RedisUploadServiceTest {

  @RegisterExtension static final RedisTestEngines engines = new RedisTestEngines();

  @TempDir Path temp;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final UploadLimits limits = new UploadLimits(1_000_000, 4, Duration.ofHours(1), 1000, 100, 10_000_000);

  private UploadService node(String nodeId, BlobStore blobs) {
    return new UploadService(new RedisUploadStore(engines.open(), blobs, temp.resolve(nodeId), nodeId), limits, clock);
  }

  @Test
  void uploadResumedOnN2_n1sStaleCopyIsForgotten_itsChunkGetsTheStoredOffset_andItsSweepDeletesNothing() throws Exception {
    engines.flushAll();
    BlobStore blobs = new FolderBlobStore(temp.resolve("shared"), FolderBlobStore.Durability.PAGE_CACHE);
    UploadService n1 = node("n1", blobs);
    UploadService n2 = node("n2", blobs);
    byte[] file = TestBytes.seeded(16_13L, 3000);
    String id = n1.start("client-a", "f.bin", file.length, Optional.of(TestBytes.sha256(file))).uploadId();
    n1.write(id, 0, ByteBuffer.wrap(file, 0, 1000));
    n1.saveProgress(id); // as at the end of an HTTP body: 1000 bytes recorded
    n1.write(id, 1000, ByteBuffer.wrap(file, 1000, 500)); // never recorded

    UploadService.Started resumed = n2.resume("client-b", id);
    assertThat(resumed.offset()).isEqualTo(1000);
    assertThat(n2.write(id, 1000, ByteBuffer.wrap(file, 1000, 1000)).offset()).isEqualTo(2000);
    n2.saveProgress(id);

    // n1 is sent a chunk after its own last byte: it takes the upload back at what the cluster recorded
    assertThatThrownBy(() -> n1.write(id, 1500, ByteBuffer.wrap(file, 1500, 500)))
        .isInstanceOfSatisfying(WrongOffsetException.class, e -> assertThat(e.expectedOffset()).isEqualTo(2000));
    assertThat(n2.resume("client-b", id).offset()).isEqualTo(2000);
    assertThat(n2.write(id, 2000, ByteBuffer.wrap(file, 2000, 1000)).completed()).get()
        .satisfies(done -> assertThat(done.sha256()).isEqualTo(TestBytes.sha256(file)));

    clock.advance(Duration.ofMinutes(61)); // n1's copy idles past the expiry: n2 completed it, so n1 forgets it and deletes nothing
    assertThat(n1.sweep()).isZero();
    assertThat(n1.completedUpload(id)).get().satisfies(done -> assertThat(done.size()).isEqualTo(file.length));
    assertThat(n1.standing(id).offset()).isEqualTo(file.length);
    assertThatThrownBy(() -> n1.write(id, 0, ByteBuffer.wrap(file, 0, 10))).isInstanceOf(UploadException.class);
    assertThat(n2.open(id)).isPresent();
  }

  @Test
  void bodyOnN1_overtakenByARequestOnN2_isRefusedAtTheStoredOffset_andTheUploadStaysWithN2() throws Exception {
    engines.flushAll();
    BlobStore blobs = new FolderBlobStore(temp.resolve("shared"), FolderBlobStore.Durability.PAGE_CACHE);
    UploadService n1 = node("n1", blobs);
    UploadService n2 = node("n2", blobs);
    byte[] file = TestBytes.seeded(16_29L, 3000);
    String id = n1.start("client-a", "f.bin", file.length, Optional.of(TestBytes.sha256(file))).uploadId();
    // a PATCH on n1: resumed, then its body piece by piece; 1000 bytes recorded, 500 more not yet
    assertThat(n1.resume("client-a", id).offset()).isZero();
    n1.writeResumed(id, 0, ByteBuffer.wrap(file, 0, 1000));
    n1.saveProgress(id);
    assertThat(n1.writeResumed(id, 1000, ByteBuffer.wrap(file, 1000, 500)).offset()).isEqualTo(1500);

    // the client gave that body up and sends a PATCH to n2, which starts at what was recorded
    assertThat(n2.resume("client-a", id).offset()).isEqualTo(1000);
    assertThat(n2.writeResumed(id, 1000, ByteBuffer.wrap(file, 1000, 1000)).offset()).isEqualTo(2000);

    // the rest of the old body that n1 still reads: refused at the recorded offset, without taking the upload back
    assertThatThrownBy(() -> n1.writeResumed(id, 1500, ByteBuffer.wrap(file, 1500, 500)))
        .isInstanceOfSatisfying(WrongOffsetException.class, e -> assertThat(e.expectedOffset()).isEqualTo(1000));
    n1.saveProgress(id); // the end of n1's request: its copy is forgotten, nothing to save
    assertThat(n2.writeResumed(id, 2000, ByteBuffer.wrap(file, 2000, 1000)).completed()).get()
        .satisfies(done -> assertThat(done.sha256()).isEqualTo(TestBytes.sha256(file)));
    assertThat(n1.standing(id).offset()).isEqualTo(file.length);
  }

  @Test
  void staleCopyOnN1_idleLongerThanTheExpiry_isForgottenNotDeleted_whileN2KeepsSavingIt() throws Exception {
    engines.flushAll();
    BlobStore blobs = new FolderBlobStore(temp.resolve("shared"), FolderBlobStore.Durability.PAGE_CACHE);
    UploadService n1 = node("n1", blobs);
    UploadService n2 = node("n2", blobs);
    byte[] file = TestBytes.seeded(16_14L, 3000);
    String id = n1.start("client-a", "f.bin", file.length, Optional.empty()).uploadId();
    n1.write(id, 0, ByteBuffer.wrap(file, 0, 1000));
    n1.saveProgress(id);
    assertThat(n2.resume("client-b", id).offset()).isEqualTo(1000);

    clock.advance(Duration.ofMinutes(50));
    n2.write(id, 1000, ByteBuffer.wrap(file, 1000, 1000));
    n2.saveProgress(id); // n2's record is 50 minutes younger than n1's copy
    clock.advance(Duration.ofMinutes(20));
    assertThat(n1.sweep()).isZero();
    assertThat(n1.unfinishedCount()).isZero();
    assertThat(n2.resume("client-b", id).offset()).isEqualTo(2000);
  }
}
