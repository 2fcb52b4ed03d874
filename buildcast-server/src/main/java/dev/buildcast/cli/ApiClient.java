package dev.buildcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The HTTP API of one Buildcast server, as the client uses it: blocking calls that answer JSON or
 * throw an {@link ApiException} carrying the server's error message.
 */
final class ApiClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI server;
  private final HttpClient http;

  ApiClient(URI server) {
    this.server = server;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  URI server() {
    return server;
  }

  /** {@code PUT /api/uploads}: the file as the raw body; answers the upload's id. */
  String upload(Path file) {
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(uri("/api/uploads"))
          .header("X-File-Name", file.getFileName().toString())
          .header("Content-Type", "application/octet-stream")
          .PUT(HttpRequest.BodyPublishers.ofFile(file))
          .build();
    } catch (IOException e) {
      throw new ApiException("file", "Cannot read " + file + ": " + e.getMessage());
    }
    HttpResponse<String> response = send(request);
    if (response.statusCode() == 404 || response.statusCode() == 405) {
      throw new ApiException("no_uploads", "This server does not take uploads over HTTP (PUT /api/uploads answered " + response.statusCode() + ").");
    }
    return json(response).path("uploadId").asText();
  }

  /**
   * {@code POST /api/uploads/resumable}: announces a file; answers {@code {uploadId, offset, size,
   * state}}, or empty when this server has no resumable uploads (an older version: 404 or 405).
   */
  Optional<JsonNode> createUpload(String name, long size, String sha256) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("size", size);
    body.put("sha256", sha256);
    HttpResponse<String> response;
    try {
      response = send(HttpRequest.newBuilder(uri("/api/uploads/resumable"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
          .build());
    } catch (IOException e) {
      throw new IllegalStateException("a map of strings and numbers is always JSON", e);
    }
    if (response.statusCode() == 405 || (response.statusCode() == 404 && !response.body().contains("unknown_upload"))) return Optional.empty();
    return Optional.of(json(response));
  }

  /** {@code GET /api/uploads/{id}}: where the upload stands, {@code {uploadId, name, offset, size, state}}. */
  JsonNode uploadStanding(String uploadId) {
    return json(send(HttpRequest.newBuilder(uri("/api/uploads/" + uploadId)).GET().build()));
  }

  /**
   * {@code PATCH /api/uploads/{id}}: sends {@code length} bytes of {@code file} from {@code offset}.
   * Answers the offset the server then holds, and the completion when that was the last byte.
   */
  Appended append(String uploadId, Path file, long offset, long length) {
    HttpRequest request = HttpRequest.newBuilder(uri("/api/uploads/" + uploadId))
        .header("Upload-Offset", Long.toString(offset))
        .header("Content-Type", "application/offset+octet-stream")
        .method("PATCH", HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArrays(new FileRange(file, offset, length)), length))
        .build();
    HttpResponse<String> response = send(request);
    if (response.statusCode() == 204) {
      long held = response.headers().firstValueAsLong("Upload-Offset")
          .orElseThrow(() -> new ApiException("bad_answer", "The server answered a PATCH without Upload-Offset."));
      return new Appended(held, Optional.empty());
    }
    JsonNode done = json(response);
    return new Appended(done.path("offset").asLong(), Optional.of(done));
  }

  /** What a PATCH did: the bytes the server holds, and its completion answer once complete. */
  record Appended(long offset, Optional<JsonNode> completed) {}

  /** {@code POST /api/jobs}: answers {@code {jobId, token, links}}. */
  JsonNode submit(Map<String, Object> body) {
    try {
      return json(send(HttpRequest.newBuilder(uri("/api/jobs"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
          .build()));
    } catch (IOException e) {
      throw new IllegalStateException("a map of strings is always JSON", e);
    }
  }

  JsonNode status(String jobId, String token) {
    return json(send(authorized("/api/jobs/" + jobId, token).GET().build()));
  }

  JsonNode cancel(String jobId, String token) {
    // why a JSON body: the server takes write requests only as JSON, so a cross-site form cannot send one
    return json(send(authorized("/api/jobs/" + jobId + "/cancel", token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build()));
  }

  /** The log as NDJSON, one line per element, streamed as it comes; the caller closes the stream. */
  Stream<String> logLines(String jobId, String token, long since, boolean basic, boolean follow) {
    String path = "/api/jobs/" + jobId + "/log?format=ndjson&since=" + since + (basic ? "&basic=true" : "") + (follow ? "&follow=true" : "");
    HttpResponse<Stream<String>> response = call(authorized(path, token).GET().build(), HttpResponse.BodyHandlers.ofLines());
    if (response.statusCode() != 200) {
      String body = String.join("\n", response.body().toList());
      throw error(response.statusCode(), body);
    }
    return response.body();
  }

  /** Downloads {@code path} (a server path such as an artifact's url) to {@code target}, through a temporary file. */
  void download(String path, String token, Path target) {
    HttpResponse<InputStream> response = call(authorized(path, token).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = response.body()) {
      if (response.statusCode() != 200) throw error(response.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      Path parent = target.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path partial = Files.createTempFile(parent, ".buildcast-", ".part");
      try {
        Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(partial);
      }
    } catch (IOException e) {
      throw new ApiException("file", "Cannot save " + target + ": " + e.getMessage());
    }
  }

  /** An absolute link to a server path, carrying the token so it works in a browser or curl. */
  String link(String path, String token) {
    return uri(path) + (path.contains("?") ? "&" : "?") + "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
  }

  private HttpRequest.Builder authorized(String path, String token) {
    return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token);
  }

  private URI uri(String path) {
    return URI.create(server.toString().replaceAll("/+$", "") + path);
  }

  private HttpResponse<String> send(HttpRequest request) {
    return call(request, HttpResponse.BodyHandlers.ofString());
  }

  private <T> HttpResponse<T> call(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(request, handler);
    } catch (ConnectException e) {
      throw new ApiException("Cannot connect to " + server + ": is the server running?", e);
    } catch (IOException e) {
      throw new ApiException("Talking to " + server + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException("Interrupted while talking to " + server + ".", e);
    }
  }

  private static JsonNode json(HttpResponse<String> response) {
    if (response.statusCode() / 100 != 2) throw error(response.statusCode(), response.body());
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new ApiException("bad_answer", "The server's answer is not JSON (HTTP " + response.statusCode() + ").");
    }
  }

  private static ApiException error(int status, String body) {
    try {
      JsonNode error = JSON.readTree(body).path("error");
      if (error.hasNonNull("message")) return new ApiException(error.path("code").asText("error"), error.path("message").asText());
    } catch (IOException | RuntimeException e) {
      // why: not our JSON error; answered below with the status
    }
    return new ApiException("http_" + status, "The server answered HTTP " + status + ".");
  }
}
