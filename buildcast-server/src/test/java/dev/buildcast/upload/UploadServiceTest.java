package dev.buildcast.upload;

import static dev.buildcast.testing.TestBytes.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.buildcast.blob.Blob;
import dev.buildcast.storage.file.FileUploadStore;
import dev.buildcast.storage.file.FolderBlobStore;
import dev.buildcast.testing.ManualClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadServiceTest {

  @TempDir Path data;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final UploadLimits limits = new UploadLimits(1_000_000, 2, Duration.ofHours(24), 1000, 100, 10_000_000);
  private FileUploadStore store;
  private UploadService uploads;

  @BeforeEach
  void create() {
    store = new FileUploadStore(data.resolve("uploads"), new FolderBlobStore(data.resolve("blobs"), FolderBlobStore.Durability.PAGE_CACHE));
    uploads = new UploadService(store, limits, clock);
  }

  /** The completed upload's bytes, read from its blob. */
  static byte[] completedBytes(UploadService uploads, String uploadId) throws Exception {
    try (Blob blob = uploads.open(uploadId).orElseThrow()) {
      return blob.content().readAllBytes();
    }
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  private UploadService.Written send(String id, byte[] file, int from, int to) {
    return uploads.write(id, from, ByteBuffer.wrap(file, from, to - from));
  }

  @Test
  void write_allChunksInOrder_completesWithSizeAndSha256AndFile() throws Exception {
    byte[] file = random(2500);
    String id = uploads.start("c1", "site.zip", file.length, Optional.of(sha256(file))).uploadId();
    assertThat(send(id, file, 0, 1000).completed()).isEmpty();
    assertThat(send(id, file, 1000, 2000).offset()).isEqualTo(2000);
    UploadService.Written last = send(id, file, 2000, 2500);
    assertThat(last.completed()).contains(new CompletedUpload(id, "site.zip", 2500, sha256(file)));
    assertThat(completedBytes(uploads, id)).isEqualTo(file);
    assertThat(data.resolve("uploads").resolve(id + ".part")).doesNotExist();
  }

  @Test
  void write_withAcceptedHook_runsItOnceTheChunkPassedItsChecksBeforeItsBytesAreInTheFile() throws Exception {
    byte[] file = random(1500);
    String id = uploads.start("c1", "f", file.length, Optional.empty()).uploadId();
    Path part = data.resolve("uploads").resolve(id + ".part");
    List<Long> fileSizeWhenAccepted = new ArrayList<>();
    uploads.write(id, 0, ByteBuffer.wrap(file, 0, 1000), () -> fileSizeWhenAccepted.add(size(part)));
    assertThat(fileSizeWhenAccepted).containsExactly(0L);
    assertThat(size(part)).isEqualTo(1000);
  }

  @Test
  void write_withAcceptedHook_refusedChunk_neverRunsIt() {
    byte[] file = random(1500);
    String id = uploads.start("c1", "f", file.length, Optional.empty()).uploadId();
    List<String> accepted = new ArrayList<>();
    assertThatThrownBy(() -> uploads.write(id, 7, ByteBuffer.wrap(file, 0, 10), () -> accepted.add("wrong offset")))
        .isInstanceOf(WrongOffsetException.class);
    assertThatThrownBy(() -> uploads.write(id, 0, ByteBuffer.wrap(random(1600)), () -> accepted.add("past the size")))
        .isInstanceOf(UploadException.class).hasMessageContaining("past the declared size");
    assertThatThrownBy(() -> uploads.write("AAAAAAAAAAAAAAAAAAAAAA", 0, ByteBuffer.wrap(file), () -> accepted.add("unknown")))
        .isInstanceOf(UploadException.class);
    assertThat(accepted).isEmpty();
  }

  @Test
  void write_withAcceptedHook_writeFailingAfterIt_isThrownAndTheUploadDeleted() throws Exception {
    byte[] file = random(1500);
    String id = uploads.start("c1", "f", file.length, Optional.empty()).uploadId();
    List<String> accepted = new ArrayList<>();
    Path part = data.resolve("uploads").resolve(id + ".part");
    Files.delete(part);
    Files.createDirectory(part); // why a folder in its place: the file still looks held, but cannot be written
    assertThatThrownBy(() -> uploads.write(id, 0, ByteBuffer.wrap(file, 0, 1000), () -> accepted.add("accepted")))
        .isInstanceOf(UncheckedIOException.class);
    assertThat(accepted).containsExactly("accepted");
    assertThatThrownBy(() -> uploads.standing(id)).isInstanceOf(UploadException.class);
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void start_ids_are22UrlSafeRandomCharacters() {
    String a = uploads.start("c1", "a", 1, Optional.empty()).uploadId();
    String b = uploads.start("c2", "b", 1, Optional.empty()).uploadId();
    assertThat(a).matches("[A-Za-z0-9_-]{22}").isNotEqualTo(b);
  }

  @Test
  void write_wrongOffset_refusedWithExpectedOffset() {
    byte[] file = random(3000);
    String id = uploads.start("c1", "f", file.length, Optional.empty()).uploadId();
    send(id, file, 0, 1000);
    WrongOffsetException e = catchThrowableOfType(WrongOffsetException.class, () -> send(id, file, 2000, 3000));
    assertThat(e.expectedOffset()).isEqualTo(1000);
    assertThat(e.code()).isEqualTo("wrong_offset");
    assertThat(e.details()).containsEntry("expectedOffset", 1000L);
    assertThat(send(id, file, 1000, 2000).offset()).isEqualTo(2000);
  }

  @Test
  void write_pastDeclaredSize_refusedAndUploadKept() {
    String id = uploads.start("c1", "f", 10, Optional.empty()).uploadId();
    assertThatThrownBy(() -> uploads.write(id, 0, ByteBuffer.wrap(new byte[11])))
        .hasFieldOrPropertyWithValue("code", "size_mismatch");
    assertThat(uploads.write(id, 0, ByteBuffer.wrap(new byte[10])).completed()).isPresent();
  }

  @Test
  void write_sha256Differs_refusedAndNothingKept() throws Exception {
    byte[] file = random(100);
    String id = uploads.start("c1", "f", 100, Optional.of(sha256(new byte[100]))).uploadId();
    assertThatThrownBy(() -> send(id, file, 0, 100))
        .hasFieldOrPropertyWithValue("code", "checksum_mismatch")
        .hasMessageContaining(sha256(file));
    assertThat(uploads.completed(id)).isEmpty();
    try (var files = Files.list(data.resolve("uploads"))) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void start_overMaxBytes_refusedNamingTheConfigKey() {
    assertThatThrownBy(() -> uploads.start("c1", "big", 1_000_001, Optional.empty()))
        .hasFieldOrPropertyWithValue("code", "too_large")
        .hasMessageContaining("uploads.maxBytes")
        .hasMessageContaining("1000000");
  }

  @Test
  void start_overUnfinishedLimit_refusedUntilOneEnds() {
    String first = uploads.start("c1", "a", 10, Optional.empty()).uploadId();
    uploads.start("c1", "b", 10, Optional.empty());
    assertThatThrownBy(() -> uploads.start("c1", "c", 10, Optional.empty()))
        .hasFieldOrPropertyWithValue("code", "limit_exceeded")
        .hasMessageContaining("uploads.maxUnfinishedPerAddress");
    uploads.start("c2", "other connection", 10, Optional.empty());
    uploads.abort(first);
    uploads.start("c1", "c", 10, Optional.empty());
  }

  @Test
  void resume_afterRelease_continuesAtBytesHeld() throws Exception {
    byte[] file = random(3000);
    String id = uploads.start("c1", "f", file.length, Optional.of(sha256(file))).uploadId();
    send(id, file, 0, 1000);
    uploads.release("c1");
    UploadService.Started resumed = uploads.resume("c2", id);
    assertThat(resumed.offset()).isEqualTo(1000);
    assertThat(uploads.unfinishedOf("c2")).isEqualTo(1);
    send(id, file, 1000, 2000);
    assertThat(send(id, file, 2000, 3000).completed().orElseThrow().sha256()).isEqualTo(sha256(file));
  }

  @Test
  void resume_completedUpload_answersFullSizeAndCompletion() {
    String id = uploads.start("c1", "f", 3, Optional.empty()).uploadId();
    uploads.write(id, 0, ByteBuffer.wrap(new byte[3]));
    UploadService.Started again = uploads.resume("c9", id);
    assertThat(again.offset()).isEqualTo(3);
    assertThat(again.completed()).isPresent();
  }

  @Test
  void resume_unknownOrMalformedId_refused() {
    assertThatThrownBy(() -> uploads.resume("c1", "AAAAAAAAAAAAAAAAAAAAAA")).hasFieldOrPropertyWithValue("code", "unknown_upload");
    assertThatThrownBy(() -> uploads.resume("c1", "../../etc/passwd")).hasFieldOrPropertyWithValue("code", "unknown_upload");
  }

  @Test
  void abort_oneUpload_leavesOthersUntouched() {
    String mine = uploads.start("c1", "a", 10, Optional.empty()).uploadId();
    String theirs = uploads.start("c2", "b", 10, Optional.empty()).uploadId();
    uploads.write(theirs, 0, ByteBuffer.wrap(new byte[5]));
    uploads.abort(mine);
    uploads.release("c1");
    assertThatThrownBy(() -> uploads.resume("c1", mine)).hasFieldOrPropertyWithValue("code", "unknown_upload");
    assertThat(uploads.resume("c2", theirs).offset()).isEqualTo(5);
  }

  @Test
  void sweep_idleLongerThanExpireAfter_deletesOnlyExpired() {
    String old = uploads.start("c1", "old", 10, Optional.empty()).uploadId();
    clock.advance(Duration.ofHours(23));
    String recent = uploads.start("c2", "recent", 10, Optional.empty()).uploadId();
    clock.advance(Duration.ofHours(2));
    assertThat(uploads.sweep()).isEqualTo(1);
    assertThatThrownBy(() -> uploads.resume("c1", old)).hasFieldOrPropertyWithValue("code", "unknown_upload");
    assertThat(data.resolve("uploads").resolve(old + ".part")).doesNotExist();
    assertThat(uploads.resume("c2", recent).offset()).isZero();
  }

  @Test
  void sweep_partFileLeftByEarlierRun_deletedOnceExpired() throws Exception {
    Path part = Files.createDirectories(data.resolve("uploads")).resolve("BBBBBBBBBBBBBBBBBBBBBB.part");
    Files.write(part, new byte[10]);
    Files.setLastModifiedTime(part, java.nio.file.attribute.FileTime.from(clock.instant().minus(Duration.ofHours(25))));
    assertThat(uploads.sweep()).isEqualTo(1);
    assertThat(part).doesNotExist();
  }

  @Test
  void progress_manyChunksWithinOneInterval_reportsFirstAndFinalOnly() {
    byte[] file = random(5000);
    String id = uploads.start("c1", "f", file.length, Optional.empty()).uploadId();
    List<UploadProgress> reported = new ArrayList<>();
    for (int at = 0; at < 5000; at += 500) send(id, file, at, at + 500).progress().ifPresent(reported::add);
    assertThat(reported).extracting(UploadProgress::percentage).containsExactly(10, 100);
    assertThat(reported.getLast().bytesReceived()).isEqualTo(5000);
  }

  @Test
  void progress_chunksSpreadOverTime_atMostOnePer100ms() {
    byte[] file = random(10_000);
    String id = uploads.start("c1", "f", file.length, Optional.empty()).uploadId();
    List<UploadProgress> reported = new ArrayList<>();
    for (int at = 0; at < 10_000; at += 100) {
      send(id, file, at, at + 100).progress().ifPresent(reported::add);
      clock.advance(Duration.ofMillis(25));
    }
    // 100 chunks over 2.5 s: one every 4 chunks, plus the final one
    assertThat(reported).hasSize(26);
    assertThat(reported.stream().filter(p -> p.percentage() == 100)).hasSize(1);
  }

  @Test
  void receive_stream_completesAndChecksSha256() throws Exception {
    byte[] file = random(123_456);
    CompletedUpload done = uploads.receive("http", "f.bin", OptionalLong.empty(), Optional.of(sha256(file)), new ByteArrayInputStream(file));
    assertThat(done.size()).isEqualTo(file.length);
    assertThat(completedBytes(uploads, done.uploadId())).isEqualTo(file);
  }

  @Test
  void receive_streamOverMaxBytes_refusedAndNothingKept() throws Exception {
    byte[] file = new byte[1_000_001];
    assertThatThrownBy(() -> uploads.receive("http", "big", OptionalLong.empty(), Optional.empty(), new ByteArrayInputStream(file)))
        .hasFieldOrPropertyWithValue("code", "too_large");
    try (var files = Files.list(data.resolve("uploads"))) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void start_zeroBytes_completesAtOnce() throws Exception {
    UploadService.Started started = uploads.start("c1", "empty", 0, Optional.empty());
    assertThat(started.completed().orElseThrow().sha256()).isEqualTo(sha256(new byte[0]));
  }

  @Test
  void standing_unfinishedThenComplete_answersOffsetSizeAndCompletionWithoutMovingTheUpload() throws Exception {
    byte[] file = random(2500);
    uploads.bindAddress("c1", "198.51.100.1");
    String id = uploads.start("c1", "site.zip", file.length, Optional.empty()).uploadId();
    send(id, file, 0, 1000);
    uploads.release("c1");

    UploadService.Standing unfinished = uploads.standing(id);
    assertThat(unfinished).isEqualTo(new UploadService.Standing(id, "site.zip", 1000, 2500, Optional.empty()));
    assertThat(uploads.unfinishedOfAddress("198.51.100.1")).isEqualTo(1);
    send(id, file, 1000, 2500);
    UploadService.Standing complete = uploads.standing(id);
    assertThat(complete.offset()).isEqualTo(2500);
    assertThat(complete.completed().orElseThrow().sha256()).isEqualTo(sha256(file));
  }

  @Test
  void standing_unknownAbortedOrMalformedId_refusedAsUnknownUpload() {
    String id = uploads.start("c1", "f", 10, Optional.empty()).uploadId();
    uploads.abort(id);
    for (String unknown : List.of(id, "AAAAAAAAAAAAAAAAAAAAAA", "../../etc/passwd", "")) {
      assertThatThrownBy(() -> uploads.standing(unknown)).as(unknown).hasFieldOrPropertyWithValue("code", "unknown_upload");
    }
  }
}
