package dev.buildcast.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.buildcast.testing.RunningServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's sweeper deletes unfinished uploads after {@code uploads.expireAfter} without a chunk,
 * and (issue 14) completed ones no job took within it.
 */
class UploadExpiryIT {

  @TempDir Path data;
  private RunningServer server;
  private UploadClient client;

  @BeforeEach
  void start() throws Exception {
    server = RunningServer.start(data, "uploads: {expireAfter: 2s}\n");
    client = new UploadClient(server.url());
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void uploads_idleLongerThanExpireAfter_unfinishedAndUnusedCompletedDeletedNoLongerResumable() throws Exception {
    String idle = client.start("idle", 1000, null).get("uploadId").asText();
    client.chunk(idle, 0, new byte[1000], 400);
    String done = client.start("done", 10, null).get("uploadId").asText();
    client.chunk(done, 0, new byte[10], 10);
    Path part = data.resolve("uploads").resolve(idle + ".part");
    assertThat(part).exists();

    await().atMost(Duration.ofSeconds(60)).until(() -> !part.toFile().exists());
    assertThat(client.resume(idle).at("/error/code").asText()).isEqualTo("unknown_upload");
    Path completed = data.resolve("blobs/objects/uploads").resolve(done);
    await().atMost(Duration.ofSeconds(60)).until(() -> !completed.toFile().exists());
    assertThat(client.resume(done).at("/error/code").asText()).isEqualTo("unknown_upload");
  }
}
