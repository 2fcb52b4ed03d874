package dev.buildcast.upload;

import static dev.buildcast.upload.UploadServiceTest.random;
import static dev.buildcast.testing.TestBytes.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.RunningServer;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resumable uploads over HTTP against a running server: create, ask where it stands, append at
 * the offset held, complete with the SHA-256 checked; a body cut mid-way keeps what arrived; and
 * every refusal with its documented status and code (docs/protocol.md, "Resumable uploads over HTTP").
 */
class UploadHttpResumeIT {

  @TempDir Path data;
  private RunningServer server;

  @BeforeEach
  void start() throws Exception {
    server = RunningServer.start(data, "uploads: {maxBytes: 8MiB, maxUnfinishedPerAddress: 3}\n");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> create(String json) throws Exception {
    return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/uploads/resumable"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  private String created(String name, long size, String sha) throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("size", size);
    if (sha != null) body.put("sha256", sha);
    HttpResponse<String> response = create(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(body));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return RunningServer.json(response.body()).get("uploadId").asText();
  }

  private HttpResponse<String> head(String id) throws Exception {
    return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/uploads/" + id)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
  }

  private long offsetOf(String id) throws Exception {
    HttpResponse<String> head = head(id);
    assertThat(head.statusCode()).isEqualTo(200);
    return head.headers().firstValueAsLong("Upload-Offset").orElseThrow();
  }

  private HttpResponse<String> patch(String id, String offset, byte[] file, int from, int to) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + "/api/uploads/" + id))
        .header("Content-Type", "application/offset+octet-stream")
        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(file, from, to - from));
    if (offset != null) request.header("Upload-Offset", offset);
    return server.send(request.build());
  }

  private static String code(HttpResponse<String> response) throws Exception {
    return RunningServer.json(response.body()).at("/error/code").asText();
  }

  private Path part(String id) {
    return data.resolve("uploads").resolve(id + ".part");
  }

  @Test
  void create_headPatchInPieces_completesWithNameSizeSha256AndTheExactBytes() throws Exception {
    byte[] file = random(3_000_000);
    HttpResponse<String> response = create("{\"name\":\"export.zip\",\"size\":3000000,\"sha256\":\"" + sha256(file) + "\"}");
    assertThat(response.statusCode()).isEqualTo(201);
    JsonNode started = RunningServer.json(response.body());
    String id = started.get("uploadId").asText();
    assertThat(id).matches("[A-Za-z0-9_-]{22}");
    assertThat(started.get("offset").asLong()).isZero();
    assertThat(started.get("state").asText()).isEqualTo("unfinished");
    assertThat(response.headers().firstValue("Location")).contains("/api/uploads/" + id);
    assertThat(head(id).headers().firstValueAsLong("Upload-Length")).hasValue(3_000_000);
    assertThat(offsetOf(id)).isZero();

    HttpResponse<String> first = patch(id, "0", file, 0, 1_200_000);
    assertThat(first.statusCode()).isEqualTo(204);
    assertThat(first.headers().firstValueAsLong("Upload-Offset")).hasValue(1_200_000);
    assertThat(offsetOf(id)).isEqualTo(1_200_000);
    JsonNode standing = RunningServer.json(server.get("/api/uploads/" + id, null).body());
    assertThat(standing.get("state").asText()).isEqualTo("unfinished");
    assertThat(standing.get("name").asText()).isEqualTo("export.zip");
    assertThat(standing.get("offset").asLong()).isEqualTo(1_200_000);

    HttpResponse<String> last = patch(id, "1200000", file, 1_200_000, file.length);
    assertThat(last.statusCode()).as(last.body()).isEqualTo(200);
    JsonNode done = RunningServer.json(last.body());
    assertThat(done.get("uploadId").asText()).isEqualTo(id);
    assertThat(done.get("name").asText()).isEqualTo("export.zip");
    assertThat(done.get("size").asLong()).isEqualTo(file.length);
    assertThat(done.get("sha256").asText()).isEqualTo(sha256(file));
    assertThat(Files.readAllBytes(data.resolve("blobs/objects/uploads").resolve(id))).isEqualTo(file);
    assertThat(offsetOf(id)).isEqualTo(file.length);
    assertThat(RunningServer.json(server.get("/api/uploads/" + id, null).body()).get("state").asText()).isEqualTo("complete");
  }

  @Test
  void patch_wrongOffset_409NamingTheOffsetHeldAndNothingWritten() throws Exception {
    byte[] file = random(10_000);
    String id = created("f.bin", file.length, null);
    assertThat(patch(id, "0", file, 0, 4000).statusCode()).isEqualTo(204);

    for (String wrong : List.of("0", "3999", "4001", "9000")) {
      HttpResponse<String> refused = patch(id, wrong, file, Integer.parseInt(wrong), Math.min(file.length, Integer.parseInt(wrong) + 1000));
      assertThat(refused.statusCode()).as(wrong).isEqualTo(409);
      JsonNode error = RunningServer.json(refused.body()).get("error");
      assertThat(error.get("code").asText()).isEqualTo("wrong_offset");
      assertThat(error.get("expectedOffset").asLong()).isEqualTo(4000);
      assertThat(error.get("message").asText()).contains("holds 4000 bytes");
      assertThat(refused.headers().firstValueAsLong("Upload-Offset")).hasValue(4000);
    }
    assertThat(Files.size(part(id))).isEqualTo(4000);
    assertThat(patch(id, "4000", file, 4000, file.length).statusCode()).isEqualTo(200);
    assertThat(Files.readAllBytes(data.resolve("blobs/objects/uploads").resolve(id))).isEqualTo(file);
  }

  @Test
  void patch_pastTheAnnouncedSize_400SizeMismatchAndNothingWritten() throws Exception {
    byte[] file = random(5000);
    String id = created("f.bin", 4000, null);
    HttpResponse<String> refused = patch(id, "0", file, 0, 5000);
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(code(refused)).isEqualTo("size_mismatch");
    assertThat(refused.body()).contains("send at most 4000 bytes");
    assertThat(Files.size(part(id))).isZero();
    assertThat(offsetOf(id)).isZero();
  }

  @Test
  void unknownOrMalformedId_everyMethod_404UnknownUpload() throws Exception {
    for (String id : List.of("AAAAAAAAAAAAAAAAAAAAAA", "nope", "resumable")) {
      assertThat(head(id).statusCode()).as(id).isEqualTo(404);
      HttpResponse<String> get = server.get("/api/uploads/" + id, null);
      assertThat(get.statusCode()).as(id).isEqualTo(404);
      assertThat(code(get)).isEqualTo("unknown_upload");
      HttpResponse<String> patch = patch(id, "0", new byte[10], 0, 10);
      assertThat(patch.statusCode()).as(id).isEqualTo(404);
      assertThat(code(patch)).isEqualTo("unknown_upload");
      HttpResponse<String> delete = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/uploads/" + id)).DELETE().build());
      assertThat(delete.statusCode()).as(id).isEqualTo(404);
      assertThat(code(delete)).isEqualTo("unknown_upload");
    }
  }

  @Test
  void patch_completedUpload_moreBytesRefused_anEmptyBodyAtItsSizeAnswersTheCompletionAgain() throws Exception {
    byte[] file = random(2000);
    String id = created("done.bin", file.length, null);
    assertThat(patch(id, "0", file, 0, file.length).statusCode()).isEqualTo(200);

    HttpResponse<String> more = patch(id, "2000", new byte[10], 0, 10);
    assertThat(more.statusCode()).isEqualTo(400);
    assertThat(code(more)).isEqualTo("size_mismatch");
    assertThat(more.body()).contains("is complete");
    HttpResponse<String> elsewhere = patch(id, "0", file, 0, 100);
    assertThat(elsewhere.statusCode()).isEqualTo(409);
    assertThat(code(elsewhere)).isEqualTo("wrong_offset");
    HttpResponse<String> again = patch(id, "2000", new byte[0], 0, 0);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(RunningServer.json(again.body()).get("sha256").asText()).isEqualTo(sha256(file));
    assertThat(Files.readAllBytes(data.resolve("blobs/objects/uploads").resolve(id))).isEqualTo(file);
  }

  @Test
  void patch_badHeaders_400NamingWhatToSend_415ForAFormBody() throws Exception {
    byte[] file = random(1000);
    String id = created("f.bin", file.length, null);
    for (String bad : List.of("abc", "-1", "1.5", "", "99999999999999999999", "0x10")) {
      HttpResponse<String> refused = patch(id, bad, file, 0, 100);
      assertThat(refused.statusCode()).as(bad).isEqualTo(400);
      assertThat(code(refused)).isEqualTo("bad_request");
      assertThat(refused.body()).contains("Upload-Offset");
    }
    HttpResponse<String> missing = patch(id, null, file, 0, 100);
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.body()).contains("Upload-Offset");
    HttpResponse<String> twice = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/uploads/" + id))
        .header("Upload-Offset", "0").header("Upload-Offset", "0").method("PATCH", HttpRequest.BodyPublishers.ofByteArray(file)).build());
    assertThat(twice.statusCode()).isEqualTo(400);
    HttpResponse<String> chunked = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/uploads/" + id))
        .header("Upload-Offset", "0")
        .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(file))).build());
    assertThat(chunked.statusCode()).isEqualTo(400);
    assertThat(chunked.body()).contains("Content-Length");
    HttpResponse<String> form = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/uploads/" + id))
        .header("Upload-Offset", "0").header("Content-Type", "application/x-www-form-urlencoded")
        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(file)).build());
    assertThat(form.statusCode()).isEqualTo(415);
    assertThat(code(form)).isEqualTo("unsupported_media_type");
    HttpResponse<String> foreign = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/uploads/" + id))
        .header("Upload-Offset", "0").header("Origin", "https://evil.example")
        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(file)).build());
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(code(foreign)).isEqualTo("origin_not_allowed");
    assertThat(Files.size(part(id))).isZero();
  }

  @Test
  void create_badOrOverLimitAnnouncements_refusedWithTheirCodes() throws Exception {
    for (String bad : List.of("{\"size\":10}", "{\"name\":\"f\"}", "{\"name\":\"f\",\"size\":-1}", "{\"name\":\"f\",\"size\":1.5}",
        "{\"name\":\"f\",\"size\":10,\"sha256\":\"zz\"}", "{\"name\":\"f\",\"size\":10,\"expect\":\"tar\"}", "[1]", "{\"name\":", "")) {
      HttpResponse<String> refused = create(bad);
      assertThat(refused.statusCode()).as(bad).isEqualTo(400);
      assertThat(code(refused)).as(bad).isEqualTo("bad_request");
    }
    HttpResponse<String> big = create("{\"name\":\"big\",\"size\":" + (8L * 1024 * 1024 + 1) + "}");
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(code(big)).isEqualTo("too_large");
    assertThat(big.body()).contains("uploads.maxBytes");
  }

  @Test
  void create_pastTheUnfinishedLimitOfTheAddress_429NamingTheKey() throws Exception {
    for (int i = 0; i < 3; i++) created("f" + i, 10, null);
    HttpResponse<String> refused = create("{\"name\":\"one too many\",\"size\":10}");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(code(refused)).isEqualTo("limit_exceeded");
    assertThat(refused.body()).contains("uploads.maxUnfinishedPerAddress");
  }

  @Test
  void patch_lastByteWithAnotherSha256_400ChecksumMismatchAndTheUploadIsGone() throws Exception {
    byte[] file = random(3000);
    String id = created("f.bin", file.length, sha256(new byte[3]));
    assertThat(patch(id, "0", file, 0, 1000).statusCode()).isEqualTo(204);
    HttpResponse<String> refused = patch(id, "1000", file, 1000, 3000);
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(code(refused)).isEqualTo("checksum_mismatch");
    assertThat(head(id).statusCode()).isEqualTo(404);
  }

  @Test
  void create_zeroBytes_completeAtOnce() throws Exception {
    HttpResponse<String> response = create("{\"name\":\"empty.txt\",\"size\":0}");
    assertThat(response.statusCode()).isEqualTo(201);
    JsonNode body = RunningServer.json(response.body());
    assertThat(body.get("state").asText()).isEqualTo("complete");
    assertThat(body.get("sha256").asText()).isEqualTo(sha256(new byte[0]));
  }

  @Test
  void delete_unfinishedUpload_204AndItIsGone() throws Exception {
    String id = created("f.bin", 100, null);
    HttpResponse<String> deleted = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/uploads/" + id)).DELETE().build());
    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(head(id).statusCode()).isEqualTo(404);
    assertThat(part(id)).doesNotExist();
  }

  @Test
  void patch_bodyCutMidway_everyByteThatArrivedIsKeptAndTheUploadContinuesFromIt() throws Exception {
    byte[] file = random(2_000_000);
    String id = created("cut.bin", file.length, sha256(file));
    int sent = 700_000;
    URI uri = URI.create(server.url());
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(("PATCH /api/uploads/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpload-Offset: 0\r\n"
          + "Content-Type: application/offset+octet-stream\r\nContent-Length: " + file.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(file, 0, sent);
      out.flush();
    } // closed with 1.3 MB of the body unsent

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(offsetOf(id)).isEqualTo(sent));
    assertThat(offsetOf(id)).isEqualTo(sent);
    assertThat(Arrays.copyOf(Files.readAllBytes(part(id)), sent)).isEqualTo(Arrays.copyOf(file, sent));
    HttpResponse<String> rest = patch(id, String.valueOf(sent), file, sent, file.length);
    assertThat(rest.statusCode()).as(rest.body()).isEqualTo(200);
    assertThat(RunningServer.json(rest.body()).get("sha256").asText()).isEqualTo(sha256(file));
  }

  @Test
  void expired_unfinishedUpload_headAndPatch404UnknownUpload(@TempDir Path other) throws Exception {
    try (RunningServer expiring = RunningServer.start(other, "uploads: {expireAfter: 2s}\n")) {
      HttpResponse<String> response = expiring.send(HttpRequest.newBuilder(URI.create(expiring.url() + "/api/uploads/resumable"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"idle\",\"size\":100}")).build());
      String id = RunningServer.json(response.body()).get("uploadId").asText();
      Path part = other.resolve("uploads").resolve(id + ".part");
      assertThat(part).exists();
      await().atMost(Duration.ofSeconds(60)).until(() -> !part.toFile().exists());
      HttpResponse<String> get = expiring.get("/api/uploads/" + id, null);
      assertThat(get.statusCode()).isEqualTo(404);
      assertThat(code(get)).isEqualTo("unknown_upload");
      HttpResponse<String> patch = expiring.send(HttpRequest.newBuilder(URI.create(expiring.url() + "/api/uploads/" + id))
          .header("Upload-Offset", "0").method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[100])).build());
      assertThat(patch.statusCode()).isEqualTo(404);
      assertThat(code(patch)).isEqualTo("unknown_upload");
    }
  }
}
