package dev.buildcast.storage.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.RunningServer;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, item 10: under the data folder every folder is 700 and every file 600, whoever made
 * it (the stores, the built-in generator, a command's process) and whatever the umask: the test
 * runs with the JVM's umask (022 on a usual machine, checked below) and reads what is on disk.
 */
class DataFolderPermissionsIT {

  static final String CONFIG =
      """
      generators:
        - name: writer
          command: [bash, -c, "mkdir -p made/deeper && echo x > made/deeper/file.txt && echo out > \\"$BUILDCAST_OUTPUT/result.txt\\""]
      """;

  @TempDir Path dir;

  private static byte[] exportZip() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("event"));
      zip.write("{\"id\": 1, \"name\": \"Private\"}".getBytes(StandardCharsets.UTF_8));
      zip.putNextEntry(new ZipEntry("images/logo.png"));
      zip.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
    }
    return bytes.toByteArray();
  }

  private static String job(RunningServer server, String body) throws Exception {
    HttpResponse<String> created = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode ticket = RunningServer.json(created.body());
    String id = ticket.get("jobId").asText();
    String token = ticket.get("token").asText();
    await().atMost(Duration.ofSeconds(60)).until(() -> server.get("/api/jobs/" + id, token).body().matches(".*\"state\":\"(succeeded|failed)\".*"));
    return server.get("/api/jobs/" + id, token).body();
  }

  @Test
  void everythingUnderTheDataFolder_isPrivateToTheServer() throws Exception {
    Path probe = Files.createFile(dir.resolve("probe"));
    System.out.println("DataFolderPermissionsIT: a file created by this JVM is " + PosixFilePermissions.toString(Files.getPosixFilePermissions(probe)));
    Path data = dir.resolve("data");
    try (RunningServer server = RunningServer.start(data, CONFIG)) {
      assertThat(job(server, "{\"generator\":\"writer\"}")).contains("\"succeeded\"");
      HttpResponse<String> upload = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/uploads"))
          .header("X-File-Name", "e.zip").PUT(HttpRequest.BodyPublishers.ofByteArray(exportZip())).build());
      String uploadId = RunningServer.json(upload.body()).get("uploadId").asText();
      assertThat(job(server, "{\"generator\":\"open-event-site\",\"uploadId\":\"" + uploadId + "\"}")).contains("\"succeeded\"");
    }
    List<String> open = new ArrayList<>();
    for (Path top : List.of(data.resolve("jobs"), data.resolve("uploads"))) {
      try (Stream<Path> all = Files.walk(top)) {
        all.forEach(path -> {
          try {
            if (Files.isSymbolicLink(path)) return;
            String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
            String wanted = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? "rwx------" : "rw-------";
            if (!mode.equals(wanted)) open.add(data.relativize(path) + " " + mode);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
      }
    }
    try (Stream<Path> jobs = Files.list(data.resolve("jobs"))) {
      assertThat(jobs.count()).isEqualTo(2);
    }
    assertThat(open).as("paths not private").isEmpty();
  }
}
