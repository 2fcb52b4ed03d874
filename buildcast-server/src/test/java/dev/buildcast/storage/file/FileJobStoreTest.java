package dev.buildcast.storage.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.job.JobFiles;
import dev.buildcast.job.JobInput;
import dev.buildcast.job.JobRecord;
import dev.buildcast.job.JobState;
import dev.buildcast.job.JobStore;
import dev.buildcast.job.JobStoreContract;
import dev.buildcast.job.SecureTokens;
import dev.buildcast.testing.MemoryBlobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileJobStoreTest extends JobStoreContract {

  @TempDir Path data;

  @Override
  protected JobStore newStore() {
    return new FileJobStore(new JobFiles(data, new MemoryBlobStore()));
  }

  @Test
  void save_thenFind_keepsTheInputsNameAndSizeAndTheParams() {
    JobFiles files = new JobFiles(data, new MemoryBlobStore());
    FileJobStore store = new FileJobStore(files);
    String id = SecureTokens.newId();
    JobRecord job = new JobRecord(id, "hash", "site", Map.of("language", "de"), "upload1234567890123456", JobState.QUEUED, 0,
        null, null, AT, null, null, List.of(), new JobInput("export.zip", 1234));
    store.save(job);
    assertThat(store.find(id)).contains(job);
  }

  @Test
  void find_recordSavedBeforeInputsWereKept_readsWithoutInput() throws Exception {
    JobFiles files = new JobFiles(data, new MemoryBlobStore());
    String id = SecureTokens.newId();
    Files.createDirectories(files.jobDir(id));
    Files.writeString(files.jobDir(id).resolve("job.json"), """
        {"id":"%s","tokenHash":"hash","generator":"site","params":{},"uploadId":"u","state":"SUCCEEDED",
         "percentage":100,"exitCode":0,"reason":null,"queuedAt":"2026-12-02T10:00:00Z","startedAt":null,
         "finishedAt":null,"artifacts":[]}
        """.formatted(id));
    JobRecord found = new FileJobStore(files).find(id).orElseThrow();
    assertThat(found.input()).isNull();
    assertThat(found.uploadId()).isEqualTo("u");
  }

  @Test
  void find_recordSavedBeforeVersionsOwnersAndLeases_readsAtVersionZeroWithoutOwnerAndIsUpdatable() throws Exception {
    JobFiles files = new JobFiles(data, new MemoryBlobStore());
    String id = SecureTokens.newId();
    Files.createDirectories(files.jobDir(id));
    Files.writeString(files.jobDir(id).resolve("job.json"), """
        {"id":"%s","tokenHash":"hash","generator":"site","params":{},"uploadId":null,"state":"QUEUED",
         "percentage":0,"exitCode":null,"reason":null,"queuedAt":"2026-12-02T10:00:00Z","startedAt":null,
         "finishedAt":null,"artifacts":[],"input":null}
        """.formatted(id));
    FileJobStore store = new FileJobStore(files);
    JobRecord found = store.find(id).orElseThrow();
    assertThat(found.version()).isZero();
    assertThat(found.owner()).isNull();
    assertThat(found.leaseUntil()).isNull();
    assertThat(found.state()).isEqualTo(JobState.QUEUED);
    assertThat(store.update(0, found)).map(JobRecord::version).contains(1L);
    assertThat(new FileJobStore(files).find(id).orElseThrow().version()).isEqualTo(1);
  }
}
