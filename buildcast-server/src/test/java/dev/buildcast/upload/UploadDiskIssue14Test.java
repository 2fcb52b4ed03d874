package dev.buildcast.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.storage.file.FileUploadStore;
import dev.buildcast.storage.file.FolderBlobStore;
import dev.buildcast.testing.ManualClock;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 7: uploads must not fill the disk. Completed uploads nobody uses expire; one
 * address holds a bounded number of uploads and bytes; the limit on unfinished uploads is per
 * address and survives a reconnect (without deleting anything a client may resume). Time moves
 * only through the manual clock.
 */
class UploadDiskIssue14Test {

  private static final Duration EXPIRE = Duration.ofHours(24);
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path data;
  private final ManualClock clock = new ManualClock(START);

  private UploadService service(long bytesPerAddress, int uploadsPerAddress) {
    UploadLimits limits = new UploadLimits(1_000_000, 2, EXPIRE, 1000, 100, 10_000_000, bytesPerAddress, uploadsPerAddress);
    return new UploadService(new FileUploadStore(data.resolve("uploads"), new FolderBlobStore(data.resolve("blobs"), FolderBlobStore.Durability.PAGE_CACHE)), limits, clock);
  }

  private static String complete(UploadService uploads, String owner, int bytes) {
    String id = uploads.start(owner, "f", bytes, Optional.empty()).uploadId();
    if (bytes > 0) uploads.write(id, 0, ByteBuffer.wrap(new byte[bytes]));
    return id;
  }

  @Test
  void sweep_completedUploadNeverUsedPastExpireAfter_deleted() {
    UploadService uploads = service(1L << 30, 1000);
    String id = complete(uploads, "c1", 100);
    clock.advance(EXPIRE.minusSeconds(1));
    assertThat(uploads.sweep()).isZero();
    assertThat(uploads.storeUsage()).isEqualTo(new UploadStore.Usage(1, 100));

    clock.advance(Duration.ofSeconds(2));
    assertThat(uploads.sweep()).isEqualTo(1);
    assertThat(uploads.completed(id)).isEmpty();
    assertThat(uploads.storeUsage()).isEqualTo(new UploadStore.Usage(0, 0));
  }

  @Test
  void sweep_completedUploadTakenByAJob_expiresExpireAfterAfterItsLastUse() {
    UploadService uploads = service(1L << 30, 1000);
    String id = complete(uploads, "c1", 100);
    clock.advance(Duration.ofHours(23));
    assertThat(uploads.completed(id)).isPresent(); // a job takes it
    clock.advance(Duration.ofHours(23));
    uploads.sweep();
    assertThat(uploads.completed(id)).isPresent();
    clock.advance(EXPIRE.plusSeconds(1));
    uploads.sweep();
    assertThat(uploads.completed(id)).isEmpty();
  }

  @Test
  void sweep_completedFileLeftByAnEarlierRun_deletedOnceOld() throws Exception {
    UploadService before = service(1L << 30, 1000);
    String id = complete(before, "c1", 10);
    // issue 15: a completed upload keeps its record (and its expiry) over a restart; without the
    // record this is a blob from a version that kept none, judged by the time it was stored
    Files.delete(data.resolve("uploads").resolve(id + ".record"));
    Files.setLastModifiedTime(data.resolve("blobs/objects/uploads").resolve(id), FileTime.from(START.minus(EXPIRE).minusSeconds(1)));
    UploadService restarted = service(1L << 30, 1000);
    assertThat(restarted.sweep()).isEqualTo(1);
    assertThat(restarted.completed(id)).isEmpty();
  }

  @Test
  void start_unfinishedLimitReachedThenReconnect_stillRefusedForTheAddressAndNothingDeleted() {
    UploadService uploads = service(1L << 30, 1000);
    uploads.bindAddress("socket:1", "203.0.113.9");
    String first = uploads.start("socket:1", "a", 10, Optional.empty()).uploadId();
    uploads.start("socket:1", "b", 10, Optional.empty());
    uploads.release("socket:1"); // the connection closed
    uploads.bindAddress("socket:2", "203.0.113.9"); // and the client came back

    assertThatThrownBy(() -> uploads.start("socket:2", "c", 10, Optional.empty()))
        .hasFieldOrPropertyWithValue("code", "limit_exceeded").hasMessageContaining("uploads.maxUnfinishedPerAddress");
    assertThat(uploads.resume("socket:2", first).offset()).isZero(); // the upload is still there to resume
    uploads.bindAddress("socket:3", "198.51.100.4");
    assertThat(uploads.start("socket:3", "other address", 10, Optional.empty()).uploadId()).isNotBlank();
  }

  @Test
  void start_overUploadCountPerAddress_refusedNamingTheKeyOtherAddressesUnaffected() {
    UploadService uploads = service(1L << 30, 3);
    uploads.bindAddress("http:1", "203.0.113.9");
    String first = complete(uploads, "http:1", 0);
    complete(uploads, "http:1", 0);
    complete(uploads, "http:1", 5);
    assertThatThrownBy(() -> uploads.start("http:1", "fourth", 0, Optional.empty()))
        .hasFieldOrPropertyWithValue("code", "limit_exceeded").hasMessageContaining("uploads.maxUploadsPerAddress");
    uploads.bindAddress("http:2", "198.51.100.4");
    complete(uploads, "http:2", 0);

    uploads.abort(first);
    complete(uploads, "http:1", 0);
  }

  @Test
  void start_overBytesPerAddress_refusedNamingTheKey() {
    UploadService uploads = service(1000, 1000);
    uploads.bindAddress("http:1", "203.0.113.9");
    complete(uploads, "http:1", 600);
    assertThatThrownBy(() -> uploads.start("http:1", "big", 500, Optional.empty()))
        .hasFieldOrPropertyWithValue("code", "limit_exceeded").hasMessageContaining("uploads.maxBytesPerAddress");
    assertThat(uploads.start("http:1", "fits", 400, Optional.empty()).uploadId()).isNotBlank();
  }

  @Test
  void receive_streamOfUnknownLengthPassesBytesPerAddress_refusedAndNothingKept() throws Exception {
    UploadService uploads = service(1000, 1000);
    uploads.bindAddress("http:1", "203.0.113.9");
    complete(uploads, "http:1", 600);
    assertThatThrownBy(() -> uploads.receive("http:1", "stream", OptionalLong.empty(), Optional.empty(), new ByteArrayInputStream(new byte[2500])))
        .hasFieldOrPropertyWithValue("code", "limit_exceeded").hasMessageContaining("uploads.maxBytesPerAddress");
    assertThat(uploads.storeUsage()).isEqualTo(new UploadStore.Usage(1, 600));
  }
}
