package dev.buildcast.upload;

import static dev.buildcast.testing.TestBytes.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.storage.file.FileUploadStore;
import dev.buildcast.storage.file.FolderBlobStore;
import dev.buildcast.testing.ManualClock;
import dev.buildcast.testing.MemoryBlobStore;
import dev.buildcast.testing.MemoryUploadStore;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: an upload outlives the process that received it. Each test runs a service, "kills" it
 * (drops it without any shutdown) and starts a new service over the same store, as a restarted
 * server does.
 */
class UploadRestartTest {

  private static final int CHECKPOINT = 1000;
  private static final Duration EXPIRE = Duration.ofHours(24);
  private static final String ADDRESS = "203.0.113.7";

  @TempDir Path data;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final UploadLimits limits = new UploadLimits(1_000_000, 2, EXPIRE, 500, 100, 10_000_000, 20_000, 3);

  private FolderBlobStore blobs;

  @BeforeEach
  void blobStore() {
    blobs = new FolderBlobStore(data.resolve("blobs"), FolderBlobStore.Durability.PAGE_CACHE);
  }

  private Path uploadsDir() {
    return data.resolve("uploads");
  }

  private UploadService fileService() {
    return new UploadService(new FileUploadStore(uploadsDir(), blobs), limits, clock, CHECKPOINT);
  }

  private UploadService owned(UploadService uploads, String owner) {
    uploads.bindAddress(owner, ADDRESS);
    return uploads;
  }

  private static void send(UploadService uploads, String id, byte[] file, int from, int to) {
    for (int at = from; at < to; at += 500) uploads.write(id, at, ByteBuffer.wrap(file, at, Math.min(500, to - at)));
  }

  @Test
  void restart_dataFolderOfTheEarlierLayout_completedUploadMovedIntoTheBlobStoreAndStillUsable() throws Exception {
    byte[] file = UploadServiceTest.random(4321);
    String sha = sha256(file);
    UploadService before = fileService();
    String id = before.start("c1", "old.zip", file.length, Optional.of(sha)).uploadId();
    send(before, id, file, 0, file.length);
    // the earlier version's layout: the completed bytes as data/uploads/<id>, no blob
    try (var blob = blobs.get(UploadStore.blobKey(id)).orElseThrow()) {
      Files.write(uploadsDir().resolve(id), blob.content().readAllBytes());
    }
    blobs.delete(UploadStore.blobKey(id));

    UploadService after = fileService();

    assertThat(Files.exists(uploadsDir().resolve(id))).isFalse();
    assertThat(UploadServiceTest.completedBytes(after, id)).isEqualTo(file);
    assertThat(after.resume("c2", id).completed().orElseThrow().sha256()).isEqualTo(sha);
    assertThat(after.storeUsage()).isEqualTo(new UploadStore.Usage(1, file.length));
  }

  @Test
  void resume_afterRestart_answersTheLastSavedOffsetAndCompletesWithTheSha256() throws Exception {
    byte[] file = UploadServiceTest.random(5000);
    UploadService before = owned(fileService(), "socket:1");
    String id = before.start("socket:1", new UploadService.Announced("site.zip", file.length, Optional.of(sha256(file)),
        Optional.empty(), true)).uploadId();
    send(before, id, file, 0, 3500); // saves at 1000, 2000, 3000; the last 500 bytes were never saved

    UploadService after = owned(fileService(), "socket:2");
    UploadService.Started resumed = after.resume("socket:2", id);
    assertThat(resumed.offset()).isEqualTo(3000);
    assertThat(resumed.size()).isEqualTo(5000);
    send(after, id, file, 3000, 5000);
    CompletedUpload done = after.completedUpload(id).orElseThrow();
    assertThat(done).isEqualTo(new CompletedUpload(id, "site.zip", 5000, sha256(file)));
    assertThat(UploadServiceTest.completedBytes(after, id)).isEqualTo(file);
  }

  @Test
  void resume_afterRestartOfTheMemoryStore_sameOffsetAndBytes() throws Exception {
    byte[] file = UploadServiceTest.random(4200);
    MemoryUploadStore store = new MemoryUploadStore(new MemoryBlobStore(clock), clock);
    UploadService before = new UploadService(store, limits, clock, CHECKPOINT);
    String id = before.start("c1", "f.bin", file.length, Optional.empty()).uploadId();
    send(before, id, file, 0, 2500);

    UploadService after = new UploadService(store.afterPowerLoss(), limits, clock, CHECKPOINT);
    assertThat(after.resume("c2", id).offset()).isEqualTo(2000);
    send(after, id, file, 2000, 4200);
    assertThat(after.completedUpload(id).orElseThrow().sha256()).isEqualTo(sha256(file));
    assertThat(UploadServiceTest.completedBytes(after, id)).isEqualTo(file);
  }

  @Test
  void resume_afterRestart_wrongBytesResent_checksumMismatchAsBefore() throws Exception {
    byte[] file = UploadServiceTest.random(3000);
    UploadService before = fileService();
    String id = before.start("c1", "f", file.length, Optional.of(sha256(file))).uploadId();
    send(before, id, file, 0, 1500);
    UploadService after = fileService();
    long offset = after.resume("c2", id).offset();
    byte[] tampered = file.clone();
    tampered[2999] ^= 1;
    assertThatThrownBy(() -> send(after, id, tampered, (int) offset, 3000))
        .isInstanceOfSatisfying(UploadException.class, e -> assertThat(e.code()).isEqualTo("checksum_mismatch"));
    assertThat(after.completed(id)).isEmpty();
  }

  @Test
  void saveUnfinished_beforeANormalStop_aRestartResumesAtEveryByteHeld() throws Exception {
    byte[] file = UploadServiceTest.random(3000);
    UploadService before = fileService();
    String id = before.start("socket:1", "f", file.length, Optional.empty()).uploadId();
    send(before, id, file, 0, 2500); // saved at 1000 and 2000 only

    before.saveUnfinished();

    UploadService after = fileService();
    assertThat(after.resume("socket:2", id).offset()).isEqualTo(2500);
    send(after, id, file, 2500, 3000);
    assertThat(UploadServiceTest.completedBytes(after, id)).isEqualTo(file);
  }

  @Test
  void resume_savesEveryByteHeld_soALaterRestartResumesThere() throws Exception {
    byte[] file = UploadServiceTest.random(3000);
    UploadService before = fileService();
    String id = before.start("socket:1", "f", file.length, Optional.empty()).uploadId();
    send(before, id, file, 0, 1500);
    before.release("socket:1"); // the connection closed
    assertThat(before.resume("socket:2", id).offset()).isEqualTo(1500);
    assertThat(fileService().resume("socket:3", id).offset()).isEqualTo(1500);
  }

  @Test
  void write_aMinuteAfterTheLastSave_savesEvenBelowTheCheckpointBytes() throws Exception {
    byte[] file = UploadServiceTest.random(3000);
    UploadService before = fileService();
    String id = before.start("socket:1", "f", file.length, Optional.empty()).uploadId();
    send(before, id, file, 0, 500);
    clock.advance(Duration.ofMinutes(1));
    send(before, id, file, 500, 900);
    assertThat(fileService().resume("socket:3", id).offset()).isEqualTo(900);
  }

  @Test
  void restart_completedUpload_keepsNameSizeShaAndExpectation() throws Exception {
    byte[] file = UploadServiceTest.random(700);
    UploadService before = fileService();
    String id = before.start("c1", new UploadService.Announced("export.zip", file.length, Optional.empty(), Optional.of(UploadKind.ZIP), true))
        .uploadId();
    send(before, id, file, 0, 700);
    CompletedUpload done = before.completedUpload(id).orElseThrow();

    UploadService after = fileService();
    assertThat(after.completedUpload(id)).contains(done);
    assertThat(after.nameOf(id)).contains("export.zip");
    assertThat(after.expectation(id)).contains(UploadKind.ZIP);
    UploadService.Started again = after.resume("c3", id);
    assertThat(again.offset()).isEqualTo(700);
    assertThat(again.completed()).contains(done);
  }

  @Test
  void restart_unfinishedUpload_keepsItsExpectation() {
    UploadService before = fileService();
    String id = before.start("c1", new UploadService.Announced("export.zip", 10, Optional.empty(), Optional.of(UploadKind.ZIP), true))
        .uploadId();
    UploadService after = fileService();
    assertThat(after.expectation(id)).contains(UploadKind.ZIP);
    after.write(id, 0, ByteBuffer.wrap(new byte[10]));
    assertThat(after.expectation(id)).contains(UploadKind.ZIP);
  }

  @Test
  void restart_quotasCountRestoredUploads() {
    UploadService before = owned(fileService(), "socket:1");
    before.start("socket:1", "a", 100, Optional.empty());
    before.start("socket:1", "b", 100, Optional.empty());

    UploadService after = owned(fileService(), "socket:2");
    assertThatThrownBy(() -> after.start("socket:2", "c", 100, Optional.empty()))
        .isInstanceOfSatisfying(UploadException.class, e -> assertThat(e.getMessage()).contains("uploads.maxUnfinishedPerAddress"));
    assertThat(after.unfinishedOfAddress(ADDRESS)).isEqualTo(2);
  }

  @Test
  void restart_completedUploadsCountForTheirAddressQuota() {
    UploadService before = owned(fileService(), "http:1");
    for (String name : new String[] {"a", "b", "c"}) {
      String id = before.start("http:1", name, 10, Optional.empty()).uploadId();
      before.write(id, 0, ByteBuffer.wrap(new byte[10]));
    }
    UploadService after = owned(fileService(), "http:2");
    assertThatThrownBy(() -> after.start("http:2", "d", 10, Optional.empty()))
        .isInstanceOfSatisfying(UploadException.class, e -> assertThat(e.getMessage()).contains("uploads.maxUploadsPerAddress"));
  }

  @Test
  void sweep_afterRestart_expiresAnUnfinishedUploadIdleSinceItsLastChunk() {
    UploadService before = fileService();
    String id = before.start("c1", "f", 3000, Optional.empty()).uploadId();
    send(before, id, UploadServiceTest.random(3000), 0, 1000);
    clock.advance(Duration.ofHours(20));

    UploadService after = fileService();
    assertThat(after.sweep()).isZero();
    clock.advance(Duration.ofHours(4).plusSeconds(1));
    assertThat(after.sweep()).isEqualTo(1);
    assertThatThrownBy(() -> after.resume("c2", id)).isInstanceOf(UploadException.class);
    assertThat(after.storeUsage()).isEqualTo(new UploadStore.Usage(0, 0));
  }

  @Test
  void sweep_afterRestart_completedUploadExpiresAfterItsLastUseByAJob() {
    UploadService before = fileService();
    String id = before.start("c1", "f", 10, Optional.empty()).uploadId();
    before.write(id, 0, ByteBuffer.wrap(new byte[10]));
    clock.advance(Duration.ofHours(20));
    assertThat(before.completed(id)).isPresent(); // a job took it

    UploadService after = fileService();
    clock.advance(Duration.ofHours(23));
    assertThat(after.sweep()).isZero();
    clock.advance(Duration.ofHours(1).plusSeconds(1));
    assertThat(after.sweep()).isEqualTo(1);
    assertThat(after.completed(id)).isEmpty();
  }

  @Test
  void restart_uploadFromAnHttpRequestOrSiofu_deletedSinceNoClientCanResumeIt() throws Exception {
    UploadService before = fileService();
    String http = before.startStream("http:1", "body", OptionalLong.empty(), Optional.empty()).uploadId();
    before.write(http, 0, ByteBuffer.wrap(new byte[1200]));
    String siofu = before.start("socket:1", new UploadService.Announced("s", 5000, Optional.empty(), Optional.empty(), false)).uploadId();
    before.write(siofu, 0, ByteBuffer.wrap(new byte[1200]));

    UploadService after = fileService();
    assertThatThrownBy(() -> after.resume("c2", http)).isInstanceOf(UploadException.class);
    assertThatThrownBy(() -> after.resume("c2", siofu)).isInstanceOf(UploadException.class);
    assertThat(after.storeUsage()).isEqualTo(new UploadStore.Usage(0, 0));
  }

  @Test
  void restart_damagedRecordBesideAGoodOne_startsAndTheGoodOneResumes() throws Exception {
    byte[] file = UploadServiceTest.random(2000);
    UploadService before = fileService();
    String good = before.start("c1", "good", file.length, Optional.empty()).uploadId();
    send(before, good, file, 0, 1000);
    String bad = before.start("c1", "bad", 2000, Optional.empty()).uploadId();
    Files.writeString(uploadsDir().resolve(bad + ".record"), "{\"version\":1,\"uploadId\":");

    UploadService after = fileService();
    assertThatThrownBy(() -> after.resume("c2", bad)).isInstanceOf(UploadException.class);
    assertThat(Files.exists(uploadsDir().resolve(bad + ".part"))).isFalse();
    assertThat(after.resume("c2", good).offset()).isEqualTo(1000);
    send(after, good, file, 1000, 2000);
    assertThat(UploadServiceTest.completedBytes(after, good)).isEqualTo(file);
  }

  @Test
  void restart_everyByteInButNotCompleted_resumeCompletes() throws Exception {
    byte[] file = UploadServiceTest.random(800);
    FileUploadStore store = new FileUploadStore(uploadsDir(), blobs);
    UploadService before = new UploadService(store, limits, clock, CHECKPOINT);
    String id = before.start("c1", "f", file.length, Optional.of(sha256(file))).uploadId();
    // the state a crash between the last save and the completion leaves
    store.write(id, 0, ByteBuffer.wrap(file));
    store.save(new UploadRecord(id, "f", 800, 800, Optional.of(sha256(file)), Optional.empty(), Optional.of("c1"),
        Optional.empty(), true, clock.instant()));

    UploadService.Started resumed = fileService().resume("c2", id);
    assertThat(resumed.offset()).isEqualTo(800);
    assertThat(resumed.completed().orElseThrow().sha256()).isEqualTo(sha256(file));
  }

  @Test
  void restart_storeUnreadable_startsWithNothingRestored() throws Exception {
    Files.createDirectories(data);
    Files.writeString(uploadsDir(), "a file where the folder should be");
    UploadService after = fileService();
    assertThat(after.unfinishedCount()).isZero();
  }

  @Test
  void receive_overHttpThenRestart_nameStillKnown() throws Exception {
    UploadService before = fileService();
    CompletedUpload done = before.receive("http:1", "report.pdf", OptionalLong.of(1200), Optional.empty(),
        new ByteArrayInputStream(new byte[1200]));
    assertThat(fileService().nameOf(done.uploadId())).contains("report.pdf");
  }

  @Test
  void saveProgress_afterAnHttpBodyEnded_restartAnswersEveryByteHeldNotTheLastCheckpoint() throws Exception {
    byte[] file = UploadServiceTest.random(5000);
    UploadService before = owned(fileService(), "http:1");
    String id = before.start("http:1", new UploadService.Announced("site.zip", file.length, Optional.of(sha256(file)),
        Optional.empty(), true)).uploadId();
    send(before, id, file, 0, 3500); // checkpoints at 1000, 2000, 3000
    before.saveProgress(id); // a PATCH ended: what it answered must survive

    UploadService after = fileService();
    assertThat(after.standing(id).offset()).isEqualTo(3500);
    send(after, id, file, 3500, 5000);
    assertThat(UploadServiceTest.completedBytes(after, id)).isEqualTo(file);
  }

  @Test
  void restart_unfinishedPutBodyAndResumableHttpUpload_onlyTheResumableOneIsKept() throws Exception {
    UploadService before = fileService();
    String body = before.startStream("http:1", "put.bin", OptionalLong.of(3000), Optional.empty()).uploadId();
    before.write(body, 0, ByteBuffer.wrap(new byte[1500]));
    String resumable = before.start("http:2", new UploadService.Announced("patch.bin", 3000, Optional.empty(), Optional.empty(), true)).uploadId();
    before.write(resumable, 0, ByteBuffer.wrap(new byte[1500]));
    before.saveProgress(body);
    before.saveProgress(resumable);

    UploadService after = fileService();
    assertThatThrownBy(() -> after.standing(body)).hasFieldOrPropertyWithValue("code", "unknown_upload");
    assertThat(after.standing(resumable).offset()).isEqualTo(1500);
  }
}
