package dev.buildcast.job;

import static dev.buildcast.testing.TestBytes.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.buildcast.blob.BlobInfo;
import dev.buildcast.generator.CommandGenerator;
import dev.buildcast.generator.GeneratorRegistry;
import dev.buildcast.generator.InputKind;
import dev.buildcast.storage.file.FileJobStore;
import dev.buildcast.storage.file.FileUploadStore;
import dev.buildcast.storage.file.FolderBlobStore;
import dev.buildcast.testing.MemoryLogStore;
import dev.buildcast.upload.CompletedUpload;
import dev.buildcast.upload.UploadLimits;
import dev.buildcast.upload.UploadService;
import dev.buildcast.upload.UploadStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job's input upload goes from the blob store into the job's own folder: the generator reads
 * exactly the bytes uploaded, also after a restart of the upload service, and the copy goes when
 * the run ends while the upload stays. Named Upload* so the upload test runs pick it up.
 */
class UploadJobInputTest {

  private static final long SEED = 20261203L;

  @TempDir Path data;
  private final MemoryLogStore logs = new MemoryLogStore();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final UploadLimits limits = new UploadLimits(10_000_000, 2, Duration.ofHours(24), 1000, 100, 100_000_000);
  private FolderBlobStore blobs;
  private JobService jobs;

  @AfterEach
  void stop() {
    if (jobs != null) jobs.close();
    timer.shutdownNow();
  }

  private FolderBlobStore blobs() {
    if (blobs == null) blobs = new FolderBlobStore(data.resolve("blobs"), FolderBlobStore.Durability.PAGE_CACHE);
    return blobs;
  }

  /** An upload service over {@code data}, as a server process (a new one each call: a restart). */
  private UploadService uploads() {
    return new UploadService(new FileUploadStore(data.resolve("uploads"), blobs()), limits, Clock.systemUTC());
  }

  private JobService jobs(InputFiles inputs) {
    JobFiles files = new JobFiles(data, blobs());
    CommandGenerator hash = new CommandGenerator(CommandGenerator.Options.of("hash",
        List.of("bash", "-c", "sha256sum \"$BUILDCAST_INPUT\"; echo \"input at $BUILDCAST_INPUT\"")).withInput(InputKind.FILE));
    jobs = new JobService(JobServiceOptions.builder().store(new FileJobStore(files)).logs(logs).generators(new GeneratorRegistry(List.of(hash)))
        .queue(new LocalJobQueue(1)).files(files).inputs(inputs).settings(new JobSettings(Map.of(), Duration.ofMinutes(1), List.of(), timer))
        .clock(Clock.systemUTC()).nodeId("node-a").build());
    return jobs;
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    new Random(SEED).nextBytes(b);
    return b;
  }

  private JobRecord runOn(JobService jobs, String uploadId) {
    String id = jobs.submit(new JobRequest("hash", Map.of(), Optional.of(uploadId))).jobId();
    await().atMost(Duration.ofSeconds(60)).until(() -> jobs.status(id).state().isFinished());
    return jobs.status(id);
  }

  @Test
  void run_completedUploadAfterARestart_generatorReadsExactlyItsBytesFromACopyInTheJobFolder() throws Exception {
    byte[] file = bytes(3_000_017); // more than one buffer of every copy on the way
    CompletedUpload done = uploads().receive("http", "in.bin", OptionalLong.of(file.length), Optional.of(sha256(file)), new ByteArrayInputStream(file));
    try (var left = Files.list(data.resolve("uploads"))) { // the bytes went to the blob store, the record stays
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly(done.uploadId() + ".record");
    }

    UploadService restarted = uploads();
    JobService jobs = jobs(restarted);
    JobRecord first = runOn(jobs, done.uploadId());
    JobRecord second = runOn(jobs, done.uploadId());

    for (JobRecord job : List.of(first, second)) {
      assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
      Path copy = data.resolve("jobs").resolve(job.id()).resolve("input").toAbsolutePath();
      assertThat(logs.texts(job.id())).anySatisfy(line -> assertThat(line).startsWith(sha256(file) + " "));
      assertThat(logs.texts(job.id())).anySatisfy(line -> assertThat(line).contains("input at " + copy));
      assertThat(copy).doesNotExist(); // the run's copy is gone, the upload stays for the next job
    }
    assertThat(restarted.storeUsage()).isEqualTo(new UploadStore.Usage(1, file.length));
  }

  @Test
  void run_uploadDeletedAfterTheSubmit_failsSayingTheInputIsGone() throws Exception {
    UploadService uploads = uploads();
    byte[] file = bytes(100);
    CompletedUpload done = uploads.receive("http", "in.bin", OptionalLong.of(file.length), Optional.empty(), new ByteArrayInputStream(file));
    // the upload is there at the submit and deleted just before the job copies it
    InputFiles inputs = new InputFiles() {
      @Override
      public Optional<BlobInfo> completed(String uploadId) {
        return uploads.completed(uploadId);
      }

      @Override
      public boolean copyTo(String uploadId, Path target) throws IOException {
        uploads.abort(uploadId);
        return uploads.copyTo(uploadId, target);
      }
    };
    JobRecord job = runOn(jobs(inputs), done.uploadId());
    assertThat(job.state()).isEqualTo(JobState.FAILED);
    assertThat(job.reason()).isEqualTo("input upload no longer available");
    assertThat(uploads.completed(done.uploadId())).isEmpty();
  }
}
