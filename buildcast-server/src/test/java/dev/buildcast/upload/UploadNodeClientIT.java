package dev.buildcast.upload;

import static dev.buildcast.testing.TestBytes.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.NodeScript;
import dev.buildcast.testing.RunningServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Buildcast's upload events with the official JavaScript client under Node, on both transports. */
class UploadNodeClientIT {

  @TempDir Path data;
  private RunningServer server;

  @BeforeEach
  void start() throws Exception {
    server = RunningServer.start(data, "maxConcurrentJobs: 1\n");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "polling"})
  void resume_newClientAfterTheFirstLeftHalfWay_continuesAtServerOffsetAndSha256Matches(String transport) throws Exception {
    JsonNode result = UploadSiofuBrowserIT.lastJsonLine(NodeScript.run("upload-resume.js", 120, server.url(), transport));
    assertThat(result.get("resumedAt").asLong()).isEqualTo(result.get("sentBeforeDrop").asLong()).isPositive();
    JsonNode complete = result.get("complete");
    assertThat(complete.get("sha256").asText()).isEqualTo(result.get("sha256").asText());
    assertThat(complete.get("size").asLong()).isEqualTo(result.get("size").asLong());
    Path stored = data.resolve("blobs/objects/uploads").resolve(complete.get("uploadId").asText());
    assertThat(sha256(Files.readAllBytes(stored))).isEqualTo(result.get("sha256").asText());
    assertThat(result.get("progress").get(result.get("progress").size() - 1).asInt()).isEqualTo(100);
  }
}
