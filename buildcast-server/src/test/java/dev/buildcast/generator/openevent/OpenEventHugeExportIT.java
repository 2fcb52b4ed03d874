package dev.buildcast.generator.openevent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.RunningServer;
import dev.buildcast.testing.ServerProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, item 3, against the packaged jar at {@code -Xmx256m}: a 3 MB zip whose {@code sessions}
 * file is 60 MB of {@code {},} fails its job on the record limit, and the heap stays under its
 * limit (the JVM is told to exit on any OutOfMemoryError, and its GC log gives the peak).
 */
class OpenEventHugeExportIT {

  private static final long SESSIONS_BYTES = 60_000_000;
  private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  /**
   * {@code [{},{}, ...]} with a space after one comma in five (seeded), so the entry deflates about
   * 18:1 like the zip, under the unzipper's ratio check.
   */
  static Path hugeSessionsZip(Path zip) throws IOException {
    SplittableRandom random = new SplittableRandom(14);
    byte[] record = "{},".getBytes(StandardCharsets.US_ASCII);
    try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
      out.putNextEntry(new ZipEntry("event"));
      out.write("{\"id\": 1, \"name\": \"Huge\"}".getBytes(StandardCharsets.US_ASCII));
      out.putNextEntry(new ZipEntry("sessions"));
      byte[] buffer = new byte[1 << 16];
      int used = 0;
      buffer[used++] = '[';
      for (long written = 1; written < SESSIONS_BYTES; ) {
        if (used > buffer.length - 4) {
          out.write(buffer, 0, used);
          written += used;
          used = 0;
        }
        System.arraycopy(record, 0, buffer, used, record.length);
        used += record.length;
        if (random.nextInt(5) == 0) buffer[used++] = ' ';
      }
      out.write(buffer, 0, used);
      out.write("{}]".getBytes(StandardCharsets.US_ASCII));
      out.closeEntry();
    }
    return zip;
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void generate_sixtyMegabytesOfEmptyRecordsAt256MiB_failsOnTheRecordLimitAndTheHeapStaysUnderIt() throws Exception {
    Path zip = hugeSessionsZip(dir.resolve("huge.zip"));
    assertThat(Files.size(zip)).as("zipped size").isBetween(2_000_000L, 5_000_000L);
    Path gcLog = dir.resolve("gc.log");
    List<String> jvm = List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-Xlog:gc:file=" + gcLog);
    ServerProcess server = ServerProcess.start(jvm, Map.of(), "--port", "0", "--data-dir", dir.resolve("data").toString());
    try {
      String url = server.url();
      HttpResponse<String> upload = send(HttpRequest.newBuilder(URI.create(url + "/api/uploads"))
          .header("X-File-Name", "huge.zip").PUT(HttpRequest.BodyPublishers.ofFile(zip)).build());
      assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
      String uploadId = RunningServer.json(upload.body()).get("uploadId").asText();
      HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(url + "/api/jobs"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"generator\":\"open-event-site\",\"uploadId\":\"" + uploadId + "\"}")).build());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      JsonNode ticket = RunningServer.json(created.body());
      String status = url + "/api/jobs/" + ticket.get("jobId").asText() + "?token=" + ticket.get("token").asText();

      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
        assertThat(server.isAlive()).as("the server is alive (it exits on OutOfMemoryError)").isTrue();
        return RunningServer.json(send(HttpRequest.newBuilder(URI.create(status)).build()).body()).get("state").asText().equals("failed");
      });
      String log = send(HttpRequest.newBuilder(URI.create(url + "/api/jobs/" + ticket.get("jobId").asText() + "/log?token="
          + ticket.get("token").asText())).build()).body();
      assertThat(log).contains("sessions: more than 50000 records, the most a file of the export may hold (record count check)");
      assertThat(send(HttpRequest.newBuilder(URI.create(url + "/healthz")).build()).statusCode()).isEqualTo(200);
      assertThat(server.isAlive()).isTrue();
    } finally {
      server.close();
    }
    long peak = peakHeapMegabytes(gcLog);
    System.out.println("OpenEventHugeExportIT: zip " + Files.size(zip) + " bytes, peak heap before GC " + peak + " MB of 256");
    assertThat(peak).isLessThan(256);
  }

  /** The largest heap use before a collection in the GC log ("24M->5M(256M)"). */
  private static long peakHeapMegabytes(Path gcLog) throws IOException {
    long peak = 0;
    for (String line : Files.readAllLines(gcLog)) {
      Matcher m = GC_LINE.matcher(line);
      if (m.find()) peak = Math.max(peak, Long.parseLong(m.group(1)));
    }
    return peak;
  }
}
