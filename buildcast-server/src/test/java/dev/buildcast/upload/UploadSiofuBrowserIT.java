package dev.buildcast.upload;

import static dev.buildcast.testing.TestBytes.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.NodeScript;
import dev.buildcast.testing.RunningServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unmodified socketio-file-upload 0.7 browser client in headless Chromium, driven by
 * playwright-core from {@code src/test/node/scripts/siofu-upload.js}, against a running server. A
 * failing scenario leaves screenshots under {@code target/screenshots/}.
 */
class UploadSiofuBrowserIT {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @TempDir Path data;
  private RunningServer server;

  @BeforeAll
  static void chromiumInstalled() {
    assertThat(CHROMIUM).as("Debian's chromium is needed: apt-get install -y chromium").isExecutable();
  }

  @BeforeEach
  void start() throws Exception {
    server = RunningServer.start(data, "uploads: {maxBytes: 64MiB}\n");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private JsonNode scenario(String name) throws Exception {
    Path screenshots = Files.createDirectories(Path.of("target", "screenshots").toAbsolutePath());
    return lastJsonLine(NodeScript.run("siofu-upload.js", 180, server.url(), name, screenshots.toString()));
  }

  /** The one JSON line a script prints last. */
  static JsonNode lastJsonLine(String stdout) throws Exception {
    String last = stdout.strip().lines().reduce((a, b) -> b).orElseThrow(() -> new AssertionError("the script printed nothing"));
    return RunningServer.json(last);
  }

  private List<Path> uploadFiles() throws Exception {
    if (!Files.exists(data.resolve("uploads"))) return List.of();
    try (Stream<Path> files = Files.list(data.resolve("uploads"))) {
      return files.toList();
    }
  }

  @Test
  void siofuClient_uploadsFile_completeDetailCarriesUploadIdAndSha256AndSeedProgressReaches100() throws Exception {
    JsonNode result = scenario("upload");
    JsonNode page = result.get("page");
    assertThat(page.get("error").isNull()).as("siofu error: %s", page.get("error")).isTrue();
    assertThat(page.at("/complete/success").asBoolean()).isTrue();
    JsonNode detail = page.at("/complete/detail");
    String id = detail.get("uploadId").asText();
    assertThat(id).matches("[A-Za-z0-9_-]{22}");
    assertThat(detail.get("sha256").asText()).isEqualTo(result.get("sha256").asText());
    assertThat(detail.get("size").asLong()).isEqualTo(result.get("size").asLong());
    assertThat(sha256(Files.readAllBytes(data.resolve("blobs/objects/uploads").resolve(id)))).isEqualTo(result.get("sha256").asText());
    assertThat(page.get("uploadComplete")).hasSize(1);
    assertThat(page.at("/uploadComplete/0/uploadId").asText()).isEqualTo(id);

    List<Integer> percentages = new ArrayList<>();
    page.get("percentages").forEach(p -> percentages.add(p.asInt()));
    assertThat(percentages).isSorted().endsWith(100);
    assertThat(percentages.stream().filter(p -> p == 100)).hasSize(1);
    assertThat(server.server().uploads().completed(id)).isPresent();
  }

  @Test
  void siofuClient_wrongMetaSha256_errorEventAndNothingKept() throws Exception {
    JsonNode page = scenario("badsha").get("page");
    assertThat(page.get("complete").isNull()).isTrue();
    assertThat(page.at("/error/message").asText()).contains("SHA-256").contains("upload it again");
    assertThat(uploadFiles()).isEmpty();
  }

  @Test
  void siofuClient_onePageClosedMidFile_otherPagesUploadCompletesAndOnlyTheQuittersFileIsDeleted() throws Exception {
    JsonNode result = scenario("isolation");
    assertThat(result.at("/quitter/complete").isNull()).isTrue();
    JsonNode page = result.get("page");
    assertThat(page.at("/complete/success").asBoolean()).isTrue();
    String id = page.at("/complete/detail/uploadId").asText();
    assertThat(page.at("/complete/detail/sha256").asText()).isEqualTo(result.get("sha256").asText());
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        // issue 15: the completed upload keeps its record; its bytes are a blob; the quitter's file and record are gone
        assertThat(uploadFiles()).containsExactly(data.resolve("uploads").resolve(id + ".record")));
    assertThat(data.resolve("blobs/objects/uploads").resolve(id)).isRegularFile();
  }
}
